"""The CLI run in this process (engine.cli.main), for tests that run it hundreds of times:
a subprocess costs a Python start and every import (~1 s), a call here milliseconds.
Tests of what only a process shows (exit by signal, environment read at import) use
conftest.genmei instead."""

import io
import os
from contextlib import redirect_stderr, redirect_stdout

from genmei.engine.cli import main


def run_cli(*args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `genmei ARGS`, as the installed command would give them."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as e:  # argparse: usage errors and --help
            code = e.code
    return code, out.getvalue(), err.getvalue()


def run_cli_traced(*args) -> tuple[int, str, str, BaseException | None]:
    """As run_cli, and the exception behind an internal error (GENMEI_DEBUG lets it
    through main), so that a test can tell where it arose."""
    before = os.environ.get("GENMEI_DEBUG")
    os.environ["GENMEI_DEBUG"] = "1"
    try:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code, exc = main([str(a) for a in args]), None
            except SystemExit as e:
                code, exc = e.code, None
            except Exception as e:  # noqa: BLE001 - what the user would have seen as an internal error
                code, exc = 3, e
        return code, out.getvalue(), err.getvalue(), exc
    finally:
        if before is None:
            del os.environ["GENMEI_DEBUG"]
        else:
            os.environ["GENMEI_DEBUG"] = before
