"""The engine's promises, independent of any one check: no resource lost, defects
visible as ERROR, gaps NOT_EVALUATED (never PASS), metadata validated on load."""

import json
import shutil

import pytest

from conftest import DEMO_SNAPSHOT, genmei
from genmei.engine.backends.embedded import EmbeddedBackend
from genmei.engine.errors import EngineError
from genmei.engine.evaluate import evaluate
from genmei.engine.policies import load_bundle
from genmei.engine.snapshot import Snapshot, load_snapshot, validate_snapshot

CHECK_HEAD = """# METADATA
# title: テスト
# description: テスト
# scope: package
# custom:
#   id: GM-TEST-001
#   title_en: test
#   description_en: test
#   severity: low
#   criteria: ["6.6.1.12"]
#   risks: [H05]
#   layer: 抽象化層/リソース層
#   resource_types: [compute.disk]
#   remediation: {ja: なし, en: none}
package genmei.checks.test.defect

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())
"""


def bundle_with(tmp_path, body: str):
    root = tmp_path / "policies"
    shutil.copytree(load_bundle().root, root)
    (root / "network" / "defect.rego").write_text(CHECK_HEAD + body)
    return load_bundle(root)


def snapshot_of(resources, gaps=()):
    doc = {"genmei_snapshot": "1.0",
           "meta": {"provider": "aws", "account": "1", "collector": {"name": "t", "version": "1"},
                    "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:00:01Z", "gaps": list(gaps)},
           "resources": resources}
    validate_snapshot(doc, "test")
    return Snapshot(doc=doc, sha256="0" * 64, path="test")


def disk(i, **attrs):
    return {"id": f"vol-{i}", "type": "compute.disk", "provider": "aws", "native_type": "AWS::EC2::Volume",
            "attrs": attrs, "source": {"kind": "example"}}


def test_a_resource_without_a_record_is_an_error_not_lost(tmp_path):
    bundle = bundle_with(tmp_path, 'results contains lib.pass(r, "ok", "合格", {}) if { some r in lib.resources(metadata); r.attrs.x == 1 }\n')
    ev = evaluate(EmbeddedBackend(), bundle, snapshot_of([disk(1, x=1), disk(2, x=2)]))
    got = {r["resource"]: r for r in ev.results if r["check"] == "GM-TEST-001"}
    assert got["vol-1"]["status"] == "PASS"
    assert got["vol-2"]["status"] == "ERROR" and "no result" in got["vol-2"]["reason"]


def test_two_records_for_one_resource_is_an_error(tmp_path):
    bundle = bundle_with(tmp_path, 'results contains lib.pass(r, "a", "甲", {}) if { some r in lib.resources(metadata) }\n'
                                   'results contains lib.fail(r, "b", "乙", {}) if { some r in lib.resources(metadata) }\n')
    ev = evaluate(EmbeddedBackend(), bundle, snapshot_of([disk(1)]))
    (r,) = [r for r in ev.results if r["check"] == "GM-TEST-001"]
    assert r["status"] == "ERROR" and "2 results" in r["reason"]


def test_partitions_find_the_defects_one_answer_finds(tmp_path):
    """The engine's records are turned into results partition by partition as the
    workers answer (engine/evaluate.py Records): a resource with no record, one with two,
    and a record for a resource outside the check's types are the same ERRORs, and every
    other result the same, as when one engine answers for the whole snapshot."""
    bundle = bundle_with(tmp_path,
                         'results contains lib.pass(r, "ok", "合格", {"x": r.attrs.x}) if { some r in lib.resources(metadata); r.attrs.x != 2 }\n'
                         'results contains lib.fail(r, "b", "乙", {}) if { some r in lib.resources(metadata); r.attrs.x == 3 }\n'
                         'results contains {"resource": "elsewhere", "status": "PASS", "reason": "x", "reason_ja": "x"} if { '
                         'some r in lib.resources(metadata); r.id == "vol-5" }\n')
    snap = snapshot_of([disk(i, x=i % 4) for i in range(40)])

    def results(backend):
        return [r for r in evaluate(backend, bundle, snap).results if r["check"] == "GM-TEST-001"]

    alone = results(EmbeddedBackend())
    pooled = results(EmbeddedBackend(workers=2, partition_size=3, in_process_limit=0))
    assert pooled == alone
    statuses = {r["resource"]: r["status"] for r in pooled}
    assert statuses["vol-1"] == "PASS" and statuses["vol-2"] == "ERROR" and statuses["vol-3"] == "ERROR"
    assert statuses["elsewhere"] == "ERROR" and len(pooled) == 41
    assert [r["evidence"] for r in pooled if r["resource"] in ("vol-1", "vol-5")] == [{"x": 1}, {"x": 1}]


def two_type_bundle(tmp_path, body: str):
    root = tmp_path / "policies"
    shutil.copytree(load_bundle().root, root)
    head = CHECK_HEAD.replace("resource_types: [compute.disk]", "resource_types: [compute.disk, storage.bucket]")
    (root / "network" / "defect.rego").write_text(head + body)
    return load_bundle(root)


def alone_and_pooled(bundle, snap):
    def results(backend):
        return [r for r in evaluate(backend, bundle, snap).results if r["check"] == "GM-TEST-001"]
    return results(EmbeddedBackend()), results(EmbeddedBackend(workers=2, partition_size=3, in_process_limit=0))


def verdicts(results):
    return {(r["resource_type"], r["resource"]): r["status"] for r in results}


def test_records_naming_other_partitions_are_judged_over_every_partition(tmp_path):
    """A record that names a resource of another partition (vol-0, named from vol-7's)
    and a record outside the check's types sent by every partition ("elsewhere"): no
    partition can settle them, so the check is evaluated again and its records judged
    together — one result per resource, with the verdicts of one answer."""
    bundle = two_type_bundle(
        tmp_path, 'results contains lib.pass(r, "ok", "合格", {}) if { some r in lib.resources(metadata) }\n'
        'results contains {"resource": "elsewhere", "status": "PASS", "reason": "x", "reason_ja": "x", "evidence": {}} '
        'if { some r in lib.resources(metadata) }\n'
        'results contains {"resource": "vol-0", "status": "FAIL", "reason": "y", "reason_ja": "y", "evidence": {}} '
        'if { some r in lib.resources(metadata); r.id == "vol-7" }\n')
    alone, pooled = alone_and_pooled(bundle, snapshot_of([disk(i) for i in range(9)]))
    assert pooled == alone
    assert len(pooled) == len({r["id"] for r in pooled}) == 10
    assert verdicts(pooled)[("compute.disk", "vol-0")] == "ERROR" and verdicts(pooled)[(None, "elsewhere")] == "ERROR"
    assert verdicts(pooled)[("compute.disk", "vol-1")] == "PASS"


def test_an_id_two_types_share_is_judged_over_every_partition(tmp_path):
    """Records name resources by id only: where two of a check's types hold the id x, in
    different partitions, the check is judged over every partition together, as one
    answer judges it."""
    bundle = two_type_bundle(
        tmp_path, 'results contains lib.pass(r, "ok", "合格", {}) if { some r in lib.resources(metadata) }\n')
    bucket = {**disk("x"), "id": "x", "type": "storage.bucket", "native_type": "AWS::S3::Bucket"}
    alone, pooled = alone_and_pooled(bundle, snapshot_of([{**disk("x"), "id": "x"}] + [disk(i) for i in range(5)] + [bucket]))
    assert pooled == alone and len(pooled) == 7
    # the engine's set holds one record for x (the two were equal); one answer gives it to
    # the first of the check's types and leaves the other without a result
    assert verdicts(pooled)[("compute.disk", "x")] == "PASS" and verdicts(pooled)[("storage.bucket", "x")] == "ERROR"


def test_scan_exits_3_when_a_check_errs(tmp_path):
    shutil.copytree(load_bundle().root, tmp_path / "policies")
    shutil.copytree(load_bundle().root.parent / "mappings", tmp_path / "mappings")
    (tmp_path / "policies" / "network" / "defect.rego").write_text(CHECK_HEAD + 'results contains {"resource": "nope", "status": "PASS"} if { true }\n')
    out = tmp_path / "out"
    code, stdout, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--fail-on", "none", "--out", out,
                               env={"GENMEI_HOME": str(tmp_path)})
    assert code == 3 and "status ERROR" in err and "Traceback" not in err
    ev = json.loads((out / "evidence.json").read_text())
    errors = [r for r in ev["results"] if r["check"] == "GM-TEST-001" and r["status"] == "ERROR"]
    # both demo disks lack a record, and the stray record is reported too
    assert {r["resource"].rsplit("/", 1)[-1] for r in errors} == {"vol-0f66enc", "vol-0a77plain", "nope"}


def test_gap_yields_not_evaluated_for_every_check_over_its_types():
    gap = {"scope": "1/ap-northeast-1", "service": "ec2", "api": "DescribeVolumes", "resource_types": ["compute.disk"],
           "error_code": "AccessDenied", "message": "no"}
    ev = evaluate(EmbeddedBackend(), load_bundle(), snapshot_of([], gaps=[gap]))
    (r,) = [r for r in ev.results if r["check"] == "GM-ENC-001"]
    assert r["status"] == "NOT_EVALUATED" and "AccessDenied" in r["reason"] and "DescribeVolumes" in r["reason"]
    assert not [r for r in ev.results if r["status"] == "PASS"]


def test_raw_provider_json_never_reaches_the_engine():
    from genmei.engine.snapshot import evaluation_input
    snap = load_snapshot(DEMO_SNAPSHOT)
    snap.doc["resources"][0]["raw"] = {"secret": "x"}
    inp = evaluation_input(snap)
    assert "raw" not in json.dumps(inp)
    assert set(inp["resources"]) == {r["type"] for r in snap.resources}


def test_invalid_metadata_stops_the_run_naming_the_file(tmp_path):
    root = tmp_path / "policies"
    shutil.copytree(load_bundle().root, root)
    (root / "network" / "defect.rego").write_text(CHECK_HEAD.replace("severity: low", "severity: huge") + "results := []\n")
    with pytest.raises(EngineError, match=r"network/defect.rego: METADATA invalid at \$.custom.severity"):
        evaluate(EmbeddedBackend(), load_bundle(root), snapshot_of([]))


def test_a_check_without_metadata_stops_the_run_naming_the_file(tmp_path):
    """Its results could not be mapped to criteria or risks: refused, never dropped."""
    root = tmp_path / "policies"
    shutil.copytree(load_bundle().root, root)
    (root / "network" / "defect.rego").write_text("package genmei.checks.test.defect\n\nresults := []\n")
    with pytest.raises(EngineError, match=r"network/defect.rego: check has results but no METADATA"):
        evaluate(EmbeddedBackend(), load_bundle(root), snapshot_of([]))


def home_without_results(tmp_path, package_dir: str, check: str) -> dict:
    """A GENMEI_HOME whose one shipped check lost its `results` rule (its METADATA kept)."""
    shutil.copytree(load_bundle().root, tmp_path / "policies")
    shutil.copytree(load_bundle().root.parent / "mappings", tmp_path / "mappings")
    path = tmp_path / "policies" / package_dir / f"{check}.rego"
    source = path.read_text()
    kept = "\n".join(line for line in source.splitlines() if not line.startswith("results contains"))
    assert kept != source
    path.write_text(kept + "\n")
    return {"GENMEI_HOME": str(tmp_path)}


def test_a_check_without_results_refuses_the_bundle_everywhere(tmp_path):
    """Once it vanished: `policy list` and the gate showed 23 checks instead of 24, exit 0."""
    env = home_without_results(tmp_path, "admin_exposure", "admin_ports_world_open")
    needle = ("policies/admin_exposure/admin_ports_world_open.rego: package "
              "genmei.checks.admin_exposure.admin_ports_world_open has no `results`")
    code, out, err = genmei("policy", "list", env=env)
    assert code == 3 and needle in err and err.count("\n") == 1 and out == "", err
    code, out, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--out", tmp_path / "out", "--no-store", env=env)
    assert code == 3 and needle in err and not (tmp_path / "out").exists(), err
    plan = DEMO_SNAPSHOT.parents[2] / "tests" / "fixtures" / "tfplan" / "ssh_open.tfplan.json"
    code, out, err = genmei("gate", plan, "--fail-on", "none", env=env)
    assert code == 3 and needle in err, err


def test_a_check_whose_results_are_undefined_refuses_the_bundle(tmp_path):
    bundle = bundle_with(tmp_path, "results := [1] if { false }\n")
    with pytest.raises(EngineError, match=r"network/defect.rego: package genmei.checks.test.defect has no `results`"):
        evaluate(EmbeddedBackend(), bundle, snapshot_of([disk(1)]))
    # and through the worker processes, which learn the packages from a skeleton evaluation
    backend = EmbeddedBackend(workers=2, partition_size=1, in_process_limit=0)
    with pytest.raises(EngineError, match="has no `results`"):
        evaluate(backend, bundle, snapshot_of([disk(1), disk(2)]))


def test_a_check_nested_in_another_is_still_evaluated(tmp_path):
    """Packages come from the modules, not from a walk that stops at the first `results`."""
    root = tmp_path / "policies"
    shutil.copytree(load_bundle().root, root)
    (root / "network" / "outer.rego").write_text(CHECK_HEAD + 'results contains lib.pass(r, "outer", "外", {}) if some r in lib.resources(metadata)\n')
    (root / "network" / "inner.rego").write_text(
        CHECK_HEAD.replace("GM-TEST-001", "GM-TEST-002").replace("package genmei.checks.test.defect", "package genmei.checks.test.defect.inner")
        + 'results contains lib.fail(r, "inner", "内", {}) if some r in lib.resources(metadata)\n')
    ev = evaluate(EmbeddedBackend(), load_bundle(root), snapshot_of([disk(1)]))
    got = {(r["check"], r["status"]) for r in ev.results if r["check"].startswith("GM-TEST")}
    assert got == {("GM-TEST-001", "PASS"), ("GM-TEST-002", "FAIL")}


def test_duplicate_check_ids_are_refused(tmp_path):
    root = tmp_path / "policies"
    shutil.copytree(load_bundle().root, root)
    src = (root / "encryption" / "disk_unencrypted.rego").read_text()
    (root / "encryption" / "disk_copy.rego").write_text(src.replace("package genmei.checks.encryption.disk_unencrypted", "package genmei.checks.encryption.disk_copy"))
    with pytest.raises(EngineError, match="GM-ENC-001 already used"):
        evaluate(EmbeddedBackend(), load_bundle(root), snapshot_of([]))


def test_policy_bundle_digest_changes_with_any_module_or_parameter(tmp_path):
    base = load_bundle()
    assert load_bundle().sha256 == base.sha256
    assert load_bundle(params_override={"min_zones": 3}).sha256 != base.sha256


def test_params_override_changes_the_verdict(tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("world_open_allowed_ports: [80, 443, 2222]\n")
    code, out, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--params", params, "--fail-on", "none", "--format", "json")
    assert code == 0, err
    res = {(r["check"], r["resource"].rsplit("/", 1)[-1]): r["status"] for r in json.loads(out)["results"]}
    assert res[("GM-NET-001", "sg-0d44ftp")] == "PASS"
    params.write_text("no_such_param: 1\n")
    code, _, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--params", params)
    assert code == 2 and "no_such_param" in err


def test_a_gap_in_one_cloud_does_not_touch_another_clouds_checks():
    gap = {"scope": "sub/global", "service": "Microsoft.Resources", "api": "resources", "resource_types": ["cloud.account"],
           "error_code": "AuthorizationFailed", "message": "no"}
    snap = snapshot_of([], gaps=[gap])
    snap.doc["meta"]["provider"] = "azure"
    ev = evaluate(EmbeddedBackend(), load_bundle(), snap)
    checks = {r["check"] for r in ev.results}
    assert "GM-LOG-002" in checks  # a check for every cloud is not evaluated there
    assert "GM-IAM-002" not in checks  # the AWS-only root check has nothing to say about Azure


def test_a_snapshot_changed_during_the_scan_is_not_copied_into_the_evidence(tmp_path):
    import io

    from genmei.engine.commands.scan import _copy_of
    from genmei.engine.errors import InputError

    path = tmp_path / "snap.json"
    path.write_bytes(DEMO_SNAPSHOT.read_bytes())
    snap = load_snapshot(path)
    copy = io.BytesIO()
    _copy_of(snap).write_to(copy)
    assert copy.getvalue() == DEMO_SNAPSHOT.read_bytes()
    path.write_bytes(DEMO_SNAPSHOT.read_bytes() + b"\n")
    with pytest.raises(InputError, match="changed while it was being scanned"):
        _copy_of(snap).write_to(io.BytesIO())
