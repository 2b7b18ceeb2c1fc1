"""The Rego checks as a collection: each has a _test.rego with a pass and a fail case,
`genmei policy test` runs them in the real engine and fails on a failing test, and
every check's METADATA names criteria items and risks that seed 004 connects."""

import re
import shutil

import yaml

from conftest import ROOT, genmei
from genmei.engine.policies import load_bundle

POLICIES = ROOT / "policies"


def check_files():
    return [p for p in POLICIES.rglob("*.rego") if not p.name.endswith("_test.rego") and p.parent.name != "lib"]


def test_every_check_has_a_test_with_pass_and_fail_cases():
    files = check_files()
    assert len(files) >= 7
    for f in files:
        test = f.with_name(f.stem + "_test.rego")
        assert test.exists(), f"{f} has no {test.name}"
        src = test.read_text()
        assert '"PASS"' in src and '"FAIL"' in src, f"{test.name} needs a pass and a fail case"


def test_policy_test_command_passes():
    code, out, err = genmei("policy", "test", "-v")
    assert code == 0, out + err
    m = re.search(r"rego: (\d+) passed, 0 failed", out)
    assert m and int(m.group(1)) >= 30


def test_policy_test_command_fails_on_a_failing_test(tmp_path):
    root = tmp_path
    shutil.copytree(POLICIES, root / "policies")
    shutil.copytree(ROOT / "mappings", root / "mappings")
    t = root / "policies" / "encryption" / "disk_unencrypted_test.rego"
    source = t.read_text()
    assert '{"vol-1": "FAIL"}' in source
    t.write_text(source.replace('{"vol-1": "FAIL"}', '{"vol-1": "PASS"}', 1))
    code, out, _ = genmei("policy", "test", env={"GENMEI_HOME": str(root)})
    assert code == 1
    assert "FAIL: genmei.checks.encryption.disk_unencrypted_test.test_unencrypted_disk_fails" in out
    assert "rego: 1 failed" not in out and ", 1 failed" in out


def test_policy_list_reads_metadata_back_from_the_engine():
    code, out, err = genmei("policy", "list", "--format", "json")
    assert code == 0, err
    import json
    checks = {c["id"]: c for c in json.loads(out)}
    assert {"GM-ADMIN-001", "GM-NET-001", "GM-ENC-001", "GM-STO-001", "GM-STO-002", "GM-TLS-001", "GM-AVL-001"} <= set(checks)
    assert checks["GM-ADMIN-001"]["criteria"] == ["7.4.4.2", "7.4.4.6"]
    assert checks["GM-ADMIN-001"]["risks"] == ["H05", "H06", "M08", "M09", "L15", "L17"]
    assert checks["GM-ADMIN-001"]["title"]["en"].startswith("Administrative ports")


def test_check_metadata_agrees_with_seed_004():
    """Every criteria item of a check exists, and is cited in seed 004 by at least one
    of the risks the check names (and each named risk cites at least one of its items,
    unless the check is supporting evidence only: no items, and a rationale saying why)."""
    criteria = {i["id"]: i for i in yaml.safe_load((ROOT / "mappings" / "criteria.yaml").read_text())["items"]}
    for f in check_files():
        head = f.read_text().split("\npackage ", 1)[0].splitlines()
        meta = yaml.safe_load("\n".join(l[2:] for l in head if l.startswith("# ") and l != "# METADATA"))
        custom = meta["custom"]
        if not custom["criteria"]:
            assert set(custom["rationale"]) == {"supporting"}, f.name
            continue
        for item in custom["criteria"]:
            assert item in criteria, (f.name, item)
        pairs = {(i, c["risk"]) for i in custom["criteria"] for c in criteria[i]["cited_by"]}
        for item in custom["criteria"]:
            assert any((item, r) in pairs for r in custom["risks"]), (f.name, item)
        for risk in custom["risks"]:
            assert any((i, risk) in pairs for i in custom["criteria"]), (f.name, risk)


def test_thresholds_are_data_not_literals():
    params = yaml.safe_load((POLICIES / "params.yaml").read_text())
    assert params["admin_ports"] == [22, 3389, 5985, 5986]
    for f in check_files():
        src = f.read_text().split("\npackage ", 1)[1]
        for literal in ("3389", "5985", '"1.2"', "0.0.0.0/0"):
            assert literal not in src, (f.name, literal)
    assert load_bundle().params == params


def test_checks_and_the_example_use_only_documented_resource_types():
    import json
    types = yaml.safe_load((ROOT / "mappings" / "resource-types.yaml").read_text())["types"]
    for f in check_files():
        head = f.read_text().split("\npackage ", 1)[0]
        declared = re.search(r"resource_types: \[([^\]]+)\]", head).group(1)
        for t in (x.strip() for x in declared.split(",")):
            assert t in types, (f.name, t)
    snapshot = json.loads((ROOT / "collectors" / "example" / "demo-snapshot.json").read_text())
    assert {r["type"] for r in snapshot["resources"]} <= set(types)
