"""Bounded parsing: a hostile or careless YAML or JSON file is refused with one line
naming the file (exit 2) — quickly, in little memory, before anything is evaluated or
written. Billion laughs ran 4 GB for 90 s and did not end; !!binary params and numbers
beyond a double were internal errors; JSON nested ~1,000 deep crashed the evidence writer."""

import json
import subprocess
import sys
import time

import pytest
from conftest import AS_OF, DEMO_SNAPSHOT, ROOT, genmei
from hypothesis import given, settings, strategies as st
from inproc import run_cli

from genmei.engine.errors import InputError
from genmei.engine.jsonio import json_depth, parse_json
from genmei.engine.yamlio import parse_yaml

LAUGHS = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
) + "\n"


def assert_refused(code, stderr, out, *needles):
    assert code == 2, stderr
    assert stderr.count("\n") == 1 and stderr.startswith("genmei: error: ") and "Traceback" not in stderr, stderr
    for n in needles:
        assert str(n) in stderr, stderr
    assert not out.exists(), "nothing may be written for bad input"


def scan_with(tmp_path, option, text):
    path = tmp_path / "input.yaml"
    path.write_text(text)
    out = tmp_path / "out"
    code, _, stderr = run_cli("scan", "--snapshot", DEMO_SNAPSHOT, option, path, "--out", out, "--as-of", AS_OF,
                              "--fail-on", "none", "--no-store")
    return code, stderr, out, path


# -- YAML ------------------------------------------------------------------------------------

@pytest.mark.parametrize("option", ["--exceptions", "--attestations", "--params"])
def test_billion_laughs_is_refused_at_once(tmp_path, option):
    """A real process, with a deadline: the nine-level expansion is 387 million strings."""
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS)
    out = tmp_path / "out"
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "genmei.engine.cli", "scan", "--snapshot", str(DEMO_SNAPSHOT),
                           option, str(path), "--out", str(out), "--no-store"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert time.monotonic() - start < 30
    assert_refused(proc.returncode, proc.stderr, out, path, "aliases (*name) are not accepted")


NOT_PLAIN = [
    ("!!binary aGVsbG8=", "YAML tag !!binary"),
    ("!!python/object/apply:os.system [echo]", "YAML tag !!python/object/apply:os.system"),
    ("!!set {a, b}", "YAML tag !!set"),
    ("!!omap [a: 1]", "YAML tag !!omap"),
    ("!local x", "YAML tag !local"),
    ("1.0e+999", "is not finite"),
    ("-.inf", "is not finite"),
    (".nan", "is not finite"),
    ("2026-02-30", "'2026-02-30' at line 2 column 10 is not a valid timestamp"),
    ("!!bool maybe", "is not a valid bool"),
    ("9" * 5000, "has more than 4300 digits"),
    ("[" * 300 + "]" * 300, "nested more than 256 levels"),
]


@pytest.mark.parametrize("option", ["--exceptions", "--attestations", "--params"])
@pytest.mark.parametrize("value,needle", NOT_PLAIN, ids=[n for _, n in NOT_PLAIN])
def test_yaml_that_is_not_plain_data_is_one_line(tmp_path, option, value, needle):
    code, stderr, out, path = scan_with(tmp_path, option, f"# a comment\nexpires: {value}\n")
    assert_refused(code, stderr, out, path, needle)


@pytest.mark.parametrize("text,needle", [
    ("exceptions: []\n1: x\n", "YAML key at line 2 column 1 is not a plain string; quote it"),
    ("exceptions: []\nyes: x\n", "is not a plain string"),
    ("exceptions: []\n2026-01-01: x\n", "is not a plain string"),
    ("exceptions: []\nexceptions: []\n", "duplicate key 'exceptions' at line 2"),
    ("base: &b {a: 1}\nexceptions:\n  - <<: *b\n", "merge key << at line 3 column 5"),
    ("exceptions:\n  - <<: {id: x}\n", "merge key <<"),
    ("exceptions: [\n", "malformed YAML"),
    ("exceptions: []\n---\nexceptions: []\n", "malformed YAML"),
])
def test_yaml_keys_must_be_plain_unique_strings(tmp_path, text, needle):
    code, stderr, out, path = scan_with(tmp_path, "--exceptions", text)
    assert_refused(code, stderr, out, path, needle)


def test_exceptions_keyed_by_id_are_one_line(tmp_path):
    """An exceptions file written as a map of ids, and an id that is itself a map (once an
    internal error in `exceptions lint`)."""
    code, stderr, out, path = scan_with(tmp_path, "--exceptions", "EXC-1:\n  check: GM-NET-001\n")
    assert_refused(code, stderr, out, path, "'exceptions' is a required property")
    code, stderr, out, path = scan_with(tmp_path, "--exceptions", "exceptions:\n  EXC-1: {check: GM-NET-001}\n")
    assert_refused(code, stderr, out, path, "$.exceptions")
    bad = tmp_path / "ids.yaml"
    bad.write_text("exceptions:\n  - id: {EXC-1: x}\n    check: GM-NET-001\n  - id: {EXC-1: x}\n    check: GM-NET-001\n")
    for fmt in ("table", "json"):
        code, stdout, stderr = run_cli("exceptions", "lint", bad, "--format", fmt)
        assert code == 1 and stderr == "" and "is not of type 'string'" in stdout, (stdout, stderr)


def shipped_yaml():
    return [*ROOT.glob("mappings/*.yaml"), *ROOT.glob("mappings/examples/*.yaml"), ROOT / "policies" / "params.yaml",
            *ROOT.glob("collectors/**/*.yaml")]


def test_yaml_size_limit(tmp_path):
    """The limit covers every YAML file read, the shipped catalog too: set above it here."""
    limit = max(f.stat().st_size for f in shipped_yaml()) + 1000
    big = tmp_path / "exc.yaml"
    big.write_text("exceptions: []\n" + "# padding\n" * (limit // 10))
    out = tmp_path / "out"
    code, _, stderr = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--exceptions", big, "--out", out, "--no-store",
                             env={"GENMEI_MAX_YAML_BYTES": str(limit)})
    assert_refused(code, stderr, out, big, f"exceeds the limit of {limit} for YAML (GENMEI_MAX_YAML_BYTES)")


def test_the_shipped_yaml_is_plain():
    """Every YAML file genmei ships loads under the same rules (no anchors, tags, odd keys)."""
    from genmei.engine.yamlio import load_yaml
    files = shipped_yaml()
    assert len(files) >= 7
    for f in files:
        assert isinstance(load_yaml(f), dict), f


def test_plain_yaml_still_reads_as_before():
    doc = parse_yaml(b"a: 2026-01-01\nb: [1, 2.5, true, null, 'x', !!str 5]\nc: {d: 2026-01-01T10:00:00Z}\n", "f")
    assert doc == {"a": "2026-01-01", "b": [1, 2.5, True, None, "x", "5"], "c": {"d": "2026-01-01T10:00:00+00:00"}}
    assert parse_yaml(b"", "f") is None and parse_yaml(b"# nothing\n", "f") is None


# -- JSON ------------------------------------------------------------------------------------

def snapshot_with(tmp_path, placeholder_value: str):
    doc = json.loads(DEMO_SNAPSHOT.read_text())
    doc["resources"][0]["attrs"]["x"] = "PLACEHOLDER"
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(doc).replace('"PLACEHOLDER"', placeholder_value))
    return path


@pytest.mark.parametrize("number", ["1e99999", "-1e400", "1E+309"])
def test_numbers_beyond_a_double_are_refused(tmp_path, number):
    path = snapshot_with(tmp_path, number)
    out = tmp_path / "out"
    code, _, stderr = run_cli("scan", "--snapshot", path, "--out", out, "--no-store")
    assert_refused(code, stderr, out, path, f"number {number} is too large (it would be read as infinity)")


def test_a_plan_port_beyond_a_double_is_refused(tmp_path):
    """The issue's `to_port: 1e99999`: an internal error in the plan reader before."""
    plan = (ROOT / "tests" / "fixtures" / "tfplan" / "ssh_open.tfplan.json").read_text()
    assert '"to_port": 22' in plan
    path = tmp_path / "plan.json"
    path.write_text(plan.replace('"to_port": 22', '"to_port": 1e99999'))
    out = tmp_path / "gate.json"
    code, _, stderr = run_cli("gate", path, "--out", out, "--format", "json")
    assert_refused(code, stderr, out, path, "number 1e99999 is too large (it would be read as infinity)")


@pytest.mark.parametrize("fmt,fixture", [("aws-config", "aws_config/snapshot.json"), ("azure-graph", "azure/graph-page1.json")])
def test_importers_refuse_infinity_and_lone_surrogates(tmp_path, fmt, fixture):
    text = (ROOT / "tests" / "fixtures" / fixture).read_text()
    out = tmp_path / "snap.json"
    for bad, needle in (('"x": 1e99999, ', "too large"), ('"x": "\\ud800", ', "lone UTF-16 surrogate")):
        path = tmp_path / "input.json"
        path.write_text(text.replace("{", "{" + bad, 1))
        code, _, stderr = run_cli("import", fmt, path, "--out", out)
        assert_refused(code, stderr, out, path, needle)


def test_integers_of_thousands_of_digits_are_refused(tmp_path):
    path = snapshot_with(tmp_path, "9" * 5000)
    out = tmp_path / "out"
    code, _, stderr = run_cli("scan", "--snapshot", path, "--out", out, "--no-store")
    assert_refused(code, stderr, out, path, "integer of 5000 digits (at most 4300)")


@pytest.mark.parametrize("depth", [300, 1020, 5000])
def test_deep_json_is_refused_with_the_limit(tmp_path, depth):
    """1,020 levels passed the parser and crashed the evidence writer (RecursionError)."""
    path = snapshot_with(tmp_path, "[" * depth + "]" * depth)
    out = tmp_path / "out"
    code, _, stderr = run_cli("scan", "--snapshot", path, "--out", out, "--no-store")
    assert_refused(code, stderr, out, path, "JSON nested more than 256 levels deep (GENMEI_MAX_JSON_DEPTH)")


def test_json_depth_limit_is_configurable(tmp_path):
    """The demo snapshot and the catalog nest 8 levels: 10 reads them, and refuses 11."""
    out = tmp_path / "out"
    code, _, stderr = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--no-store", "--fail-on", "none",
                             env={"GENMEI_MAX_JSON_DEPTH": "10"})
    assert code == 0, stderr
    path = snapshot_with(tmp_path, "[[[[[[[[]]]]]]]]")
    code, _, stderr = genmei("scan", "--snapshot", path, "--out", out, "--no-store", env={"GENMEI_MAX_JSON_DEPTH": "10"})
    assert_refused(code, stderr, out, path, "nested more than 10 levels deep (GENMEI_MAX_JSON_DEPTH)")
    code, _, stderr = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--no-store", "--fail-on", "none",
                             env={"GENMEI_MAX_JSON_DEPTH": "lots"})
    assert code == 0 and "GENMEI_MAX_JSON_DEPTH='lots' is not a positive whole number; using 256" in stderr


def test_a_deep_plan_is_refused_by_the_gate(tmp_path):
    plan = json.loads((ROOT / "tests" / "fixtures" / "tfplan" / "ssh_open.tfplan.json").read_text())
    plan["variables"] = {"deep": {"value": "PLACEHOLDER"}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan).replace('"PLACEHOLDER"', "[" * 400 + "]" * 400))
    code, stdout, stderr = run_cli("gate", path, "--out", tmp_path / "gate.json", "--format", "json")
    assert_refused(code, stderr, tmp_path / "gate.json", path, "nested more than 256 levels")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from('ab"\\[]{}\n\u00e9'), max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.text(alphabet=st.sampled_from('k"\\[]{}'), max_size=4), children, max_size=4),
    max_leaves=40,
)


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.booleans())
def test_json_depth_counts_the_structure_not_the_strings(value, ascii_only):
    """Brackets, quotes and backslashes inside strings and keys do not count."""
    data = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert json_depth(data, 10_000) == _depth(value)
    assert parse_json(data, "x") == value


def test_json_depth_stops_counting_past_the_limit():
    deep = b"[" * 50 + b"]" * 50
    assert json_depth(deep, 10) == 11 and json_depth(deep, 50) == 50
    with pytest.raises(InputError, match="nested more than 256"):
        parse_json(b"[" * 257 + b"]" * 257, "x")
    assert parse_json(b"[" * 256 + b"]" * 256, "x") is not None
