"""The CLI run in this process (engine.cli.main), for tests that run it hundreds of times:
a subprocess costs a Python start and every import (~1 s), a call here milliseconds.
Tests of what only a process shows (exit by signal, environment read at import) use
conftest.genmei instead."""

import io
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
