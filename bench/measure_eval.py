"""Evaluate one synthetic snapshot in this process and print the figures as JSON.

Run as a child of bench/run.py so that its peak RSS is measured on its own (wait4).
"""

import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import generate  # noqa: E402
from engine.backends.embedded import EmbeddedBackend  # noqa: E402
from engine.catalog import load_catalog  # noqa: E402
from engine.jsonio import dump_json  # noqa: E402
from engine.policies import load_bundle  # noqa: E402
from engine.scan import run_scan  # noqa: E402
from engine.snapshot import load_snapshot  # noqa: E402


def main(size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "snapshot.json"
        path.write_bytes(dump_json(generate(size)))
        t0 = time.perf_counter()
        snapshot = load_snapshot(path)
        t1 = time.perf_counter()
        result = run_scan(snapshot, load_bundle(), EmbeddedBackend(), load_catalog(), [], [], date(2026, 11, 22))
        t2 = time.perf_counter()
        dump_json(result.evidence)
        t3 = time.perf_counter()
    s = result.evidence["summary"]
    print(json.dumps({"resources": len(snapshot.resources), "results": s["results"], "fail": s["FAIL"],
                      "error": s["ERROR"], "load_s": t1 - t0, "eval_s": t2 - t1, "serialise_s": t3 - t2,
                      "checks": len(result.evaluation.checks)}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
