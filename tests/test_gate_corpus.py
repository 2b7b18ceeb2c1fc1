"""Every public sample plan in ../shared/corpora/tfplan is read: it evaluates (exit 0 or
1, no ERROR result) or exits 2 with one clear line; never a traceback. Known-bad and
known-good plans from terraform-compliance and checkov give the expected statuses."""

import pytest

from gate_helpers import CORPUS, gate_json, run_main, statuses

PLANS = sorted(CORPUS.rglob("*.json")) if CORPUS.is_dir() else []
TC = CORPUS / "terraform-compliance__cli"
CK = CORPUS / "bridgecrewio__checkov"


def test_corpus_is_there():
    """The sweep below must not pass by finding nothing."""
    assert len(PLANS) == 151, f"expected the 151 sample plans in {CORPUS}"


def test_every_plan_evaluates_or_is_refused_clearly():
    outcomes = {}
    for plan in PLANS:
        code, out, err = run_main("gate", plan, "--format", "json", "--fail-on", "high", "--as-of", "2026-11-22")
        assert "Traceback" not in err and "internal error" not in err, (plan.name, err)
        if code == 2:
            assert err.count("\n") == 1 and str(plan) in err, (plan.name, err)
            assert out == ""
        else:
            assert code in (0, 1), (plan.name, code, err)
            assert '"status": "ERROR"' not in out, plan.name
        outcomes[plan.name] = code
    refused = sorted(name for name, code in outcomes.items() if code == 2)
    # The one sample without format_version is not `terraform show -json` output; the other
    # writes an ingress rule from port 443 to port 22, which AWS refuses (a rule genmei
    # does not guess at).
    assert refused == ["tests__functional__test_issue_400__plan.out.json",
                       "tests__terraform__parser__resources__plan_vpc_endpoint__tfplan.json"]
    assert sum(1 for code in outcomes.values() if code == 1) >= 20


def only(evidence, check):
    return {r["resource"]: r["status"] for r in evidence["results"] if r["check"] == check}


@pytest.mark.parametrize("name, check, want", [
    ("tests__functional__test_s3_encryption_success__plan.out.json", "GM-STO-001", "PASS"),
    # S3 encrypts every bucket (SSE-S3) since January 2023, so no bucket lacks default
    # encryption, with or without a configuration in the plan (collectors/canonical/s3.py).
    ("tests__functional__test_s3_encryption_failure__plan.out.json", "GM-STO-001", "PASS"),
    ("tests__functional__test_kms_key_rotation_success__plan.out.json", "GM-KMS-001", "PASS"),
    ("tests__functional__test_kms_key_rotation_failure__plan.out.json", "GM-KMS-001", "FAIL"),
])
def test_terraform_compliance_pairs(name, check, want):
    _, evidence = gate_json(TC / name)
    got = only(evidence, check)
    assert got and set(got.values()) == {want}, got


def test_terraform_compliance_security_groups():
    code, out, err = run_main("gate", TC / "tests__functional__test_issue_400__plan.out.json", "--format", "json")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "aws_security_group.example_group_22: port_range: port range 443-22 runs backwards" in err
    _, evidence = gate_json(TC / "tests__functional__test_issue-216__plan.out.json")
    assert only(evidence, "GM-ADMIN-001") == {"aws_security_group.ecs_task": "PASS"}   # rules merged: self only


def test_checkov_security_group_plans():
    code, evidence = gate_json(CK / "tests__common__runner_registry__plan_with_for_each_for_enrichment__tf_plan.json")
    assert code == 1
    for check in ("GM-ADMIN-001", "GM-NET-001"):
        assert only(evidence, check) == {f'module.sg["{k}"].aws_security_group.bad': "FAIL"
                                         for k in ("awful_example", "bad_example", "terrible_example")}
    _, evidence = gate_json(CK / "tests__terraform__runner__resources__plan__tfplan.json")
    admin = only(evidence, "GM-ADMIN-001")
    assert admin["aws_security_group.web-node"] == "FAIL" and admin["aws_security_group.default"] == "PASS"
    code, evidence = gate_json(CK / "tests__terraform__runner__resources__plan_change_keys__tfplan.json")
    assert only(evidence, "GM-ADMIN-001") == {"aws_security_group_rule.foo": "PASS", "aws_security_group_rule.bar": "PASS"}
    _, evidence = gate_json(CK / "tests__terraform__runner__resources__plan_with_resource_reference__tfplan_extra_ref.json")
    assert only(evidence, "GM-ADMIN-001") == {"azurerm_network_security_group.fail": "PASS",
                                              "azurerm_network_security_group.pass": "PASS"}
    rules = {r["resource"]: r for r in evidence["results"] if r["check"] == "GM-ADMIN-001"}
    assert rules["azurerm_network_security_group.pass"]["evidence"] == {"exposed_ports": []}


def test_google_firewall_plans():
    _, evidence = gate_json(CK / "tests__terraform__runner__extra_tf_plan_checks__modules.json")
    # Egress rules only: nothing admits the internet.
    assert set(only(evidence, "GM-NET-001").values()) == {"PASS"}
    _, evidence = gate_json(CORPUS / "GoogleCloudPlatform__terraform-validator" / "test__read_planned_assets__tf1_0plan.allcoverage.json")
    assert only(evidence, "GM-ADMIN-001") == {"google_compute_firewall.my-test-firewall": "PASS"}   # source tag only
    assert statuses(evidence)[("GM-STO-001", "google_storage_bucket.my-test-bucket")]["status"] == "PASS"
