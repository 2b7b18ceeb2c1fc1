"""Evaluate one snapshot file (bench/synthetic.py writes them) and print the figures as JSON.

Run as a child of bench/run.py. Peak RSS is this process's own peak plus the peak of each
OPA worker process it started (engine/backends/embedded.py): an upper bound for the
process tree, since the peaks need not coincide.
"""

import json
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genmei.engine.backends.embedded import EmbeddedBackend  # noqa: E402
from genmei.engine.catalog import load_catalog  # noqa: E402
from genmei.engine.cli import pause_cyclic_gc  # noqa: E402
from genmei.engine.jsonio import dump_json  # noqa: E402
from genmei.engine.policies import load_bundle  # noqa: E402
from genmei.engine.scan import run_scan  # noqa: E402
from genmei.engine.snapshot import load_snapshot  # noqa: E402


def main(path: Path) -> None:
    pause_cyclic_gc()  # as the CLI does
    t0 = time.perf_counter()
    snapshot = load_snapshot(path)
    t1 = time.perf_counter()
    backend = EmbeddedBackend()
    result = run_scan(snapshot, load_bundle(), backend, load_catalog(), [], [], date(2026, 11, 22))
    t2 = time.perf_counter()
    dump_json(result.evidence)
    t3 = time.perf_counter()
    s = result.evidence["summary"]
    print(json.dumps({"resources": len(snapshot.resources), "results": s["results"], "fail": s["FAIL"],
                      "error": s["ERROR"], "load_s": t1 - t0, "eval_s": t2 - t1, "serialise_s": t3 - t2,
                      "checks": len(result.evaluation.checks),
                      "workers": len(backend.worker_peak_rss_kb),
                      "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + sum(backend.worker_peak_rss_kb)}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
