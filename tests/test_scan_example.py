"""The bundled example, end to end: every seeded violation FAILs on the right resource
with the right 項番 and risk, every compliant twin PASSes, the gap is NOT_EVALUATED,
and every H01–M11 item appears in the evidence with a status."""

import json

import yaml

from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, ROOT, genmei

A = "arn:aws:ec2:ap-northeast-1:123456789012:"
O = "arn:aws:ec2:ap-northeast-3:123456789012:"
ELB = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:"

EXPECTED = {
    ("GM-ADMIN-001", A + "security-group/sg-0b22admin"): "FAIL",
    ("GM-ADMIN-001", A + "security-group/sg-0a11web"): "PASS",
    ("GM-ADMIN-001", O + "security-group/sg-0e55rdp"): "PASS",
    ("GM-NET-001", A + "security-group/sg-0b22admin"): "FAIL",
    ("GM-NET-001", A + "security-group/sg-0a11web"): "PASS",
    ("GM-NET-001", A + "security-group/sg-0c33db"): "PASS",
    ("GM-NET-001", O + "security-group/sg-0d44ftp"): "WAIVED",
    ("GM-ENC-001", A + "volume/vol-0f66enc"): "PASS",
    ("GM-ENC-001", A + "volume/vol-0a77plain"): "FAIL",
    ("GM-STO-001", "arn:aws:s3:::example-audit-logs"): "PASS",
    ("GM-STO-001", "arn:aws:s3:::example-public-assets"): "FAIL",
    ("GM-STO-002", "arn:aws:s3:::example-audit-logs"): "PASS",
    ("GM-STO-002", "arn:aws:s3:::example-public-assets"): "FAIL",
    ("GM-TLS-001", ELB + "listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"): "PASS",
    ("GM-TLS-001", ELB + "listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65"): "FAIL",
    ("GM-TLS-001", "arn:aws:rds:ap-northeast-1:123456789012:db:prod-main"): "PASS",
    ("GM-TLS-001", "arn:aws:rds:ap-northeast-3:123456789012:db:reporting"): "FAIL",
    ("GM-AVL-001", "arn:aws:rds:ap-northeast-1:123456789012:db:prod-main"): "PASS",
    ("GM-AVL-001", "arn:aws:rds:ap-northeast-3:123456789012:db:reporting"): "FAIL",
    ("GM-AVL-001", "gap:123456789012/ap-northeast-3:eks:ListClusters"): "NOT_EVALUATED",
    # resilience and deletion
    ("GM-DR-001", "arn:aws:s3:::example-audit-logs"): "PASS", ("GM-DR-001", "arn:aws:s3:::example-public-assets"): "FAIL",  # declared in DR scope
    ("GM-DEL-001", "arn:aws:s3:::example-audit-logs"): "PASS", ("GM-DEL-001", "arn:aws:s3:::example-public-assets"): "PASS",
    ("GM-RES-001", "arn:aws:rds:ap-northeast-1:123456789012:db:prod-main"): "PASS",
    ("GM-RES-001", "arn:aws:rds:ap-northeast-3:123456789012:db:reporting"): "FAIL",
    ("GM-BAK-002", A + "volume/vol-0f66enc"): "PASS", ("GM-BAK-002", A + "volume/vol-0a77plain"): "FAIL",
}

MAPPING = {
    "GM-ADMIN-001": (["7.4.4.2", "7.4.4.6"], ["H05", "H06", "M08", "M09", "L15", "L17"]),
    "GM-NET-001": (["6.6.1.10", "6.6.1.12", "7.4.4.5"], ["H05", "M09", "L17"]),
    "GM-ENC-001": (["6.8.1.8"], ["M07"]),
    "GM-STO-002": (["6.6.1.10"], ["H05"]),
    "GM-TLS-001": (["6.6.1.5", "6.8.1.8", "6.9.2.6", "8.3.1.3"], ["M09"]),
    "GM-AVL-001": (["C.1.1.1", "C.2.1.1"], ["H01"]),
}


def test_each_seeded_case_has_the_expected_status(demo_scan):
    got = {(r["check"], r["resource"]): r for r in demo_scan["evidence"]["results"]}
    for key, status in EXPECTED.items():
        assert key in got, f"no result for {key}"
        assert got[key]["status"] == status, (key, got[key]["reason"])


def test_failures_are_mapped_to_criteria_and_risks(demo_scan):
    for r in demo_scan["evidence"]["results"]:
        if r["check"] in MAPPING:
            assert (r["criteria"], r["risks"]) == MAPPING[r["check"]]


def test_one_record_per_check_and_applicable_resource(demo_scan):
    ev = demo_scan["evidence"]
    snapshot = json.loads(DEMO_SNAPSHOT.read_text())
    keys = [(r["check"], r["resource"]) for r in ev["results"]]
    assert len(keys) == len(set(keys))
    for check in ev["checks"]:
        # A provider-specific check (METADATA `providers`) applies only to that provider's resources.
        providers = check["providers"]
        applicable = {r["id"] for r in snapshot["resources"]
                      if r["type"] in check["resource_types"] and (providers is None or r["provider"] in providers)}
        covered = {r["resource"] for r in ev["results"] if r["check"] == check["id"] and not r["resource"].startswith("gap:")}
        assert covered == applicable, check["id"]
    assert not [r for r in ev["results"] if r["status"] == "ERROR"]


def test_evidence_file_has_the_documented_fields(demo_scan):
    ev = demo_scan["evidence"]
    for key in ("snapshot_sha256", "policy_bundle_sha256", "tool", "started_at", "finished_at", "results", "risks"):
        assert key in ev
    assert len(ev["snapshot_sha256"]) == 64 and len(ev["policy_bundle_sha256"]) == 64
    import hashlib
    assert ev["snapshot_sha256"] == hashlib.sha256(DEMO_SNAPSHOT.read_bytes()).hexdigest()
    for r in ev["results"]:
        assert {"check", "resource", "status", "criteria", "risks", "reason"} <= set(r)


def test_every_basic_statement_item_appears_with_a_status(demo_scan):
    ev = demo_scan["evidence"]
    risks = yaml.safe_load((ROOT / "mappings" / "risks.yaml").read_text())["risks"]
    basic = [r for r in risks if r["basic_statement"]]
    assert list(ev["risks"]) == [r["id"] for r in basic] == ["H01", "H02", "H03", "H04", "H05", "H06", "M07", "M08", "M09", "M10", "M11"]
    for risk in basic:
        cited = {i for layer in risk["layers"] for i in layer["criteria"]}
        got = ev["risks"][risk["id"]]
        assert set(got["items"]) == cited, risk["id"]
        assert got["judgement"] in ("○", "×", "未評価")
        assert got["rationale"] and got["rationale_en"]
        for item_id, item in got["items"].items():
            assert item["status"] in ("satisfied", "not_satisfied", "waived", "not_evaluated", "not_applicable", "attested", "inherited"), item_id
            assert item["reason"], item_id
    assert set(ev["outside_basic_statement"]) == {f"L{n}" for n in range(12, 22)}


def test_judgements_follow_the_failures(demo_scan):
    risks = demo_scan["evidence"]["risks"]
    # An admin port open to the world: 7.4.4.2 not satisfied, so M08 and H06 are ×.
    assert risks["M08"]["items"]["7.4.4.2"]["status"] == "not_satisfied"
    assert risks["M08"]["judgement"] == "×" and risks["H06"]["judgement"] == "×"
    assert risks["H01"]["items"]["C.2.1.1"]["status"] == "not_satisfied"
    assert risks["H01"]["judgement"] == "×"
    # M10 has no check, and 6.7.2.3 (partial) has only the hyperscaler's report: not ○.
    assert risks["M10"]["items"]["6.7.2.3"]["status"] == "not_evaluated"
    assert risks["M10"]["judgement"] == "未評価"


def test_waived_and_expired_exceptions(demo_scan):
    results = {(r["check"], r["resource"]): r for r in demo_scan["evidence"]["results"]}
    waived = results[("GM-NET-001", O + "security-group/sg-0d44ftp")]
    assert waived["status"] == "WAIVED" and waived["exception"]["id"] == "EXC-2026-014"
    expired = results[("GM-ENC-001", A + "volume/vol-0a77plain")]
    assert expired["status"] == "FAIL" and expired["exception"]["expired"] is True
    assert "expired on 2026-03-31" in expired["reason"]


def test_table_shows_the_eleven_risks(demo_scan):
    out = demo_scan["stdout"]
    for rid in ("H01", "H02", "H03", "H04", "H05", "H06", "M07", "M08", "M09", "M10", "M11"):
        assert f"\n{rid}" in out
    assert "L12" not in out
    assert "GM-ADMIN-001" in out  # failures are listed


def test_fail_on_threshold_sets_exit_code(tmp_path):
    common = ["scan", "--snapshot", DEMO_SNAPSHOT, "--as-of", AS_OF, "--exceptions", EXAMPLES / "exceptions.yaml"]
    assert genmei(*common, "--fail-on", "critical")[0] == 1  # the SSH rule is critical
    assert genmei(*common, "--fail-on", "none")[0] == 0
    assert genmei(*common, "--fail-on", "H01")[0] == 1
    assert genmei(*common, "--fail-on", "M10")[0] == 0  # no check maps to M10


def test_json_format_prints_the_evidence():
    code, out, _ = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--format", "json", "--fail-on", "none", "--as-of", AS_OF)
    assert code == 0
    assert json.loads(out)["summary"]["FAIL"] >= 8
