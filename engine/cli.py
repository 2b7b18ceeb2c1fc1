"""genmei command line: the one place that maps command names to implementations.

Exit codes: 0 ran and nothing at or above --fail-on failed; 1 failures at or above it;
2 usage or input error; 3 engine or collection error.
"""

import argparse
import difflib
import gc
import os
import re
import sys

from . import __version__
from .commands import catalog, completion, evidence, exceptions, gate, history, importer, policy, report, scan
from .errors import EXIT_ENGINE, EXIT_INPUT, EXIT_OK, GenmeiError
from .extras import missing_part

# Each module registers its subcommands; a new command family adds its module here.
COMMANDS = (scan, catalog, policy, report, evidence, history, importer, gate, exceptions, completion)

# The environment genmei reads, shown under every --help (and in README, "Environment").
ENVIRONMENT = """environment:
  GENMEI_STORE           the scan history when --store is not given (SQLite path or postgresql://…)
  GENMEI_HOME            a directory with policies/ and mappings/ used instead of the installed ones
  GENMEI_KEY_PASSPHRASE  passphrase of the signing key (evidence keygen, export, report period --seal)
  GENMEI_MAX_INPUT_BYTES, GENMEI_MAX_JSON_DEPTH, GENMEI_MAX_YAML_BYTES
                         bounds on the files genmei reads (README, Input limits)
  GENMEI_DEBUG           set to 1 for a traceback instead of the one-line internal error
  OPA_TOKEN              bearer token for --opa-url
  NO_COLOR               set to anything: no colour on the terminal
  XDG_DATA_HOME, XDG_CONFIG_HOME
                         where the default history and the trusted signing keys live
  the cloud SDKs' own:   AWS_PROFILE, AWS_ENDPOINT_URL, AZURE_*, GOOGLE_APPLICATION_CREDENTIALS, …

exit codes: 0 ok, 1 failures at or above --fail-on, 2 usage or input error, 3 engine or collection error."""
_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2, and a mistyped option is named
    as such, with the nearest option this command has."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs.setdefault("epilog", ENVIRONMENT)
        super().__init__(*args, **kwargs)
        self._given: list[str] = []

    def parse_known_args(self, args=None, namespace=None):
        self._given = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message):
        parser, given = self._command(self._given)
        unknown = parser.unknown_option(given)
        if unknown:
            message = unknown
        print(f"genmei: error: {message} (see `{parser.prog} --help`)", file=sys.stderr)
        sys.exit(EXIT_INPUT)

    def _command(self, given: list[str]) -> tuple["Parser", list[str]]:
        """The (sub)command the arguments name — `scan aws` in `scan aws --regoins all` —
        and the arguments given to it."""
        for i, token in enumerate(given):
            for action in self._actions:
                if isinstance(action, argparse._SubParsersAction) and token in action.choices:
                    return action.choices[token]._command(given[i + 1:])
        return self, given

    def unknown_option(self, given: list[str]) -> str | None:
        """"unknown option --snaphot (did you mean --snapshot?)" for the first option given
        to this command that it does not have (argparse would blame the next argument)."""
        known = [o for o in self._option_string_actions if o.startswith("--")]
        for token in given:
            if token == "--":
                break
            if not token.startswith("-") or token == "-" or _NEGATIVE_NUMBER.match(token):
                continue
            name = token.split("=", 1)[0]
            if name in self._option_string_actions or (name.startswith("--") and any(o.startswith(name) for o in known)):
                continue
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            return f"unknown option {name}" + (f" (did you mean {close[0]}?)" if close else "")
        return None


def add_output_options(p: argparse.ArgumentParser, top: bool = False) -> None:
    """--quiet, --verbose and --log-level, on every command (engine/console.py)."""
    default = False if top else argparse.SUPPRESS
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", action="store_true", default=default,
                   help="only errors on stderr: no progress, notes or warnings")
    if "--verbose" not in p._option_string_actions:  # `policy test -v` lists every test: more output too
        g.add_argument("-v", "--verbose", action="store_true", default=default,
                       help="progress on stderr even when it is not a terminal")
    g.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default=None if top else argparse.SUPPRESS,
                   help="what stderr shows besides errors (default: info on a terminal, warning elsewhere)")


def _every_parser(p: argparse.ArgumentParser):
    yield p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from _every_parser(child)


def build_parser() -> Parser:
    p = Parser(prog="genmei", description="genmei (言明): JASA basic-statement evidence from cloud configuration, in Rego.")
    p.add_argument("--version", action="version", version=f"genmei {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    for module in COMMANDS:
        module.register(sub)
    for i, parser in enumerate(_every_parser(p)):
        add_output_options(parser, top=i == 0)
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
    from . import console

    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # a shell asking for completions (genmei completion bash|zsh|fish)
        import argcomplete
        argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    console.configure(args.quiet, args.verbose, args.log_level)
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
