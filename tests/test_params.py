"""--params: deep-merged over policies/params.yaml and checked by
mappings/schema/params.schema.json. A threshold of the wrong type does not stop a check:
it turns FAILs into PASSes (`admin_ports: "22"` matches no port, `world_sources:
"0.0.0.0/0"` no source), so every wrong type is refused with one line, exit 2, before
anything is evaluated or written."""

import json

import pytest
from conftest import AS_OF, DEMO_SNAPSHOT, ROOT
from inproc import run_cli

from genmei.engine.errors import InputError
from genmei.engine.policies import deep_merge, load_bundle
from genmei.engine.yamlio import load_yaml


def scan(tmp_path, params_text: str, *extra):
    params = tmp_path / "params.yaml"
    params.write_text(params_text)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("scan", "--snapshot", DEMO_SNAPSHOT, "--params", params, "--out", out,
                                   "--as-of", AS_OF, "--fail-on", "none", "--no-store", *extra)
    return code, stdout, stderr, out


# Each of these turned a FAIL into a PASS, or an engine error, before the schema.
WRONG_TYPES = [
    ('world_sources: "0.0.0.0/0"', "$.world_sources"),
    ("world_sources: []", "$.world_sources"),
    ("world_sources: [0]", "$.world_sources[0]"),
    ("world_sources: null", "$.world_sources"),
    ('admin_ports: "22"', "$.admin_ports"),
    ("admin_ports: 22", "$.admin_ports"),
    ("admin_ports: [22.5]", "$.admin_ports[0]"),
    ("admin_ports: [22.0]", "admin_ports: 22.0 is not a whole number"),
    ('admin_ports: ["22"]', "$.admin_ports[0]"),
    ("admin_ports: [70000]", "$.admin_ports[0]"),
    ("admin_ports: [-1]", "$.admin_ports[0]"),
    ("admin_ports: [true]", "$.admin_ports[0]"),
    ("admin_ports: []", "$.admin_ports"),
    ("min_backup_retention_days: null", "$.min_backup_retention_days"),
    ('min_backup_retention_days: "7"', "$.min_backup_retention_days"),
    ("min_backup_retention_days: -1", "$.min_backup_retention_days"),
    ("min_backup_retention_days: 7.5", "$.min_backup_retention_days"),
    ('min_zones: "2"', "$.min_zones"),
    ("min_zones: 0", "$.min_zones"),
    ("min_tls_version: 1.2", "$.min_tls_version"),
    ('min_tls_version: "1.4"', "min_tls_version '1.4' is not one of tls_versions"),
    ('tls_versions: {"1.2": "12"}', "$.tls_versions['1.2']"),
    ("tls_versions: [12]", "$.tls_versions"),
    ("tls_versions: {TLS1.2: 12}", "$.tls_versions"),
    ('portless_protocols: "icmp"', "$.portless_protocols"),
    ("portless_protocols: [ICMP]", "$.portless_protocols[0]"),
    ('world_open_allowed_ports: [80, "443"]', "$.world_open_allowed_ports[1]"),
    ("no_such_param: 1", "unknown parameter(s) no_such_param"),
    ("- admin_ports", "expected a mapping of parameters"),
    ("admin_ports: !!binary aGVsbG8=", "YAML tag !!binary"),
    ("min_zones: 1.0e+999", "is not finite"),
    ("min_zones: .nan", "is not finite"),
]


@pytest.mark.parametrize("text,needle", WRONG_TYPES, ids=[t for t, _ in WRONG_TYPES])
def test_a_wrong_parameter_is_one_line_exit_2_and_nothing_written(tmp_path, text, needle):
    code, stdout, stderr, out = scan(tmp_path, text + "\n")
    assert code == 2, (text, stderr)
    assert stderr.count("\n") == 1 and stderr.startswith("genmei: error: ") and "Traceback" not in stderr, stderr
    assert str(tmp_path / "params.yaml") in stderr and needle in stderr, stderr
    assert not out.exists() and stdout == ""


def test_gate_checks_params_the_same_way(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text('admin_ports: "22"\n')
    code, _, stderr = run_cli("gate", ROOT / "tests" / "fixtures" / "tfplan" / "ssh_open.tfplan.json", "--params", params)
    assert code == 2 and "$.admin_ports" in stderr and stderr.count("\n") == 1, stderr


def test_every_parameter_of_params_yaml_is_typed_by_the_schema():
    schema = json.loads((ROOT / "mappings" / "schema" / "params.schema.json").read_text())
    defaults = load_yaml(ROOT / "policies" / "params.yaml")
    assert set(schema["properties"]) == set(defaults) == set(schema["required"])
    assert schema["additionalProperties"] is False


def test_deep_merge_keeps_what_the_override_does_not_name():
    base = {"a": [1, 2], "m": {"x": 1, "y": {"p": 1, "q": 2}}, "n": 3}
    assert deep_merge(base, {"m": {"y": {"q": 9}, "z": 4}, "a": [7]}) == \
        {"a": [7], "m": {"x": 1, "y": {"p": 1, "q": 9}, "z": 4}, "n": 3}
    assert base == {"a": [1, 2], "m": {"x": 1, "y": {"p": 1, "q": 2}}, "n": 3}  # not changed in place


def test_params_are_deep_merged_as_help_says(tmp_path):
    """Adding a TLS version keeps the four ranked ones: a shallow merge would have replaced
    tls_versions whole, leaving 1.2 unranked."""
    code, stdout, stderr, out = scan(tmp_path, 'tls_versions: {"1.4": 14}\nadmin_ports: [22, 2222]\n')
    assert code == 0, stderr
    params = json.loads((out / "policies.json").read_text())["params"]
    assert params["tls_versions"] == {"1.0": 10, "1.1": 11, "1.2": 12, "1.3": 13, "1.4": 14}
    assert params["admin_ports"] == [22, 2222]  # lists replace
    assert params["min_zones"] == load_yaml(ROOT / "policies" / "params.yaml")["min_zones"]
    code, stdout, _ = run_cli("scan", "--help")
    assert "deep-merged" in " ".join(stdout.split())


def test_a_valid_override_still_moves_verdicts(tmp_path):
    """The schema refuses wrong types only: a well-typed threshold moves a verdict."""
    statuses = {}
    for days in (0, 3650):
        (tmp_path / str(days)).mkdir()
        code, stdout, stderr, _ = scan(tmp_path / str(days), f"min_backup_retention_days: {days}\n", "--format", "json")
        assert code == 0, stderr
        statuses[days] = {r["resource"]: r["status"] for r in json.loads(stdout)["results"] if r["check"] == "GM-BAK-001"}
    judged = [r for r, s in statuses[0].items() if s != "NOT_EVALUATED"]
    assert judged and all(statuses[0][r] == "PASS" and statuses[3650][r] == "FAIL" for r in judged), statuses


def test_the_shipped_params_are_checked_too(tmp_path):
    """A broken edit of policies/params.yaml is refused like a broken --params."""
    import shutil
    root = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", root)
    (root / "params.yaml").write_text((root / "params.yaml").read_text().replace("min_zones: 2", 'min_zones: "2"'))
    with pytest.raises(InputError, match=r"params.yaml: does not match params.schema.json at \$.min_zones"):
        load_bundle(root)
