"""What a Rego backend does for genmei: load a bundle, evaluate data.genmei.checks."""

from abc import ABC, abstractmethod

from ..policies import PolicyBundle

# Every check package lives under this path; one evaluation returns all of them, so the
# (large) input crosses into the engine once per scan, not once per check.
CHECKS_PATH = "genmei.checks"
PARAMS_PATH = "genmei.params"


class Backend(ABC):
    name: str

    @abstractmethod
    def evaluate(self, bundle: PolicyBundle, eval_input: dict) -> dict:
        """Return the document at data.genmei.checks for this input.

        Raises EngineError with a one-line message when the engine cannot evaluate.
        """
