"""A verdict that depends on other resources survives the engine's partitions.

Beyond 5,000 resources the embedded engine evaluates partitions of 1,000 in worker processes
(engine/backends/embedded.py), so a check never sees the whole snapshot: a fact joining two
resources is made before evaluation. GM-VUL-001 judges a region only where a VM runs; the
regions here share the first partition with VMs of another region, and Tokyo's VMs fill the
later ones.
"""

import json

from genmei.engine.cli import main

FIRST_PARTITION = 1_000  # engine/backends/embedded.py PARTITION_SIZE
TOKYO_VMS = 5_000


def resource(rid: str, ctype: str, region: str, attrs: dict) -> dict:
    return {"id": rid, "type": ctype, "provider": "aws", "native_type": "aws-native", "account": "111111111111",
            "region": region, "name": rid, "attrs": attrs, "source": {"kind": "example", "ref": "tests/test_partition_joins.py"}}


def scan(tmp_path, check: str, regions: list[dict], ctype: str) -> dict:
    """`check` over the regions, the first partition filled up with `ctype` resources in
    us-east-1 (no region resource) and TOKYO_VMS more in Tokyo: {resource: status}."""
    elsewhere = [resource(f"us-{n:05d}", ctype, "us-east-1", {}) for n in range(FIRST_PARTITION - len(regions))]
    tokyo = [resource(f"tokyo-{n:05d}", ctype, "ap-northeast-1", {}) for n in range(TOKYO_VMS)]
    doc = {"genmei_snapshot": "1.0",
           "meta": {"provider": "aws", "account": "111111111111", "collector": {"name": "test_partition_joins", "version": "1"},
                    "started_at": "2026-12-01T00:00:00Z", "finished_at": "2026-12-01T00:00:00Z", "gaps": []},
           "resources": regions + elsewhere + tokyo}
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "out"
    assert main(["scan", "--snapshot", str(path), "--checks", check, "--fail-on", "none", "--no-store",
                 "--out", str(out), "--format", "json"]) == 0
    results = json.loads((out / "evidence.json").read_text())["results"]
    return {r["resource"]: r["status"] for r in results if r["check"] == check}


def test_a_region_and_its_vms_in_different_partitions_keep_their_verdict(tmp_path):
    regions = [resource("ap-northeast-1", "cloud.region", "ap-northeast-1", {"vulnerability_scanning_enabled": False}),
               resource("ap-northeast-3", "cloud.region", "ap-northeast-3", {"vulnerability_scanning_enabled": False})]
    # Tokyo runs VMs with scanning off: FAIL, though none of them shares its partition;
    # Osaka runs none: nothing to scan, no record.
    assert scan(tmp_path, "GM-VUL-001", regions, "compute.instance") == {"ap-northeast-1": "FAIL"}


def test_a_region_and_its_workloads_in_different_partitions_keep_their_verdict(tmp_path):
    regions = [resource("ap-northeast-1", "cloud.region", "ap-northeast-1", {"quota_alarms": []}),
               resource("ap-northeast-3", "cloud.region", "ap-northeast-3", {"quota_alarms": []})]
    # Tokyo runs databases and no alarm watches its quotas: FAIL, though none of them shares its
    # partition; Osaka runs no workload: no quota to exhaust, no record.
    assert scan(tmp_path, "GM-CAP-002", regions, "db.instance") == {"ap-northeast-1": "FAIL"}
