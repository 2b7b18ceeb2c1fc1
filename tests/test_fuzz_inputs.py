"""Fuzzing every reader of outside input through the command line, in this process
(engine.cli.main): the snapshot loader (scan), the plan reader (gate), the three
importers, and the YAML readers (attestations, exceptions, params).

Each input is a real one (the demo snapshot, the plan and importer fixtures, the example
YAML) mutated: a value somewhere replaced by one of another type or an extreme one, a
key dropped, a container emptied or nested deep, the bytes cut short, flipped or
padded. Whatever the input, genmei must answer as designed: exit 0, 1 (findings) or 2
(input refused, one line on stderr, no output written) — never an internal error, never
a traceback, never a partial output.

Failures in the canonical layer — a crash inside collectors/ (the plan reader, the
importers' normalisers), or a wrong-typed `attrs` reaching the checks (an OPA type error,
ERROR records) that the attrs schema is to refuse — are collected over the whole run and
the test fails naming each one with its count, so that one run shows them all; a failure
of the engine's own readers fails the test at once. Each one found is kept as the
smallest input that shows it in tests/test_canonical_layer_crashes.py.

Deterministic (derandomized, no example database) and bounded: GENMEI_FUZZ_SCALE
multiplies the example counts (1 in CI: the whole file runs in well under two minutes).
"""

import copy
import json
import os
import traceback
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, ROOT
from hypothesis import HealthCheck, given, settings, strategies as st
from inproc import run_cli_traced

SCALE = float(os.environ.get("GENMEI_FUZZ_SCALE", "1"))
FIXTURES = ROOT / "tests" / "fixtures"


def fuzz_settings(examples: int):
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


# -- mutations ---------------------------------------------------------------------------------

ODD_STRINGS = ["", " ", "0.0.0.0/0", "*", "-1", "1e99999", "\x1b[2J\x07", "=cmd|' /C calc'!A0", "\ud800",
               "../../etc/passwd", "null", "true", "A" * 5000, "ｆｕｌｌ", "\u202eevil"]
ODD_NUMBERS = [0, -1, 1, 22, 65535, 65536, -2**63, 2**63, 2**64, 10**30, 0.5, -0.0, 1e308, -1e308, 3.0]
SCALARS = st.one_of(st.none(), st.booleans(), st.sampled_from(ODD_NUMBERS), st.sampled_from(ODD_STRINGS),
                    st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                      max_leaves=8)


def slots(doc, path=()):
    """(parent, key) of every value in the document, the root's parent None."""
    yield None, None
    stack = [doc]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            yield node, key
            stack.append(value)


@st.composite
def mutated(draw, doc):
    """The document with one to three structural changes."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        parent, key = draw(st.sampled_from(list(slots(doc))))
        current = doc if parent is None else parent[key]
        action = draw(st.sampled_from(["replace", "replace", "replace", "drop", "empty", "wrap", "deep", "retype"]))
        if action == "drop" and parent is not None:
            del parent[key]
            continue
        if action == "empty":
            new = {} if isinstance(current, dict) else [] if isinstance(current, list) else None
        elif action == "wrap":
            new = [current] if draw(st.booleans()) else {"value": current}
        elif action == "deep":
            new = current
            for _ in range(draw(st.sampled_from([20, 300]))):
                new = [new]
        elif action == "retype":
            new = str(current) if not isinstance(current, str) else draw(st.sampled_from(ODD_NUMBERS))
        else:
            new = draw(VALUES)
        if parent is None:
            doc = new
        else:
            parent[key] = new
    return doc


def encode(doc) -> bytes:
    try:
        return json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
    except (ValueError, RecursionError):
        return b"[]"


@st.composite
def damaged(draw, data: bytes):
    """Bytes cut short, flipped, padded, or with a number made too large for a double."""
    action = draw(st.sampled_from(["cut", "flip", "pad", "bom", "huge", "nan"]))
    if action == "cut":
        return data[:draw(st.integers(0, max(0, len(data) - 1)))]
    if action == "flip":
        at = draw(st.integers(0, max(0, len(data) - 1)))
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:] if data else b"\x00"
    if action == "pad":
        return data + draw(st.sampled_from([b"\n", b"x", b"\x00", b"{}", b"\xff"]))
    if action == "bom":
        return b"\xef\xbb\xbf" + data
    digits = [i for i, c in enumerate(data) if 0x30 <= c <= 0x39]
    if not digits:
        return data
    at = draw(st.sampled_from(digits))
    return data[:at] + (b"1e99999" if action == "huge" else b"NaN") + data[at + 1:]


def variants(doc):
    """A structural mutation, encoded; sometimes damaged as bytes too."""
    return st.builds(lambda d: d, mutated(doc)).map(encode) | mutated(doc).map(encode).flatmap(damaged)


# -- the property ------------------------------------------------------------------------------

# Exit 3 because a wrong-typed attrs reached the checks: the canonical layer's attrs schema is to refuse it.
UNTYPED_ATTRS = ("embedded OPA: eval_error", "some checks could not produce a result (status ERROR)",
                 "the normalised plan: does not match")


def canonical_layer_defect(kind: str, code: int, stderr: str, exc: BaseException | None) -> str | None:
    """A short name for a failure that lies in the canonical layer, else None."""
    if exc is not None:
        frames = []
        for f in traceback.extract_tb(exc.__traceback__):
            path = Path(f.filename).resolve()
            if ROOT in path.parents:
                frames.append((path.relative_to(ROOT).as_posix(), f.name, f.lineno))
        if not frames:
            return None
        file, function, line = frames[-1]
        if file.startswith("collectors/"):
            return f"{file}:{line} {function}: {type(exc).__name__}"
        if kind == "import" and isinstance(exc, UnicodeEncodeError) and function == "compact_json":
            return "a lone surrogate let through by an importer's own JSON reader (not parse_json)"
        return None
    if code == 3 and any(p in stderr for p in UNTYPED_ATTRS):
        return "exit 3, attrs of a wrong type: " + " ".join(stderr.split())[:110]
    return None


def check(kind: str, args: list, out: Path, found: Counter) -> None:
    code, _, stderr, exc = run_cli_traced(*args)
    defect = canonical_layer_defect(kind, code, stderr, exc)
    if defect:
        found[defect] += 1
        return
    if exc is not None:
        raise AssertionError(f"internal error: {type(exc).__name__}: {exc}") from exc
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    assert code in (0, 1, 2), (code, stderr)
    if code == 2:
        assert stderr.startswith("genmei: error: ") and stderr.count("\n") == 1, stderr
        assert not out.exists(), "no output may be written for refused input"


def report(found: Counter) -> None:
    assert not found, "canonical-layer failures: " + "; ".join(f"{name} ×{n}" for name, n in sorted(found.items()))


def load(path: Path):
    return json.loads(path.read_text())


def fuzz(tmp_path_factory, kind: str, examples: int, strategy, command) -> Counter:
    """Run `command(directory, data) -> (args, output path)` on each drawn input; return
    the canonical-layer defects met."""
    found = Counter()

    @fuzz_settings(examples)
    @given(data=strategy)
    def run(data):
        args, out = command(tmp_path_factory.mktemp(kind), data)
        check(kind, args, out, found)

    run()
    return found


def written(directory: Path, name: str, data: bytes) -> Path:
    (directory / name).write_bytes(data)
    return directory / name


# -- snapshot ----------------------------------------------------------------------------------

def test_fuzz_snapshot(tmp_path_factory):
    report(fuzz(tmp_path_factory, "snapshot", 100, variants(load(DEMO_SNAPSHOT)), lambda d, data: (
        ["scan", "--snapshot", written(d, "snap.json", data), "--out", d / "out", "--no-store", "--as-of", AS_OF,
         "--fail-on", "high"], d / "out")))


# -- Terraform plans -----------------------------------------------------------------------------

PLANS = ["ssh_open.tfplan.json", "aws.tfplan.json", "azure.tfplan.json", "gcp.tfplan.json", "modules.tfplan.json"]


@pytest.mark.parametrize("plan", PLANS)
def test_fuzz_plan(tmp_path_factory, plan):
    report(fuzz(tmp_path_factory, "plan", 16, variants(load(FIXTURES / "tfplan" / plan)), lambda d, data: (
        ["gate", written(d, "plan.json", data), "--format", "json", "--out", d / "gate.json", "--fail-on", "high"],
        d / "gate.json")))


# -- importers -----------------------------------------------------------------------------------

IMPORTS = [("aws-config", FIXTURES / "aws_config" / "snapshot.json"),
           ("azure-graph", FIXTURES / "azure" / "graph-page1.json"),
           ("azure-graph", FIXTURES / "azure" / "graph-containers-table.json")]


@pytest.mark.parametrize("fmt,fixture", IMPORTS, ids=[f"{f}-{p.stem}" for f, p in IMPORTS])
def test_fuzz_import(tmp_path_factory, fmt, fixture):
    report(fuzz(tmp_path_factory, "import", 60, variants(load(fixture)), lambda d, data: (
        ["import", fmt, written(d, "input.json", data), "--out", d / "snapshot.json"], d / "snapshot.json")))


GCP_LINES = [json.loads(line) for line in (FIXTURES / "gcp" / "project.jsonl").read_text().splitlines() if line.strip()]


def cai_export(line_index: int, line: bytes) -> bytes:
    """The CAI fixture with one line replaced."""
    lines = [json.dumps(x).encode() for x in GCP_LINES]
    lines[line_index] = line.replace(b"\n", b" ")
    return b"\n".join(lines) + b"\n"


def test_fuzz_import_gcp_cai(tmp_path_factory):
    one_line = st.integers(0, len(GCP_LINES) - 1).flatmap(lambda i: variants(GCP_LINES[i]).map(lambda b: cai_export(i, b)))
    report(fuzz(tmp_path_factory, "import", 80, one_line, lambda d, data: (
        ["import", "gcp-cai", written(d, "export.jsonl", data), "--out", d / "snapshot.json"], d / "snapshot.json")))


# -- YAML: attestations, exceptions, params --------------------------------------------------------

def yaml_doc(path: Path):
    return yaml.safe_load(path.read_text())


YAML_TRICKS = ["a: &x [1]\nb: *x\n", "!!binary aGVsbG8=", "!!python/object/apply:os.system [id]", "1.0e+999", ".nan",
               "2026-02-30", "? [a]\n: b", "<<: {a: 1}", "- &a [*a]", "'unterminated", "\t- tab", "%YAML 1.1\n---\n"]


@st.composite
def yaml_variants(draw, doc):
    text = yaml.safe_dump(draw(mutated(doc)), allow_unicode=True, sort_keys=False)
    if draw(st.integers(0, 3)) == 0:  # a trick spliced into a line of the text
        lines = text.splitlines()
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(YAML_TRICKS)))
        text = "\n".join(lines) + "\n"
    return text.encode("utf-8", "surrogatepass")


YAML_INPUTS = [("--attestations", yaml_doc(EXAMPLES / "attestations.yaml")),
               ("--exceptions", yaml_doc(EXAMPLES / "exceptions.yaml")),
               ("--params", {"admin_ports": [22, 3389], "tls_versions": {"1.4": 14}, "min_zones": 2})]


@pytest.mark.parametrize("option,doc", YAML_INPUTS, ids=[o for o, _ in YAML_INPUTS])
def test_fuzz_yaml(tmp_path_factory, option, doc):
    """The engine's own readers: any failure fails the test."""
    found = fuzz(tmp_path_factory, "yaml", 50, yaml_variants(doc), lambda d, data: (
        ["scan", "--snapshot", DEMO_SNAPSHOT, option, written(d, "input.yaml", data), "--out", d / "out", "--no-store",
         "--as-of", AS_OF, "--fail-on", "high"], d / "out"))
    assert not found, found
