"""What a Rego backend does for genmei: load a bundle, evaluate data.genmei.checks."""

import uuid
from abc import ABC, abstractmethod

from ..policies import PolicyBundle

# Every check package lives under this path; one evaluation returns all of them.
CHECKS_PATH = "genmei.checks"
PARAMS_PATH = "genmei.params"
# The snapshot is stored once as data under this path, keyed by a reference that the
# (tiny) input names: see policies/lib/genmei.rego `snapshot`.
SNAPSHOTS_PATH = "genmei.snapshots"


def new_snapshot_ref() -> str:
    return "s" + uuid.uuid4().hex


class Backend(ABC):
    name: str

    @abstractmethod
    def evaluate(self, bundle: PolicyBundle, snapshot_input: dict) -> dict:
        """Return the document at data.genmei.checks for this snapshot input
        (engine.snapshot.evaluation_input), stored as data under SNAPSHOTS_PATH.

        Raises EngineError with a one-line message when the engine cannot evaluate.
        """
