"""Every snapshot's attrs checked against their canonical type on load (engine/snapshot.py,
mappings/schema/resource-attrs.schema.json): a value of the wrong type is a one-line input
error naming the resource and the attribute path (exit 2) — never a PASS, never an
engine type error — and the compiled checker agrees with the reference validator."""

import copy
import json
import sys

import jsonschema
import pytest

from conftest import DEMO_SNAPSHOT, ROOT, genmei
from genmei.engine import attrs_schema
from genmei.engine.errors import InputError
from genmei.engine.snapshot import validate_snapshot

sys.path.insert(0, str(ROOT))
from bench.synthetic import generate  # noqa: E402

SSH = {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": 22, "to": 22}],
       "sources": ["0.0.0.0/0"]}


def snapshot(*resources) -> dict:
    return {"genmei_snapshot": "1.0",
            "meta": {"provider": "aws", "account": "1", "collector": {"name": "t", "version": "1"},
                     "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:00:00Z", "gaps": []},
            "resources": list(resources)}


def firewall(attrs, rid="sg-1") -> dict:
    return {"id": rid, "type": "network.firewall", "provider": "aws", "native_type": "AWS::EC2::SecurityGroup",
            "attrs": attrs, "source": {"kind": "example"}}


# The six wrong-type cases of the fail-open probe, and the path each must name.
WRONG = [
    ({"rules": "0.0.0.0/0 tcp 22"}, "attrs.rules"),
    ({"rules": {"ssh": SSH}}, "attrs.rules"),
    ({"rules": 22}, "attrs.rules"),
    ({"rules": [{**SSH, "sources": "0.0.0.0/0"}]}, "attrs.rules[0].sources"),
    ({"rules": [{**SSH, "direction": "Ingress"}]}, "attrs.rules[0].direction"),
    ({"rules": [{**SSH, "port_ranges": 5}]}, "attrs.rules[0].port_ranges"),
]


@pytest.mark.parametrize("attrs, path", WRONG)
def test_a_wrong_type_is_an_input_error_naming_resource_and_path(attrs, path):
    with pytest.raises(InputError) as e:
        validate_snapshot(snapshot(firewall({"rules": [SSH]}, "sg-ok"), firewall(attrs, "sg-bad")), "snap.json")
    assert str(e.value).startswith(f"snap.json: resource 'sg-bad' (network.firewall): {path}: ")


@pytest.mark.parametrize("attrs, path", WRONG[3:])
def test_scan_exits_2_with_one_line_and_writes_nothing(tmp_path, attrs, path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(snapshot(firewall(attrs))))
    code, out, err = genmei("scan", "--snapshot", bad, "--out", tmp_path / "out", "--fail-on", "none")
    assert code == 2 and err.count("\n") == 1 and f"'sg-1' (network.firewall): {path}" in err, err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_null_is_not_collected_and_unknown_attrs_are_left_alone():
    validate_snapshot(snapshot(firewall({"rules": None, "note": {"free": "form"}}),
                               {**firewall({}, "x"), "type": "vendor.thing", "attrs": {"rules": "anything"}}), "s")


def test_null_where_a_check_reads_without_a_guard_is_refused():
    for rule in ({**SSH, "port_ranges": None}, {**SSH, "port_ranges": [{"from": None, "to": 22}]}, {**SSH, "protocol": None}):
        with pytest.raises(InputError):
            validate_snapshot(snapshot(firewall({"rules": [rule]})), "s")


def test_the_shipped_snapshots_are_valid():
    validate_snapshot(json.loads(DEMO_SNAPSHOT.read_text()), "demo")
    validate_snapshot(generate(2000), "synthetic")


# Values of other types (and out-of-range numbers) put in place of each attr in turn.
MUTATIONS = ("x", 7, -1, 70000, 1.5, 22.0, True, None, [], {}, ["x"], [{"from": 1}], {"a": 1}, "INGRESS")


def test_the_compiled_checker_agrees_with_the_reference_validator():
    """Every attr (and every field of every nested rule, range and tls) of a large mixed
    snapshot replaced in turn by values of other types: both validators give the same verdict."""
    doc = generate(600, seed=11)
    schema = attrs_schema.document()
    checked = disagreements = 0
    for r in doc["resources"]:
        t = r["type"]
        reference = jsonschema.Draft202012Validator({"$ref": f"#/$defs/{t}", "$defs": schema["$defs"]})
        compiled = attrs_schema.list_checker(t)
        for path in _paths(r["attrs"]):
            for bad in MUTATIONS:
                attrs = copy.deepcopy(r["attrs"])
                _set(attrs, path, bad)
                want = reference.is_valid(attrs)
                got = compiled([attrs]) == -1
                checked += 1
                disagreements += want != got
                assert want == got, (t, path, bad, attrs)
    assert checked > 5000 and disagreements == 0


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value[:2]):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


def _set(value, path, new):
    for key in path[:-1]:
        value = value[key]
    value[path[-1]] = new
