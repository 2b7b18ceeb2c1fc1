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
    def evaluate(self, bundle: PolicyBundle, snapshot_input: dict, records=None) -> dict:
        """Return the document at data.genmei.checks for this snapshot input
        (engine.snapshot.evaluation_input), stored as data under SNAPSHOTS_PATH.

        `records` (engine/evaluate.py Records), when given, turns each package's raw
        records into what the document then holds: its converter (`records.bind`) is
        called on each part of the snapshot the engine answers for, as that answer comes
        in, so that the raw records of a large snapshot are never all held at once.

        Raises EngineError with a one-line message when the engine cannot evaluate.
        """


def convert_document(doc: dict, bundle: PolicyBundle, records, resources: dict) -> dict:
    """A whole document's raw records through `records`, for a backend that answers for
    the whole snapshot (`resources`: its {type: {id: resource}}) at once."""
    if records is not None and doc:
        from ..checks import walk_packages

        convert = records.bind(doc)
        for package, node in walk_packages(doc, bundle):
            node["results"] = convert(package, node["results"], resources)
    return doc
