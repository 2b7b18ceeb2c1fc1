"""Running the gate in-process through the CLI's own entry point, for the tests that
would otherwise pay a Python start-up per plan (the acceptance cases run as real
subprocesses in test_gate_cli.py)."""

import contextlib
import io
import json

from conftest import AS_OF, ROOT
from genmei.engine.cli import main

PLANS = ROOT / "tests" / "fixtures" / "tfplan"
CORPUS = ROOT.parent / "shared" / "corpora" / "tfplan"


def run_main(*args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `genmei ARGS`, as a subprocess would give them."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as e:   # argparse usage errors exit from inside
            code = e.code
    return code, out.getvalue(), err.getvalue()


def gate_json(plan, *args) -> tuple[int, dict]:
    code, out, err = run_main("gate", plan, "--format", "json", "--as-of", AS_OF, *args)
    assert code in (0, 1), err
    return code, json.loads(out)


def statuses(evidence: dict) -> dict[tuple[str, str], dict]:
    return {(r["check"], r["resource"]): r for r in evidence["results"]}
