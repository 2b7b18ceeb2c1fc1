"""`genmei report`: one command family for every rendering of a stored scan; bad input is
one line on stderr, exit 2, and no output file."""

import json
import shutil

import pytest

from conftest import genmei
from reporting import report


def run_report(*args):
    return report(*args)


@pytest.mark.parametrize("kind,suffix,expected", [
    ("checklist", "csv", "csv"), ("checklist", "xlsx", "xlsx"), ("checklist", "", "xlsx"),
    ("statement", "html", "html"), ("statement", "txt", "md"), ("soa", "csv", "csv"), ("oscal", "json", "json"),
])
def test_format_from_the_out_suffix(demo_scan, tmp_path, kind, suffix, expected):
    out = tmp_path / (f"r.{suffix}" if suffix else "r")
    code, stdout, stderr = run_report(kind, "--evidence", demo_scan["out"], "--out", out,
                                      "--service", "S", "--organisation", "O")
    assert code == 0, stderr
    assert stdout == f"{kind} ({expected}, ja): {out}\n"
    data = out.read_bytes()
    assert data.startswith({"xlsx": b"PK", "csv": b"\xef\xbb\xbf", "html": b"<!DOCTYPE html>", "md": b"# ",
                            "json": b"{"}[expected])


@pytest.mark.parametrize("kind,name,extra,message", [
    ("checklist", "c.ods", (), "report checklist writes xlsx, csv (name the file *.xlsx or *.csv), not a .ods file"),
    ("checklist", "c.out", (), "not a .out file"),
    ("checklist", "c.csv", ("--format", "xlsx"), "a .csv file cannot hold --format xlsx output (name it *.xlsx)"),
    ("soa", "s.xlsx", (), "report soa writes csv (name the file *.csv), not a .xlsx file"),
    ("html", "r.json", ("--format", "html"), "a .json file cannot hold --format html output"),
])
def test_a_suffix_that_names_another_format_is_refused(demo_scan, tmp_path, kind, name, extra, message):
    """`--out c.ods` never holds an XLSX workbook: the format and the name agree, or exit 2 and nothing written."""
    out = tmp_path / name
    code, stdout, stderr = run_report(kind, "--evidence", demo_scan["out"], "--out", out, *extra)
    assert (code, stdout) == (2, "") and message in stderr and stderr.count("\n") == 1, stderr
    assert not out.exists()


def test_a_copied_evidence_directory_renders_the_same(demo_scan, tmp_path):
    """Rendering reads only the stored evidence: a copy moved elsewhere renders identically."""
    copy = tmp_path / "archived-scan"
    shutil.copytree(demo_scan["out"], copy)
    for d, name in ((demo_scan["out"], "a.json"), (copy, "b.json")):
        code, _, stderr = run_report("oscal", "--evidence", d, "--out", tmp_path / name)
        assert code == 0, stderr
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def bad_evidence(tmp_path, demo_scan, mutate):
    d = tmp_path / "bad"
    shutil.copytree(demo_scan["out"], d)
    ev = json.loads((d / "evidence.json").read_text())
    text = mutate(ev)
    (d / "evidence.json").write_text(text if isinstance(text, str) else json.dumps(ev))
    return d


@pytest.mark.parametrize("mutate,message", [
    (lambda ev: "{not json", "malformed JSON"),
    (lambda ev: ev.update(format="something-else/1"), "not a genmei evidence document"),
    (lambda ev: ev.pop("results"), "lacks results"),
    (lambda ev: ev["risks"].pop("M11"), "risks must hold H01–M11"),
    (lambda ev: ev["items"]["6.6.1.10"]["results"].append("Rmissing"), "cites unknown result Rmissing"),
    (lambda ev: ev["results"][0].update(status="MAYBE"), "has no valid status"),
])
def test_bad_evidence_is_refused(demo_scan, tmp_path, mutate, message):
    d = bad_evidence(tmp_path, demo_scan, mutate)
    out = tmp_path / "r.html"
    code, stdout, stderr = run_report("html", "--evidence", d, "--out", out)
    assert code == 2
    assert message in stderr and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert not out.exists()


@pytest.mark.parametrize("args,message", [
    (("--evidence", "/nonexistent/scan"), "no such directory"),
    (("--format", "xlsx"), "--format xlsx is not available"),
    (("--date", "22/11/2026"), "expected a date YYYY-MM-DD"),
])
def test_bad_options_are_refused(demo_scan, tmp_path, args, message):
    out = tmp_path / "r.json"
    base = {"--evidence": str(demo_scan["out"])}
    opts = dict(zip(args[::2], args[1::2]))
    argv = [x for k, v in {**base, **opts}.items() for x in (k, v)]
    code, _, stderr = run_report("oscal", *argv, "--out", out)
    assert code == 2
    assert message in stderr and stderr.count("\n") == 1
    assert not out.exists()


def test_as_a_subprocess_bad_input_is_one_line_and_exit_2(demo_scan, tmp_path):
    code, _, stderr = genmei("report", "soa", "--evidence", tmp_path, "--out", tmp_path / "x.csv")
    assert code == 2 and "no evidence.json" in stderr and stderr.count("\n") == 1
    code, _, stderr = genmei("report", "soa", "--evidence", demo_scan["out"], "--out", tmp_path)
    assert code == 2 and "is a directory" in stderr
    code, stdout, stderr = genmei("report", "soa", "--evidence", demo_scan["out"], "--out", tmp_path / "soa.csv")
    assert code == 0, stderr
    assert stdout == f"soa (csv, ja): {tmp_path / 'soa.csv'}\n"
