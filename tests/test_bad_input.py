"""Bad input: one line on stderr naming the file and the problem, exit 2, no output."""

import json

import pytest

from conftest import AS_OF, DEMO_SNAPSHOT, genmei


def run_bad(tmp_path, *extra):
    out = tmp_path / "out"
    code, stdout, stderr = genmei("scan", "--out", out, "--as-of", AS_OF, *extra)
    return code, stderr, out


def assert_one_line_input_error(code, stderr, out, *needles):
    assert code == 2, stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    for n in needles:
        assert str(n) in stderr
    assert not out.exists(), "no output may be written for bad input"


def test_malformed_snapshot(tmp_path):
    bad = tmp_path / "snap.json"
    bad.write_text('{"genmei_snapshot": "1.0", "meta": ')
    code, err, out = run_bad(tmp_path, "--snapshot", bad)
    assert_one_line_input_error(code, err, out, bad, "malformed JSON")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(tmp_path, constant):
    bad = tmp_path / "snap.json"
    bad.write_text(DEMO_SNAPSHOT.read_text().replace('"genmei_snapshot"', f'"x": {constant}, "genmei_snapshot"', 1))
    code, err, out = run_bad(tmp_path, "--snapshot", bad)
    assert_one_line_input_error(code, err, out, bad, f"malformed JSON: {constant} is not a JSON value")


def test_integers_beyond_64_bits_are_kept_exact():
    """orjson would read them as floats; parse_json keeps what the file says."""
    from genmei.engine.jsonio import dump_json, parse_json

    doc = parse_json(b'{"a": 18446744073709551616, "b": [-99999999999999999999, -9999999999999999999], "c": "1234567890123456789012"}', "x")
    assert doc == {"a": 18446744073709551616, "b": [-99999999999999999999, -9999999999999999999], "c": "1234567890123456789012"}
    assert parse_json(dump_json(doc), "x") == doc


def test_snapshot_off_schema(tmp_path):
    doc = json.loads(DEMO_SNAPSHOT.read_text())
    del doc["resources"][0]["type"]
    bad = tmp_path / "snap.json"
    bad.write_text(json.dumps(doc))
    code, err, out = run_bad(tmp_path, "--snapshot", bad)
    assert_one_line_input_error(code, err, out, bad, "$.resources[0]", "'type' is a required property")


def test_duplicate_resource(tmp_path):
    doc = json.loads(DEMO_SNAPSHOT.read_text())
    doc["resources"].append(doc["resources"][0])
    bad = tmp_path / "snap.json"
    bad.write_text(json.dumps(doc))
    code, err, out = run_bad(tmp_path, "--snapshot", bad)
    assert_one_line_input_error(code, err, out, "duplicate resource")


def test_missing_and_binary_snapshot(tmp_path):
    code, err, out = run_bad(tmp_path, "--snapshot", tmp_path / "nope.json")
    assert_one_line_input_error(code, err, out, "no such file")
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    code, err, out = run_bad(tmp_path, "--snapshot", binary)
    assert_one_line_input_error(code, err, out, "not UTF-8")


def test_huge_snapshot_is_refused(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2048)
    out = tmp_path / "out"
    code, _, err = genmei("scan", "--snapshot", big, "--out", out, env={"GENMEI_MAX_INPUT_BYTES": "1024"})
    assert_one_line_input_error(code, err, out, "exceeds the limit")


@pytest.mark.parametrize("value", ["severe", "H99", "H05,X1", ""])
def test_unknown_fail_on(tmp_path, value):
    code, err, out = run_bad(tmp_path, "--snapshot", DEMO_SNAPSHOT, "--fail-on", value)
    assert_one_line_input_error(code, err, out, "--fail-on")


BAD_YAML = [
    ("--attestations", "attestations:\n  - item: 6.1.3.1\n    kind: manual\n", "required property"),
    ("--attestations", "attestations:\n  - {item: 9.9.9.9, kind: manual, statement: s, attested_by: a, "
                       "attested_on: 2026-01-01, evidence_ref: r, expires: 2027-01-01}\n", "9.9.9.9"),
    ("--exceptions", "exceptions:\n  - id: [unclosed\n", "malformed YAML"),
    ("--exceptions", "exceptions:\n  - {id: E1, check: GM-NET-001, reason: r, owner: o, expires: 2027-01-01}\n",
     "'approver' is a required property"),
    ("--exceptions", "exceptions:\n  - {id: E1, check: GM-NET-999, reason: r, owner: o, approver: a, expires: 2027-01-01}\n",
     "GM-NET-999"),
]


@pytest.mark.parametrize("option,text,needle", BAD_YAML)
def test_invalid_attestations_and_exceptions(tmp_path, option, text, needle):
    bad = tmp_path / "input.yaml"
    bad.write_text(text)
    code, err, out = run_bad(tmp_path, "--snapshot", DEMO_SNAPSHOT, option, bad)
    assert_one_line_input_error(code, err, out, bad, needle)


def test_usage_errors_are_one_line(tmp_path):
    code, _, err = genmei("scan")
    assert code == 2 and err.count("\n") == 1 and "--snapshot" in err
    code, _, err = genmei("catalog", "items", "--risk", "Z01")
    assert code == 2 and err.count("\n") == 1


def test_out_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    code, _, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--out", f)
    assert code == 2 and "not a directory" in err and f.read_text() == "x"
