"""`genmei gate` as CI runs it: the acceptance cases in real subprocesses; exit codes,
baselines, fail-closed on unknowns, deletions and bad input through the same CLI entry
point in-process (subprocess start-up would dominate the suite's time)."""

import json

import pytest

from conftest import AS_OF, genmei
from gate_helpers import PLANS, run_main

SSH = PLANS / "ssh_open.tfplan.json"
SSH_ADDRESS = "aws_security_group.bastion"


def exceptions_file(tmp_path, expires: str, check="GM-ADMIN-001", extra=""):
    path = tmp_path / "exceptions.yaml"
    path.write_text(f"""exceptions:
  - id: EXC-GATE-1
    check: {check}
    resource: {SSH_ADDRESS}
    reason: 踏み台。2027年にSSM Session Managerへ移行する。
    owner: platform@example.co.jp
    approver: ciso@example.co.jp
    expires: {expires}
  - id: EXC-GATE-2
    check: GM-NET-001
    resource: {SSH_ADDRESS}
    reason: bastion
    owner: platform@example.co.jp
    approver: ciso@example.co.jp
    expires: {expires}
{extra}""", encoding="utf-8")
    return path


@pytest.fixture
def cli():
    return run_main


def one_line_error(code, stderr, *needles):
    assert code == 2, stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    for n in needles:
        assert str(n) in stderr, stderr


def test_ssh_open_to_the_world_fails_the_gate():
    code, out, err = genmei("gate", SSH, "--as-of", AS_OF)
    assert code == 1, err
    failing = out.split("FAIL — blocks the deploy")[1].split("gate:")[0]
    assert SSH_ADDRESS in failing and "GM-ADMIN-001" in failing
    assert "7.4.4.2" in failing and "M08" in failing
    assert "管理用ポート [22]" in failing
    assert "remediation:" in failing
    assert out.rstrip().endswith("gate: FAILED — 2 failure(s) at or above high")


def test_valid_exception_waives_and_passes(tmp_path):
    code, out, err = genmei("gate", SSH, "--exceptions", exceptions_file(tmp_path, "2027-06-30"), "--as-of", AS_OF,
                            "--format", "json")
    assert code == 0, err
    results = {r["check"]: r for r in json.loads(out)["results"] if r["resource"] == SSH_ADDRESS}
    assert results["GM-ADMIN-001"]["status"] == "WAIVED"
    assert results["GM-ADMIN-001"]["exception"]["id"] == "EXC-GATE-1"
    assert "waived by EXC-GATE-1" in results["GM-ADMIN-001"]["reason"]
    code, out, _ = genmei("gate", SSH, "--exceptions", exceptions_file(tmp_path, "2027-06-30"), "--as-of", AS_OF)
    assert code == 0 and "WAIVED (2):" in out and "gate: passed" in out


def test_expired_exception_fails(tmp_path):
    code, out, err = genmei("gate", SSH, "--exceptions", exceptions_file(tmp_path, "2026-01-31"), "--as-of", AS_OF)
    assert code == 1, err
    assert "例外 EXC-GATE-1 は 2026-01-31 に期限切れ" in out
    assert "WAIVED" not in out.split("Results:")[1].split("\n\n", 1)[1]


def test_exception_naming_an_unknown_check_is_an_input_error(cli, tmp_path):
    code, _, err = cli("gate", SSH, "--exceptions", exceptions_file(tmp_path, "2027-06-30", check="GM-NOPE-001"), "--as-of", AS_OF)
    one_line_error(code, err, "unknown check id(s) GM-NOPE-001")


def test_bom_plan_reads_like_the_plain_one(cli):
    assert (PLANS / "bom.tfplan.json").read_bytes().startswith(b"\xef\xbb\xbf")
    code, out, err = cli("gate", PLANS / "bom.tfplan.json", "--as-of", AS_OF, "--format", "json")
    assert code == 1, err
    assert {(r["check"], r["status"]) for r in json.loads(out)["results"]} == {("GM-ADMIN-001", "FAIL"), ("GM-NET-001", "FAIL")}


def test_fail_on_threshold_and_risks(cli):
    assert cli("gate", SSH, "--fail-on", "critical", "--as-of", AS_OF)[0] == 1
    assert cli("gate", SSH, "--fail-on", "none", "--as-of", AS_OF)[0] == 0
    assert cli("gate", SSH, "--fail-on", "M08", "--as-of", AS_OF)[0] == 1
    code, out, _ = cli("gate", SSH, "--fail-on", "H01,M07", "--as-of", AS_OF)
    assert code == 0 and "FAIL — below the threshold (2)" in out


def _plan_with(tmp_path, source, keep, name="plan.json"):
    doc = json.loads(source.read_text(encoding="utf-8"))
    doc["resource_changes"] = [rc for rc in doc["resource_changes"] if rc["address"] in keep]
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_unknown_is_not_pass_and_fail_on_unknown_fails_closed(cli, tmp_path):
    plan = _plan_with(tmp_path, PLANS / "aws.tfplan.json", {"aws_security_group.cidr_unknown"})
    code, out, err = cli("gate", plan, "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    results = json.loads(out)["results"]
    assert {r["status"] for r in results} == {"NOT_EVALUATED"}
    assert all(r["reason"] == "attrs.rules is known only after apply" for r in results)
    code, out, err = cli("gate", plan, "--as-of", AS_OF, "--fail-on-unknown")
    assert code == 1, err
    assert "NOT_EVALUATED — blocks the deploy (--fail-on-unknown) (2)" in out
    assert "2 check(s) need values known only after apply" in out
    # The threshold applies to unknowns too: both checks are below critical only for NET-001.
    code, out, _ = cli("gate", plan, "--as-of", AS_OF, "--fail-on-unknown", "--fail-on", "critical")
    assert code == 1 and "(1)" in out.split("NOT_EVALUATED — blocks the deploy")[1].split("\n")[0]


def test_resources_being_deleted_are_not_judged(cli, tmp_path):
    doc = json.loads(SSH.read_text())
    change = doc["resource_changes"][0]["change"]
    change.update(actions=["delete"], before=change["after"], after=None, after_unknown={})
    doc["planned_values"]["root_module"]["resources"] = []
    plan = tmp_path / "destroy.json"
    plan.write_text(json.dumps(doc))
    code, out, err = cli("gate", plan, "--as-of", AS_OF)
    assert code == 0, err
    assert "deleted (1): aws_security_group.bastion" in out
    assert "Results: 0" in out


def test_baseline_reports_known_failures_and_fails_only_on_new_ones(cli, tmp_path):
    baseline = tmp_path / "baseline.json"
    code, _, err = cli("gate", SSH, "--as-of", AS_OF, "--write-baseline", baseline)
    assert code == 0 and "2 failure(s) recorded" in err
    doc = json.loads(baseline.read_text())
    assert doc["genmei_baseline"] == "1.0"
    assert {(f["check"], f["resource"]) for f in doc["failures"]} == {("GM-ADMIN-001", SSH_ADDRESS), ("GM-NET-001", SSH_ADDRESS)}

    code, out, err = cli("gate", SSH, "--as-of", AS_OF, "--baseline", baseline)
    assert code == 0, err
    assert "FAIL — known in the baseline (2)" in out and SSH_ADDRESS in out

    # A new failure beside the baselined ones fails the gate; a baselined one that no longer fails is "fixed".
    doc["failures"] = [f for f in doc["failures"] if f["check"] == "GM-ADMIN-001"] + [{"check": "GM-KMS-001", "resource": "aws_kms_key.gone"}]
    baseline.write_text(json.dumps(doc))
    code, out, err = cli("gate", SSH, "--as-of", AS_OF, "--baseline", baseline, "--format", "json")
    assert code == 1, err
    gate = json.loads(out)["gate"]
    results = {r["id"]: r for r in json.loads(out)["results"]}
    assert [results[i]["check"] for i in gate["failing"]] == ["GM-NET-001"]
    assert gate["baseline"]["known_failures"] == 1
    assert gate["baseline"]["fixed"] == [{"check": "GM-KMS-001", "resource": "aws_kms_key.gone"}]


def test_baseline_off_schema_is_an_input_error(cli, tmp_path):
    bad = tmp_path / "baseline.json"
    bad.write_text(json.dumps({"genmei_baseline": "1.0", "failures": [{"check": "ADMIN", "resource": "x"}]}))
    code, _, err = cli("gate", SSH, "--baseline", bad)
    one_line_error(code, err, "baseline.schema.json", "$.failures[0].check")


@pytest.mark.parametrize("content, needle", [
    (b"", "empty file"),
    (b"   \n", "empty file"),
    (b'{"format_version": "1.2", "planned_values": ', "malformed JSON"),
    (b"[1, 2]", "top level is a JSON list"),
    (b'{"planned_values": {"root_module": {}}}', "no format_version"),
    (b'{"format_version": "2.0", "resource_changes": []}', "format_version 2.0 is not supported"),
    (b'{"format_version": "1.0", "values": {"root_module": {}}}', "a Terraform state"),
    (b'{"format_version": "1.2", "resource_changes": [{"address": "aws_x.y", "type": "aws_x"}]}', "'change' is a required property"),
    (b'{"format_version": "1.2", "resource_changes": [{"address": "aws_x[", "type": "aws_x", "change": {"actions": ["create"]}}]}', "unclosed ["),
    (b"\xff\xfe{}", "not UTF-8"),
], ids=["empty", "blank", "malformed", "list", "no-format", "format-2", "state", "no-change", "bad-address", "utf16"])
def test_unreadable_or_invalid_plans_exit_2(cli, tmp_path, content, needle):
    plan = tmp_path / "plan.json"
    plan.write_bytes(content)
    out = tmp_path / "out.sarif"
    code, _, err = cli("gate", plan, "--format", "sarif", "--out", out)
    one_line_error(code, err, needle)
    assert not out.exists()


@pytest.mark.parametrize("args, needle", [
    (("--fail-on", "severe"), "--fail-on 'severe'"),
    (("--as-of", "tomorrow"), "--as-of 'tomorrow'"),
    (("--format", "xml"), "invalid choice"),
    (("--source-dir", "/nonexistent/dir"), "no such directory"),
    (("--exceptions", "/nonexistent.yaml"), "no such file"),
], ids=["fail-on", "as-of", "format", "source-dir", "exceptions"])
def test_bad_options_exit_2(cli, args, needle):
    code, _, err = cli("gate", SSH, *args)
    one_line_error(code, err, needle)


def test_missing_plan_exits_2(cli):
    code, _, err = cli("gate", PLANS / "nope.json")
    one_line_error(code, err, "no such file")


def test_engine_unreachable_exits_3():
    """An OPA server that does not answer: the gate never passes when it could not evaluate."""
    code, out, err = genmei("gate", SSH, "--opa-url", "http://127.0.0.1:9", "--opa-timeout", "2")
    assert code == 3, err
    assert "Traceback" not in err and out == ""


def test_exceptions_lint(tmp_path):
    path = exceptions_file(tmp_path, "2026-01-31", extra="""  - id: EXC-GATE-3
    check: GM-NOPE-001
    resource: x
    reason: r
    owner: o
    approver: a
  - id: EXC-GATE-4
    check: GM-KMS-001
    resource: y
    reason: r
    owner: o
    approver: a
    expires: 2026-12-10
""")
    code, out, err = genmei("exceptions", "lint", path, "--as-of", AS_OF)
    assert code == 1, err
    assert "(EXC-GATE-1): error: expired on 2026-01-31" in out
    assert "(EXC-GATE-3): error: missing expiry (expires)" in out
    assert "(EXC-GATE-3): error: unknown check id GM-NOPE-001" in out
    assert "(EXC-GATE-4): warning: expires on 2026-12-10" in out
    assert out.rstrip().endswith("4 exception(s), 4 error(s), 1 warning(s)")
    clean = exceptions_file(tmp_path, "2027-06-30")
    code, out, _ = genmei("exceptions", "lint", clean, "--as-of", AS_OF, "--format", "json")
    assert code == 0 and json.loads(out)["problems"] == []
    broken = tmp_path / "broken.yaml"
    broken.write_text("exceptions: [\n")
    code, _, err = genmei("exceptions", "lint", broken)
    one_line_error(code, err, "malformed YAML")
