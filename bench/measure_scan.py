"""Where the time of one `genmei scan --snapshot FILE --out DIR` goes, stage by stage.

Run as a child of bench/run.py: `python bench/measure_scan.py SNAPSHOT OUT_DIR [--store PATH]`.
It runs the real CLI (engine/cli.py main) in this process, with a timer around each
stage's function — the functions are wrapped where the pipeline looks them up, nothing
of the pipeline is reimplemented — and prints, as JSON, the seconds spent in each stage
(a stage's own time: the engine's is not counted again in the records' that call it). A stage whose function a later genmei renames is simply absent.

Stages: read (the file's bytes, for the evidence copy too where it is read whole), parse (JSON), validate (envelope, sources, attrs; block by block, with the keeping of each block's resources, where the block reader validates),
engine (OPA: the backend's evaluate, worker processes included, and the turning of each
partition's answer into results as it comes in), records (the rest of checking the engine's
output and turning it into results), assess, render (the terminal summary), write
(the evidence directory), history (the run recorded in the store).
"""

import contextlib
import functools
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genmei.engine import cli, evidence_files, scan, snapshot  # noqa: E402
from genmei.engine.backends import embedded  # noqa: E402
from genmei.engine.commands import scan as scan_command  # noqa: E402
from genmei.engine.render import table  # noqa: E402
from genmei.engine.store import base  # noqa: E402

SPENT: dict[str, float] = {}
_ACTIVE: list[list] = []  # [stage, when its current stretch began]

# (stage, object, attribute): the function is replaced on that object by a timed one.
STAGES = [
    ("read", snapshot, "read_bytes"),
    ("read", scan_command, "_reread"),
    ("parse", snapshot, "parse_json"),
    ("validate", snapshot, "validate_snapshot"),
    ("engine", embedded.EmbeddedBackend, "evaluate"),
    ("records", scan, "evaluate"),
    ("records", scan, "apply_exceptions"),
    ("assess", scan, "assess"),
    ("render", table, "render"),
    ("write", evidence_files, "scan_files"),
    ("write", evidence_files, "write_evidence_dir"),
    ("history", base.Store, "record"),
]
# Stages of the block reader (engine/snapshot.py), where this genmei has it: reading
# the file block by block counts as parsing it.
OPTIONAL = [
    ("parse", snapshot, "_read_blocks"),
    # each block validated (and its resources kept) as it is read
    ("validate", getattr(snapshot, "_Blocks", None), "add"),
    ("validate", snapshot, "validate_sources"),
]


def timed(stage: str, fn):
    """fn, with its time charged to `stage`, less what the stages it calls spend."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        now = time.perf_counter()
        if _ACTIVE:  # the calling stage pauses
            outer = _ACTIVE[-1]
            SPENT[outer[0]] = SPENT.get(outer[0], 0.0) + now - outer[1]
        _ACTIVE.append([stage, now])
        try:
            return fn(*args, **kwargs)
        finally:
            now = time.perf_counter()
            SPENT[stage] = SPENT.get(stage, 0.0) + now - _ACTIVE.pop()[1]
            if _ACTIVE:
                _ACTIVE[-1][1] = now
    return wrapper


def main(argv: list[str]) -> None:
    for stage, owner, name in STAGES + OPTIONAL:
        fn = owner.__dict__.get(name) if owner is not None else None
        if fn is not None:
            setattr(owner, name, timed(stage, fn))
    t0 = time.perf_counter()
    snap, out, *store = argv
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        code = cli.main(["scan", "--snapshot", snap, "--out", out, "--fail-on", "none", "--as-of", "2026-11-22",
                         *(["--store", store[1]] if store else ["--no-store"])])
    total = time.perf_counter() - t0
    stages = {k: round(v, 3) for k, v in SPENT.items()}
    print(json.dumps({"exit": code, "total_s": round(total, 3), "stages": stages,
                      "other_s": round(total - sum(SPENT.values()), 3)}))


if __name__ == "__main__":
    main(sys.argv[1:])
