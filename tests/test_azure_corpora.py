"""The shared corpora of real ARM JSON (../shared/corpora/azure_arm): every file imports or
is rejected with one clear line; the recorded sessions replay through the real SDK
clients of the live collector; the API examples serve as a world of their own."""

import json
import re

import pytest

from azure_arm_server import ArmServer, World
from azure_support import CORPORA, by_name, collect, run_cli
from genmei.engine.snapshot import validate_snapshot

FILES = sorted(CORPORA.glob("*/*.json"))
CASSETTES = [f for f in FILES if "cloud-custodian" in f.parent.name]
EXAMPLES = [f for f in FILES if "azure-rest-api-specs" in f.parent.name]
CUSTODIAN_SUB = "ea42f556-5106-4743-99b0-c129bfa71a47"
# ARM list paths the collector reads → the canonical type their items become.
LISTED = {
    r"/providers/microsoft\.network/networksecuritygroups$": "network.firewall",
    r"/providers/microsoft\.compute/virtualmachines$": "compute.instance",
    r"/providers/microsoft\.compute/disks$": "compute.disk",
    r"/providers/microsoft\.storage/storageaccounts$": "storage.bucket",
    r"/providers/microsoft\.keyvault/vaults$": "kms.vault",
    r"/providers/microsoft\.containerservice/managedclusters$": "k8s.cluster",
    r"/providers/microsoft\.sql/servers$": "db.instance",
    r"/providers/microsoft\.dbforpostgresql/flexibleservers$": "db.instance",
    r"/providers/microsoft\.dbformysql/flexibleservers$": "db.instance",
}


def test_the_corpora_are_there():
    assert len(CASSETTES) >= 40 and len(EXAMPLES) >= 8, CORPORA


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[-60:])
def test_every_file_imports_or_is_rejected_clearly(tmp_path, capsys, path):
    out = tmp_path / "snapshot.json"
    code, stdout, stderr = run_cli(capsys, "import", "azure-graph", path, "--out", out)
    assert code in (0, 2), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    if code == 2:
        assert stderr.startswith("genmei: error: ") and stderr.count("\n") == 1
        assert not out.exists()
        return
    snapshot = json.loads(out.read_text())
    validate_snapshot(snapshot, str(out))
    code, stdout, stderr = run_cli(capsys, "scan", "--snapshot", out, "--fail-on", "none", "--no-store", "--format", "json")
    assert code == 0, stderr
    assert json.loads(stdout)["results"]


def test_which_files_import():
    """The API examples of Resource Graph and of single ARM resources import; the
    aggregate query and the recorded sessions are rejected."""
    imported = {f.name for f in EXAMPLES if "ResourcesPropertiesQuery" not in f.name}
    assert len(imported) == 7


def recorded_body(interaction: dict):
    body = interaction["response"].get("body") or {}
    if "data" in body:
        return body["data"]
    try:
        return json.loads(body.get("string") or "null")
    except ValueError:  # data-plane XML and the like
        return None


def recorded_items(interactions: list[dict]) -> dict[str, int]:
    """Items per canonical type in the recorded list responses the collector asks for."""
    counts: dict[str, set] = {}
    for i in interactions:
        path = i["request"]["uri"].split("?", 1)[0].lower()
        ctype = next((t for pattern, t in LISTED.items() if re.search(pattern, path)), None)
        data = recorded_body(i)
        if ctype and i["request"]["method"] == "GET" and i["response"]["status"]["code"] == 200 and isinstance(data, dict):
            counts.setdefault(ctype, set()).update(v["id"].lower() for v in data.get("value") or [])
    return {t: len(ids) for t, ids in counts.items()}


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.name.split("__")[-1][:-5])
def test_recorded_sessions_replay_through_the_sdk(tmp_path, path):
    interactions = json.loads(path.read_text())["interactions"]
    world = World({"subscriptions": [{"id": f"/subscriptions/{CUSTODIAN_SUB}", "subscriptionId": CUSTODIAN_SUB,
                                      "displayName": "custodian", "state": "Enabled"}]})
    with ArmServer(tmp_path, world, recorded=interactions) as server:
        snapshot = collect(server, inventory="arm")
        assert server.writes() == []
    validate_snapshot(snapshot, path.name)
    found: dict[str, int] = {}
    for r in snapshot["resources"]:
        found[r["type"]] = found.get(r["type"], 0) + 1
    for ctype, n in recorded_items(interactions).items():
        assert found.get(ctype, 0) == n, (ctype, found)


def replay(tmp_path, name: str) -> dict:
    [path] = [f for f in CASSETTES if name in f.name]
    world = World({"subscriptions": [{"id": f"/subscriptions/{CUSTODIAN_SUB}", "subscriptionId": CUSTODIAN_SUB, "state": "Enabled"}]})
    with ArmServer(tmp_path, world, recorded=json.loads(path.read_text())["interactions"]) as server:
        return collect(server, inventory="arm")


def test_recorded_open_ports_nsg(tmp_path):
    fw = [r for r in replay(tmp_path, "NetworkSecurityGroupTest.test_find_by_name").get("resources") if r["type"] == "network.firewall"]
    assert fw and all(isinstance(r["attrs"]["rules"], list) and r["attrs"]["rules"] for r in fw)
    tags = {s for r in fw for rule in r["attrs"]["rules"] for s in rule["sources"]}
    assert {"*", "VirtualNetwork", "AzureLoadBalancer"} <= tags


def test_recorded_sql_firewall_makes_the_server_public(tmp_path):
    [db] = [r for r in replay(tmp_path, "SqlServerTest.firewall").get("resources") if r["type"] == "db.instance"]
    assert db["attrs"]["public"] in (True, False)  # its firewall rules were read from the recording
    assert db["attrs"]["tls"]["enforced"] is True


def test_recorded_defender_plans(tmp_path):
    [region] = [r for r in replay(tmp_path, "DefenderTest.test_azure_defender_pricing").get("resources") if r["type"] == "cloud.region"]
    assert region["attrs"]["threat_detection_enabled"] is True
    assert region["attrs"]["defender_plans"]["OpenSourceRelationalDatabases"] == "Free"


def test_api_examples_as_a_world(tmp_path):
    """The official API examples (one resource each) served as ARM would, read live."""
    resources = []
    for f in EXAMPLES:
        body = json.loads(f.read_text())["responses"]["200"]["body"]
        if isinstance(body, dict) and isinstance(body.get("id"), str):
            resources.append(body)
    subs = sorted({r["id"].split("/")[2] for r in resources})
    world = World({"subscriptions": [{"id": f"/subscriptions/{s}", "subscriptionId": s, "state": "Enabled"} for s in subs],
                   "resources": resources})
    with ArmServer(tmp_path, world) as server:
        snapshot = collect(server, inventory="arm")
    names = by_name(snapshot)
    assert {t for t, _ in names} >= {"network.firewall", "storage.bucket", "kms.vault", "k8s.cluster", "compute.disk", "compute.instance"}
    storage = next(r for (t, _), r in names.items() if t == "storage.bucket")
    assert storage["attrs"]["tls"]["enforced"] is False  # supportsHttpsTrafficOnly false in the example
    vm = next(r for (t, _), r in names.items() if t == "compute.instance")
    assert "userData" not in json.dumps(vm["raw"]) or vm["raw"]["properties"]["userData"] == "[REDACTED]"
