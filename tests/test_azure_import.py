"""`genmei import azure-graph`: Resource Graph results in every accepted shape, the
normalisers shared with the live collector, gaps for what an export cannot hold, and a
clear exit 2 for what is not Resource Graph results."""

import json

import pytest

from azure_support import FIXTURES, SUB_A, by_name, collect, run_cli, serve
from genmei.collectors.azure import graph_import
from conftest import genmei
from genmei.engine.errors import InputError
from genmei.engine.snapshot import validate_snapshot

PAGES = [FIXTURES / "graph-page1.json", FIXTURES / "graph-page2-az.json", FIXTURES / "graph-containers-table.json"]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("import") / "snapshot.json"
    code, stdout, stderr = genmei("import", "azure-graph", *PAGES, "--out", out)
    assert code == 0, stderr
    return json.loads(out.read_text()), stdout


def test_pages_in_rest_az_and_table_form_import_as_one(imported):
    snapshot, stdout = imported
    validate_snapshot(snapshot, "import")
    assert stdout.startswith("snapshot: ") and "sha256" in stdout
    assert snapshot["meta"]["accounts"] == [SUB_A]
    names = {(r["type"], r["name"]) for r in snapshot["resources"]}
    assert {("network.firewall", "nsg-open"), ("compute.instance", "vm-web"), ("db.instance", "sql-bad"),
            ("kms.vault", "kv-bad"), ("cloud.account", "genmei-prod")} <= names
    assert {r["source"]["kind"] for r in snapshot["resources"]} == {"resource_graph"}


def test_import_and_live_collection_share_the_normalisers(imported, tmp_path):
    """What an export holds normalises exactly as the live collector's Resource Graph
    rows do; what it cannot hold (child resources read per server) is not collected."""
    with serve(tmp_path) as server:
        live = by_name(collect(server, subscriptions=SUB_A, inventory="graph"))
    exported = by_name(imported[0])
    for key in [k for k in exported if k[0] in ("network.firewall", "network.vpc", "compute.instance", "compute.disk",
                                                  "storage.bucket", "kms.vault", "k8s.cluster")]:
        assert exported[key]["attrs"] == live[key]["attrs"], key
        assert exported[key].get("zones") is None or exported[key]["zones"] == live[key]["zones"] or key[0] == "network.vpc"
    assert exported[("cloud.region", "global")]["attrs"]["threat_detection_enabled"] is True
    sql = exported[("db.instance", "sql-bad")]["attrs"]
    assert "public" not in sql and "storage_encrypted" not in sql  # firewall rules and TDE are not in Resource Graph
    assert exported[("db.instance", "sql-good")]["attrs"]["public"] is False  # public network access disabled


def test_keys_missing_from_an_export_are_a_gap(imported):
    gaps = imported[0]["meta"]["gaps"]
    assert [(g["api"], g["resource_types"], g["error_code"]) for g in gaps] == [
        ("PatchAssessmentResources", ["compute.host_management"], "NotInExport"),
        ("SecurityResources (sub-assessments)", ["vulnerability.report"], "NotInExport"), ("keys", ["kms.key"], "NotInExport")]


def test_one_page_of_many_is_a_gap_over_every_type(tmp_path):
    snapshot = graph_import.read([str(PAGES[0])])
    [gap] = [g for g in snapshot["meta"]["gaps"] if g["error_code"] == "MorePages"]
    assert "network.firewall" in gap["resource_types"] and "import every page together" in gap["message"]


def test_scan_of_an_import_judges_the_concerns(imported, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(imported[0]))
    code, out, err = genmei("scan", "--snapshot", path, "--format", "json", "--fail-on", "none", "--no-store")
    assert code == 0, err
    results = {(r["check"], r["resource"].rsplit("/", 1)[-1]): r["status"] for r in json.loads(out)["results"]}
    assert results[("GM-ADMIN-001", "nsg-open")] == "FAIL" and results[("GM-ADMIN-001", "nsg-web")] == "PASS"
    assert results[("GM-STO-002", "stopen")] == "FAIL"
    assert results[("GM-DB-001", "sql-bad")] == "NOT_EVALUATED"  # its firewall rules are not in the export
    assert results[("GM-K8S-001", "aks-public")] == "FAIL"


def test_rows_of_unmodelled_types_are_reported(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([
        {"id": f"/subscriptions/{SUB_A}/resourceGroups/r/providers/Microsoft.Web/sites/app", "type": "microsoft.web/sites", "name": "app"},
        {"id": f"/subscriptions/{SUB_A}/resourceGroups/r/providers/Microsoft.Web/sites/app", "type": "microsoft.web/sites", "name": "app"},
        {"id": f"/subscriptions/{SUB_A}/resourceGroups/r/providers/Microsoft.Compute/disks/d", "type": "microsoft.compute/disks",
         "name": "d", "location": "japaneast", "properties": {"encryption": {"type": "EncryptionAtRestWithPlatformKey"}}},
    ]))
    code, out, err = genmei("import", "azure-graph", path, "--out", tmp_path / "s.json")
    assert code == 0, err
    assert "not modelled (kept out of the snapshot): microsoft.web/sites ×1" in err
    assert "1 duplicate row(s)" in err


@pytest.mark.parametrize("content,message", [
    ('{"data": [', "malformed JSON at line 1"),
    ('"just text"', "not Resource Graph results (a JSON str"),
    ('{"something": 1}', "not Resource Graph results: expected `data`"),
    ('{"data": []}', "holds no rows"),
    ('{"data": [1, 2]}', "row 0 is a JSON int"),
    ('{"data": [{"count_": 3, "location": "japaneast"}]}', "row 0 has no ARM id and type (columns: count_, location); an aggregate query?"),
    ('{"data": [{"id": "vm1", "type": "microsoft.compute/virtualmachines"}]}', "row 0 has no ARM id and type"),
    ('{"interactions": []}', "a recorded HTTP session (VCR cassette), not Resource Graph results"),
    # shapes that used to crash (internal error): one line naming the row and the field
    ('{"data": [{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkSecurityGroups/n",'
     ' "type": "microsoft.network/networksecuritygroups", "location": {"name": "japaneast"}}]}',
     "row 0 (/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkSecurityGroups/n): `location` is a JSON object"),
    ('{"data": [{"id": "/subscriptions/s/x", "type": "microsoft.compute/disks", "zones": [{"z": 1}]}]}',
     "`zones` holds something other than zone names"),
    ('{"data": [{"id": "/subscriptions/s/x", "type": "microsoft.compute/disks", "properties": "on"}]}',
     "`properties` is a JSON string"),
    ('{"parameters": {}, "responses": {"404": {}}}', "an API example file without a 200 response body"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "in.json"
    path.write_text(content)
    code, out, err = run_cli(capsys, "import", "azure-graph", path, "--out", tmp_path / "s.json")
    assert code == 2
    assert message in err and err.count("\n") == 1, err
    assert not (tmp_path / "s.json").exists()


def test_read_raises_input_error_naming_the_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        graph_import.read([str(tmp_path / "missing.json")])
