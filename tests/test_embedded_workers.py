"""The embedded backend's worker processes (engine/backends/embedded_worker.py): a large
snapshot is split into partitions evaluated in parallel by the real OPA engine in other
processes. The document they give must be the one a single in-process engine gives, and
their failures must be one-line engine errors."""

import json
import shutil

import pytest

from datetime import date

from conftest import AS_OF, DEMO_SNAPSHOT, genmei
from genmei.engine.backends import embedded
from genmei.engine.backends.embedded import EmbeddedBackend, partitions
from genmei.engine.checks import walk_packages
from genmei.engine.catalog import load_catalog
from genmei.engine.errors import EngineError
from genmei.engine.policies import load_bundle
from genmei.engine.scan import run_scan
from genmei.engine.snapshot import evaluation_input, load_snapshot


def demo_input():
    return evaluation_input(load_snapshot(DEMO_SNAPSHOT))


def records(doc):
    """{package: sorted results} of an evaluated document."""
    return {package: sorted(json.dumps(r, sort_keys=True) for r in node["results"])
            for package, node in walk_packages(doc, load_bundle())}


def test_partitions_cover_every_resource_once():
    inp = demo_input()
    parts = partitions(inp, 7)
    ids = [(t, rid) for p in parts for t, by_id in p["resources"].items() for rid in by_id]
    every = [(t, rid) for t, by_id in inp["resources"].items() for rid in by_id]
    assert sorted(ids) == sorted(every) and len(ids) == len(set(ids))
    assert all(sum(map(len, p["resources"].values())) <= 7 for p in parts) and len(parts) > 2


def test_workers_give_the_document_one_engine_gives():
    inp = demo_input()
    alone = EmbeddedBackend().evaluate(load_bundle(), inp)
    backend = EmbeddedBackend(workers=2, partition_size=7, in_process_limit=0)
    pooled = backend.evaluate(load_bundle(), inp)
    assert len(backend.worker_peak_rss_kb) == 2 and all(kb > 0 for kb in backend.worker_peak_rss_kb)
    assert records(pooled) == records(alone)
    statuses = {json.loads(r)["status"] for rs in records(pooled).values() for r in rs}
    assert sum(map(len, records(pooled).values())) > 30 and {"PASS", "FAIL"} <= statuses
    # METADATA comes from the skeleton, unchanged
    assert json.dumps(pooled, sort_keys=True).count('"metadata"') == json.dumps(alone, sort_keys=True).count('"metadata"')


def test_a_check_that_fails_at_evaluation_is_a_one_line_engine_error(tmp_path):
    root = tmp_path / "policies"
    shutil.copytree(load_bundle().root, root)
    # compiles, but fails at evaluation on any firewall (its id is not a number)
    (root / "network" / "broken.rego").write_text(
        "package genmei.checks.network.broken\n\n"
        "results contains x if {\n\tsome r in data.genmei.lib.snapshot.resources[\"network.firewall\"]\n"
        "\tx := {\"resource\": r.id, \"status\": \"PASS\", \"n\": to_number(r.id)}\n}\n")
    backend = EmbeddedBackend(workers=2, partition_size=7, in_process_limit=0)
    with pytest.raises(EngineError) as e:
        backend.evaluate(load_bundle(root), demo_input())
    assert str(e.value).startswith("embedded OPA:") and "\n" not in str(e.value)


def test_a_worker_that_dies_is_a_one_line_engine_error(monkeypatch, tmp_path):
    dying = tmp_path / "dying_worker.py"
    dying.write_text("import sys\nsys.stdin.buffer.read(8)\nprint('fatal: out of memory', file=sys.stderr)\nsys.exit(2)\n")
    monkeypatch.setattr(embedded, "WORKER", dying)
    with pytest.raises(EngineError, match=r"^embedded OPA worker exited with code 2: fatal: out of memory$"):
        EmbeddedBackend(workers=2, partition_size=7, in_process_limit=0).evaluate(load_bundle(), demo_input())


def test_the_worker_that_died_is_blamed_with_its_go_fatal_line(monkeypatch, tmp_path):
    """One worker crashes like a Go runtime (a `fatal error:` line, then its stack); the
    other, healthy, is stopped by the pool. The error names the crash, not the stop."""
    marker = tmp_path / "first"
    crashing = tmp_path / "crashing_worker.py"
    crashing.write_text(
        "import os, runpy, sys\n"
        f"try:\n    os.close(os.open({str(marker)!r}, os.O_CREAT | os.O_EXCL))\n"
        "except FileExistsError:\n"
        f"    runpy.run_path({str(embedded.WORKER)!r}, run_name='__main__')\n    sys.exit(0)\n"
        "sys.stdin.buffer.read(8)\n"
        "print('fatal error: runtime: out of memory\\n\\ngoroutine 1 [running]:\\nmain.eval()', file=sys.stderr)\n"
        "sys.exit(2)\n")
    monkeypatch.setattr(embedded, "WORKER", crashing)
    with pytest.raises(EngineError) as e:
        EmbeddedBackend(workers=2, partition_size=7, in_process_limit=0).evaluate(load_bundle(), demo_input())
    assert str(e.value) == "embedded OPA worker exited with code 2: fatal error: runtime: out of memory"


def test_the_cli_scans_a_large_snapshot_through_workers(tmp_path):
    """Beyond the in-process limit, the whole CLI: the same results as evaluating the
    snapshot in one engine in this process."""
    doc = json.loads(DEMO_SNAPSHOT.read_text())
    base = [r for r in doc["resources"] if r["type"] in ("network.firewall", "compute.disk")]
    copies = (embedded.IN_PROCESS_LIMIT // len(base)) + 1
    doc["resources"] += [{**r, "id": f"{r['id']}-copy{i}"} for i in range(copies) for r in base]
    big = tmp_path / "big.json"
    big.write_text(json.dumps(doc))
    assert len(doc["resources"]) > embedded.IN_PROCESS_LIMIT
    code, out, err = genmei("scan", "--snapshot", big, "--format", "json", "--fail-on", "none", "--no-store")
    assert code == 0, err
    via_cli = sorted((r["check"], r["resource"], r["status"], r["reason"]) for r in json.loads(out)["results"])
    snapshot = load_snapshot(big)
    alone = run_scan(snapshot, load_bundle(), EmbeddedBackend(in_process_limit=10**9), load_catalog(), [], [], date.fromisoformat(AS_OF))
    assert via_cli == sorted((r["check"], r["resource"], r["status"], r["reason"]) for r in alone.evidence["results"])
    assert len(via_cli) > embedded.IN_PROCESS_LIMIT and any(r[2] == "FAIL" for r in via_cli)
