"""The gate's CI formats: SARIF 2.1.0 validated against the official schema (shipped by
Microsoft's SARIF SDK, see fixtures/sarif-schema-2.1.0.README.md) with `.tf` file and line
locations from --source-dir; JUnit XML with one test case per check × resource; JSON."""

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from conftest import AS_OF, ROOT, genmei
from gate_helpers import PLANS, run_main

SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SSH = PLANS / "ssh_open.tfplan.json"


def sarif_errors(log: dict) -> list[str]:
    cls = jsonschema.validators.validator_for(SCHEMA)
    validator = cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(log)]


def test_schema_is_the_sarif_2_1_0_schema():
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    assert len(SCHEMA["definitions"]) > 40
    # The schema rejects what is not SARIF, so validating against it proves something.
    assert sarif_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})
    assert sarif_errors({"version": "2.0.0", "runs": []})


def test_sarif_validates_and_locates_in_tf_files(tmp_path):
    out = tmp_path / "gate.sarif"
    code, stdout, err = genmei("gate", SSH, "--source-dir", PLANS / "ssh_open", "--format", "sarif", "--out", out, "--as-of", AS_OF)
    assert code == 1, err
    assert "gate: FAILED" in stdout and f"sarif: {out}" in stdout   # the table still reaches the CI log
    log = json.loads(out.read_text(encoding="utf-8"))
    assert sarif_errors(log) == []
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["GM-ADMIN-001"]["properties"]["criteria"] == ["7.4.4.2", "7.4.4.6"]
    assert rules["GM-ADMIN-001"]["properties"]["risks"] == ["H05", "H06", "M08", "M09", "L15", "L17"]
    assert rules["GM-ADMIN-001"]["properties"]["security-severity"] == "9.5"
    admin = next(r for r in run["results"] if r["ruleId"] == "GM-ADMIN-001")
    assert run["tool"]["driver"]["rules"][admin["ruleIndex"]]["id"] == "GM-ADMIN-001"
    assert admin["level"] == "error" and admin["kind"] == "fail"
    location = admin["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("tests/fixtures/tfplan/ssh_open/main.tf")
    assert location["physicalLocation"]["region"]["startLine"] == 12     # `resource "aws_security_group" "bastion" {`
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "aws_security_group.bastion"
    assert "7.4.4.2" in admin["message"]["text"] and "M08" in admin["message"]["text"]
    assert run["invocations"][0]["exitCode"] == 1


def test_sarif_for_modules_waivers_baselines_and_unknowns(tmp_path):
    exceptions = tmp_path / "exceptions.yaml"
    exceptions.write_text("""exceptions:
  - id: EXC-K1
    check: GM-KMS-001
    resource: aws_kms_key.k[1]
    reason: rotated by hand every 90 days
    owner: sec@example.co.jp
    approver: ciso@example.co.jp
    expires: 2027-03-31
""", encoding="utf-8")
    code, out, err = run_main("gate", PLANS / "modules.tfplan.json", "--source-dir", PLANS / "modules", "--format", "sarif",
                              "--exceptions", exceptions, "--as-of", AS_OF)
    assert code == 1, err
    log = json.loads(out)
    assert sarif_errors(log) == []
    results = {(r["ruleId"], r["properties"]["resource"]): r for r in log["runs"][0]["results"]}
    sg = results[("GM-ADMIN-001", 'module.net["a"].aws_security_group.sg')]
    physical = sg["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"].endswith("tests/fixtures/tfplan/modules/modules/net/main.tf")
    assert physical["region"]["startLine"] == 5
    waived = results[("GM-KMS-001", "aws_kms_key.k[1]")]
    assert waived["suppressions"][0]["status"] == "accepted" and "EXC-K1" in waived["suppressions"][0]["justification"]
    assert results[("GM-KMS-001", "aws_kms_key.k[1]")]["locations"][0]["physicalLocation"]["region"]["startLine"] == 20

    code, out, err = run_main("gate", PLANS / "aws.tfplan.json", "--format", "sarif", "--as-of", AS_OF)
    log = json.loads(out)
    assert sarif_errors(log) == []
    review = [r for r in log["runs"][0]["results"] if r["kind"] == "review"]
    assert review and all(r["level"] == "none" and r["properties"]["status"] == "NOT_EVALUATED" for r in review)
    assert all("physicalLocation" not in r["locations"][0] for r in log["runs"][0]["results"])   # no --source-dir


def test_sarif_baseline_state(tmp_path):
    baseline = tmp_path / "b.json"
    baseline.write_text(json.dumps({"genmei_baseline": "1.0", "failures": [{"check": "GM-ADMIN-001", "resource": "aws_security_group.bastion"}]}))
    code, out, _ = run_main("gate", SSH, "--format", "sarif", "--baseline", baseline, "--as-of", AS_OF)
    assert code == 1
    log = json.loads(out)
    assert sarif_errors(log) == []
    states = {r["ruleId"]: (r["baselineState"], r["level"]) for r in log["runs"][0]["results"]}
    assert states == {"GM-ADMIN-001": ("unchanged", "note"), "GM-NET-001": ("new", "error")}


def test_junit_one_case_per_check_and_resource(tmp_path):
    code, out, err = run_main("gate", PLANS / "aws.tfplan.json", "--format", "junit", "--as-of", AS_OF)
    assert code == 1, err
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    _, evidence_out, _ = run_main("gate", PLANS / "aws.tfplan.json", "--format", "json", "--as-of", AS_OF)
    results = json.loads(evidence_out)["results"]
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(results) == int(root.get("tests"))
    assert {(c.get("classname"), c.get("name")) for c in cases} == {(r["check"], r["resource"]) for r in results}
    by_key = {(c.get("classname"), c.get("name")): c for c in cases}
    failure = by_key[("GM-ADMIN-001", "aws_security_group.ssh_world")].find("failure")
    assert failure is not None and "7.4.4.2" in failure.text and "M08" in failure.text
    assert by_key[("GM-ADMIN-001", "aws_security_group.web")].find("*") is None            # a pass
    skipped = by_key[("GM-ADMIN-001", "aws_security_group.cidr_unknown")].find("skipped")
    assert skipped is not None and "known only after apply" in skipped.get("message")
    fails = sum(1 for r in results if r["status"] == "FAIL")
    assert int(root.get("failures")) == fails == sum(int(s.get("failures")) for s in root.findall("testsuite"))
    assert int(root.get("skipped")) == sum(1 for r in results if r["status"] in ("NOT_EVALUATED", "WAIVED"))


def test_junit_with_locations_is_written_whole(tmp_path):
    out = tmp_path / "junit.xml"
    code, stdout, err = run_main("gate", SSH, "--format", "junit", "--out", out, "--source-dir", PLANS / "ssh_open", "--as-of", AS_OF)
    assert code == 1, err
    case = ET.parse(out).getroot().find("testsuite/testcase")
    assert case.get("file").endswith("ssh_open/main.tf") and case.get("line") == "12"


def test_json_carries_the_gate_verdict():
    code, out, _ = run_main("gate", SSH, "--format", "json", "--as-of", AS_OF)
    evidence = json.loads(out)
    gate = evidence["gate"]
    assert code == 1 and gate["exit_code"] == 1 and gate["passed"] is False
    assert gate["format_version"] == "1.2" and gate["terraform_version"] == "1.9.5"
    assert len(gate["failing"]) == 2
    assert evidence["snapshot"]["provider"] == "terraform"
    assert {r["plan_action"] for r in evidence["results"]} == {"create"}
    assert evidence["risks"]["M08"]["judgement"] == "×"


def test_unparsable_tf_file_warns_and_keeps_going(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "main.tf").write_text('resource "aws_security_group" "bastion" {\n  name = \n')
    code, out, err = run_main("gate", SSH, "--source-dir", src, "--format", "sarif", "--as-of", AS_OF)
    assert code == 1
    assert "warning:" in err and "main.tf: cannot parse HCL" in err and "Traceback" not in err
    assert all("physicalLocation" not in r["locations"][0] for r in json.loads(out)["runs"][0]["results"])


@pytest.mark.parametrize("fmt", ["table", "json", "sarif", "junit"])
def test_out_is_refused_when_a_directory(tmp_path, fmt):
    code, _, err = run_main("gate", SSH, "--format", fmt, "--out", tmp_path)
    assert code == 2 and "is a directory" in err
