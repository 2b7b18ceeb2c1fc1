"""genmei commands in-process, through the real CLI entry point (engine.cli.main): the
same parsing, loading, rendering and writing as the installed command, without paying an
interpreter start per run. tests/test_report_cli.py also runs it as a subprocess."""

import io
from contextlib import redirect_stderr, redirect_stdout

from genmei.engine.cli import main


def cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([*map(str, args)])
        except SystemExit as e:
            code = e.code
    return code, out.getvalue(), err.getvalue()


def report(*args) -> tuple[int, str, str]:
    return cli("report", *args)
