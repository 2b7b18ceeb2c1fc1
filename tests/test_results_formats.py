"""`scan --format ocsf|csv` and `gate --format ocsf|csv`: every result as an OCSF 1.6.0
Compliance Finding event (validated against a JSON Schema derived from the OCSF schema
repository, see fixtures/ocsf/README.md) or a CSV row; a --out suffix that names another
format is refused before anything runs."""

import copy
import csv
import io
import json

import jsonschema
import pytest

from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, ROOT, genmei
from genmei.engine.errors import InputError
from genmei.engine.formats import check_suffix
from genmei.engine.render.escape import csv_cell
from genmei.engine.render.ocsf import render_ocsf
from genmei.engine.render.results import CSV_HEADER, results_csv

SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "ocsf" / "compliance_finding-1.6.0.schema.json").read_text())
SSH = ROOT / "tests" / "fixtures" / "tfplan" / "ssh_open.tfplan.json"
ADMIN_SG = "arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-0b22admin"
WEB_SG = "arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-0a11web"
FTP_SG = "arn:aws:ec2:ap-northeast-3:123456789012:security-group/sg-0d44ftp"
GAP = "gap:123456789012/ap-northeast-3:eks:ListClusters"


def ocsf_errors(event: dict) -> list[str]:
    cls = jsonschema.validators.validator_for(SCHEMA)
    return [f"{e.json_path}: {e.message}" for e in cls(SCHEMA, format_checker=cls.FORMAT_CHECKER).iter_errors(event)]


@pytest.fixture(scope="module")
def scanned():
    """The example scanned with its exceptions (one WAIVED result) and a gap (NOT_EVALUATED)."""
    args = ["scan", "--snapshot", DEMO_SNAPSHOT, "--exceptions", EXAMPLES / "exceptions.yaml", "--as-of", AS_OF,
            "--fail-on", "none", "--no-store", "--lang", "en"]
    out = {}
    for fmt in ("json", "ocsf", "csv"):
        code, stdout, err = genmei(*args, "--format", fmt)
        assert code == 0, err
        out[fmt] = stdout
    return out


def test_schema_is_the_ocsf_compliance_finding_and_rejects_what_is_not():
    assert SCHEMA["$id"] == "https://schema.ocsf.io/schema/1.6.0/classes/compliance_finding?profiles=cloud"
    assert SCHEMA["properties"]["class_uid"]["const"] == 2003
    assert {"compliance", "finding_info", "metadata", "cloud", "severity_id", "time"} <= set(SCHEMA["required"])
    assert SCHEMA["$defs"]["compliance"]["properties"]["status_id"]["enum"] == [1, 2, 3, 0, 99]
    assert ocsf_errors({"class_uid": 2003})  # most required attributes missing


def test_one_valid_event_per_result(scanned):
    evidence = json.loads(scanned["json"])
    events = json.loads(scanned["ocsf"])
    assert len(events) == len(evidence["results"]) > 30
    for e in events:
        assert ocsf_errors(e) == [], e["finding_info"]["uid"]
    assert [e["finding_info"]["uid"] for e in events] == [r["id"] for r in evidence["results"]]
    assert [(e["compliance"]["control"], e["resources"][0]["uid"]) for e in events] == \
        [(r["check"], r["resource"]) for r in evidence["results"]]


def test_statuses_map_without_turning_unknown_into_pass(scanned):
    events = {(e["compliance"]["control"], e["resources"][0]["uid"]): e for e in json.loads(scanned["ocsf"])}
    fail = events[("GM-ADMIN-001", ADMIN_SG)]
    assert (fail["compliance"]["status_id"], fail["compliance"]["status"], fail["status"]) == (3, "Fail", "New")
    assert fail["compliance"]["requirements"] == ["7.4.4.2", "7.4.4.6"]
    assert fail["compliance"]["standards"] == ["JASA クラウド情報セキュリティ管理基準 (平成23年度版)"]
    assert (fail["severity_id"], fail["severity"]) == (5, "Critical")
    assert fail["cloud"] == {"provider": "AWS", "account": {"uid": "123456789012"}, "region": "ap-northeast-1"}
    admin = next(c for c in json.loads(scanned["json"])["checks"] if c["id"] == "GM-ADMIN-001")
    assert fail["unmapped"]["genmei"]["risks"] == admin["risks"] and "M08" in admin["risks"]
    assert fail["finding_info"]["title"] == "Administrative ports (SSH/RDP/WinRM) open to the internet"
    assert fail["remediation"]["desc"].startswith("Restrict the sources of administrative ports")

    passed = events[("GM-ADMIN-001", WEB_SG)]
    assert (passed["compliance"]["status_id"], passed["compliance"]["status"]) == (1, "Pass")

    waived = events[("GM-NET-001", FTP_SG)]
    assert (waived["compliance"]["status_id"], waived["status_id"], waived["status"]) == (3, 3, "Suppressed")
    assert any("EXC-2026-014" in d for d in waived["compliance"]["status_details"])
    assert waived["unmapped"]["genmei"]["status"] == "WAIVED"

    gap = events[("GM-AVL-001", GAP)]
    assert (gap["compliance"]["status_id"], gap["compliance"]["status"]) == (2, "Warning")
    assert "not collected" in gap["compliance"]["status_details"][0]
    assert gap["cloud"] == {"provider": "AWS"}  # the snapshot's cloud; a gap names no account of its own


def test_an_error_result_is_other_not_pass(scanned):
    evidence = json.loads(scanned["json"])
    broken = copy.deepcopy(evidence)
    broken["results"][0].update(status="ERROR", reason="check produced no result for this resource (a defect in the check)")
    event = render_ocsf(broken, "en", "edition")[0]
    assert (event["compliance"]["status_id"], event["compliance"]["status"]) == (99, "Error")
    assert ocsf_errors(event) == []


def test_csv_has_one_row_per_result(scanned):
    evidence = json.loads(scanned["json"])
    assert scanned["csv"].startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(scanned["csv"].lstrip("\ufeff"))))
    assert rows[0] == CSV_HEADER
    expected = [[r["check"], r["resource"], r["resource_type"] or "", r["provider"] or "", r["account"] or "",
                 r["region"] or "", r["status"], r["severity"], ";".join(r["criteria"]), ";".join(r["risks"]), r["reason"]]
                for r in evidence["results"]]
    assert rows[1:] == expected
    assert {"PASS", "FAIL", "WAIVED", "NOT_EVALUATED"} <= {r[6] for r in rows[1:]}


def test_csv_cells_cannot_run_as_formulas():
    for hostile in ("=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"):
        assert csv_cell(hostile) == "'" + hostile
    assert csv_cell("\r=1") == "'\u240d=1"  # guarded, and the carriage return shown, not kept
    for plain in ("sg-0b22admin", "1-2", "a=b", ""):
        assert csv_cell(plain) == plain
    assert csv_cell(None) is None  # the csv writer writes an empty field
    result = {"check": "GM-X-001", "resource": "=cmd|' /C calc'!A0", "resource_type": "storage.bucket",
              "provider": "aws", "account": "123456789012", "region": "-", "status": "FAIL", "severity": "high",
              "criteria": ["6.6.1.10"], "risks": ["H05"], "reason": "@bad name"}
    data = results_csv({"results": [result]})
    assert data.startswith(b"\xef\xbb\xbf")
    row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1]
    assert row[1] == "'=cmd|' /C calc'!A0" and row[5] == "'-" and row[10] == "'@bad name"


def test_gate_writes_ocsf_and_csv_and_refuses_a_contradicting_suffix(tmp_path):
    out = tmp_path / "gate.ocsf.json"
    code, stdout, err = genmei("gate", SSH, "--format", "ocsf", "--out", out, "--as-of", AS_OF)
    assert code == 1, err  # SSH open to the world
    assert "gate: FAILED" in stdout  # the table still reaches the CI log
    events = json.loads(out.read_text())
    assert events and all(ocsf_errors(e) == [] for e in events)
    assert any(e["compliance"]["status"] == "Fail" and e["compliance"]["control"] == "GM-ADMIN-001" for e in events)

    code, stdout, err = genmei("gate", SSH, "--format", "csv", "--out", tmp_path / "gate.csv", "--as-of", AS_OF)
    assert code == 1, err
    rows = list(csv.reader(io.StringIO((tmp_path / "gate.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == CSV_HEADER and len(rows) == len(events) + 1

    for fmt, name in (("csv", "x.ods"), ("csv", "x.json"), ("ocsf", "x.csv")):
        code, stdout, err = genmei("gate", SSH, "--format", fmt, "--out", tmp_path / name)
        assert code == 2, err
        suffix = "." + name.split(".")[1]
        assert err.strip().splitlines() == [f"genmei: error: --out {tmp_path / name}: a {suffix} file cannot hold "
                                            f"--format {fmt} output (name it *{'.csv' if fmt == 'csv' else '.json'})"]
        assert not (tmp_path / name).exists() and stdout == ""


def test_suffix_helper():
    check_suffix("csv", "out/results.csv")
    check_suffix("csv", "results")  # no suffix: taken as given
    check_suffix("ocsf", "findings.ocsf.json")
    check_suffix("xlsx", "Checklist.XLSX")
    with pytest.raises(InputError, match=r"a \.ods file cannot hold --format csv"):
        check_suffix("csv", "results.ods")
    with pytest.raises(InputError):
        check_suffix("html", "report.pdf")
