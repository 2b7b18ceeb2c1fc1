"""genmei command line: the one place that maps command names to implementations.

Exit codes: 0 ran and nothing at or above --fail-on failed; 1 failures at or above it;
2 usage or input error; 3 engine or collection error.
"""

import argparse
import gc
import os
import sys

from . import __version__
from .commands import catalog, evidence, exceptions, gate, history, importer, policy, report, scan
from .errors import EXIT_ENGINE, EXIT_INPUT, EXIT_OK, GenmeiError
from .extras import missing_part

# Each module registers its subcommands; a new command family adds its module here.
COMMANDS = (scan, catalog, policy, report, evidence, history, importer, gate, exceptions)


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2."""

    def error(self, message):
        print(f"genmei: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        sys.exit(EXIT_INPUT)


def build_parser() -> Parser:
    p = Parser(prog="genmei", description="genmei (言明): JASA basic-statement evidence from cloud configuration, in Rego.",
               epilog="Exit codes: 0 ok, 1 failures at or above --fail-on, 2 usage or input error, 3 engine or collection error.")
    p.add_argument("--version", action="version", version=f"genmei {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    for module in COMMANDS:
        module.register(sub)
    return p


def pause_cyclic_gc() -> bool:
    """A genmei run is one batch: it builds millions of acyclic objects (the snapshot, the
    result records) and exits. CPython's cyclic collector would walk them again and again
    (measured: it more than doubled the Python time of a 100,000-resource scan), so it is
    off for the run; reference counting still frees everything that is not a cycle.
    Returns whether it was on (main() turns it back on for an in-process caller)."""
    was_enabled = gc.isenabled()
    gc.disable()
    return was_enabled


def main(argv=None) -> int:
    gc_was_enabled = pause_cyclic_gc()
    try:
        return _run(argv)
    finally:
        if gc_was_enabled:
            gc.enable()


def _run(argv) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except GenmeiError as e:
        print(f"genmei: error: {e.message}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("genmei: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - never a traceback for users
        if os.environ.get("GENMEI_DEBUG"):
            raise
        missing = missing_part(e) if isinstance(e, ModuleNotFoundError) else None
        if missing:  # an optional part (a cloud SDK, the embedded engine) is not installed
            print(f"genmei: error: {missing.message}", file=sys.stderr)
            return missing.exit_code
        print(f"genmei: internal error: {type(e).__name__}: {' '.join(str(e).split())[:300]} "
              "(set GENMEI_DEBUG=1 for a traceback and please report it)", file=sys.stderr)
        return EXIT_ENGINE


if __name__ == "__main__":
    sys.exit(main())
