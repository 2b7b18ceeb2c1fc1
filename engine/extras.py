"""The optional parts of an installation and the one line that installs each.

The base install (pip install genmei) scans snapshots, imports exports, runs the gate and
renders the reports. Each live collector needs its cloud's SDK, an extra of its own
(pip install "genmei[aws]", [azure], [gcp], [all]); the embedded OPA engine is a
dependency only on Python >= 3.14, since every release of opa-golib-python-bindings
declares Requires-Python >= 3.14 although its wheel runs on 3.11. A missing part is
one line naming what to install, exit 3 (EXIT_ENGINE: genmei cannot run as
installed; the input was fine), never a traceback.
"""

from .errors import EXIT_ENGINE, GenmeiError

ENGINE_INSTALL = "pip install --no-deps --ignore-requires-python opa-golib-python-bindings==0.4.4"

# Top-level module of a cloud SDK → (extra, what needs it).
_EXTRA_OF = {
    "boto3": ("aws", "the AWS collector"),
    "botocore": ("aws", "the AWS collector"),
    "azure": ("azure", "the Azure collector"),
    "google": ("gcp", "the Google Cloud collector"),
    "grpc": ("gcp", "the Google Cloud collector"),
    "proto": ("gcp", "the Google Cloud collector"),
}


class MissingPart(GenmeiError):
    """An optional part of genmei is not installed: the message says how to install it."""

    exit_code = EXIT_ENGINE


def engine_missing() -> MissingPart:
    return MissingPart(f"the embedded OPA engine is not installed: {ENGINE_INSTALL} "
                       "(or evaluate on an OPA server with --opa-url)")


def missing_part(error: ModuleNotFoundError) -> MissingPart | None:
    """The install line for a module that an optional part needs, None for any other
    module (a missing module of the base install is a broken install, reported as such)."""
    top = (error.name or "").split(".")[0]
    if top == "opa_bindings":
        return engine_missing()
    if top in _EXTRA_OF:
        extra, who = _EXTRA_OF[top]
        return MissingPart(f'{who} needs the {extra} extra: pip install "genmei[{extra}]" (module {error.name} is not installed)')
    return None
