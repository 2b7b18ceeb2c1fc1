"""The live Azure collector: the real azure-mgmt-* clients (paging, retries, errors,
deserialisation) against a loopback TLS ARM server serving tests/fixtures/azure/world.json,
with 403, 429 and 409 faults. In-process with an injected static-token credential."""

import json

import pytest
from azure.core.exceptions import HttpResponseError

from azure_support import SUB_A, SUB_B, by_name, collect, faults, serve, world_doc
from genmei.collectors.azure.clients import ReadOnlyPolicy
from genmei.engine.errors import CollectionError
from genmei.engine.snapshot import validate_snapshot

# What the fixture world's resources must become (the attrs the checks read).
EXPECTED = {
    ("network.vpc", "vnet-prod"): {"cidr": "10.0.0.0/16", "flow_logs_enabled": True},
    ("network.vpc", "vnet-dev"): {"cidr": "10.1.0.0/16", "flow_logs_enabled": False},
    ("compute.instance", "vm-web"): {"public_ips": ["20.1.2.3"], "anti_spoofing": True},
    ("compute.instance", "vm-router"): {"public_ips": [], "anti_spoofing": False},
    ("compute.disk", "disk-cmk"): {"encrypted": True, "key_type": "customer"},
    ("compute.disk", "disk-pmk"): {"encrypted": True, "key_type": "provider"},
    ("storage.bucket", "stsecure"): {"public": False, "default_encryption": True, "key_type": "customer",
                                     "tls": {"enforced": True, "min_version": "1.2"}, "infrastructure_encryption": True},
    ("storage.bucket", "stopen"): {"public": True, "public_via": ["allowBlobPublicAccess"], "default_encryption": True,
                                   "tls": {"enforced": False, "min_version": "1.0"}, "infrastructure_encryption": False},
    ("kms.vault", "kv-good"): {"soft_delete_enabled": True, "purge_protection_enabled": True},
    ("kms.vault", "kv-bad"): {"soft_delete_enabled": True, "purge_protection_enabled": False},
    ("kms.key", "key-rotated"): {"managed_by": "customer", "enabled": True, "rotation_enabled": True, "rotation_period_days": 90},
    ("kms.key", "key-static"): {"managed_by": "customer", "rotation_enabled": False},
    ("k8s.cluster", "aks-private"): {"endpoint_public": False, "authorized_cidrs": []},
    ("k8s.cluster", "aks-public"): {"endpoint_public": True, "authorized_cidrs": []},
    ("db.instance", "sql-good"): {"public": False, "tls": {"enforced": True, "min_version": "1.2"}, "storage_encrypted": True,
                                  "multi_az": True, "backup_retention_days": 14},
    ("db.instance", "sql-bad"): {"public": True, "tls": {"enforced": True, "min_version": "1.0"}, "storage_encrypted": False,
                                 "multi_az": False, "backup_retention_days": 3},
    ("db.instance", "pg-good"): {"public": False, "tls": {"enforced": True, "min_version": "1.2"}, "multi_az": True,
                                 "backup_retention_days": 14},
    ("db.instance", "mysql-bad"): {"public": True, "tls": {"enforced": False, "min_version": "1.0"}, "multi_az": False,
                                   "backup_retention_days": 1},
    # NAT gateways: one per zone in vnet-prod; vnet-dev's has no zone (Azure picks one)
    ("network.gateway", "natgw-prod-1"): {"kind": "nat", "network_zones": ["japaneast-1", "japaneast-2"]},
    ("network.gateway", "natgw-dev"): {"kind": "nat", "network_zones": ["japanwest: zone chosen by Azure"]},
    ("cloud.account", "genmei-prod"): {"audit_log": {"all_regions": True, "trails": ["activity-to-law"]}},
    ("cloud.account", "genmei-dev"): {"audit_log": {"all_regions": False, "trails": []}},
}
ZONES = {
    ("network.vpc", "vnet-prod"): ["japaneast-1", "japaneast-2", "japaneast-3"],
    ("network.vpc", "vnet-dev"): [],  # japanwest has no availability zones
    ("k8s.cluster", "aks-private"): ["japaneast-1", "japaneast-2", "japaneast-3"],
    ("k8s.cluster", "aks-public"): [],
    ("db.instance", "pg-good"): ["japaneast-1", "japaneast-2"],
    ("db.instance", "mysql-bad"): ["japanwest-1"],
    ("db.instance", "sql-bad"): [],
}


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """Per-service lists, one item per page, with the fault list of faults.json."""
    with serve(tmp_path_factory.mktemp("arm"), faults=faults()) as server:
        snapshot = collect(server)
        yield snapshot, server


def test_snapshot_is_schema_valid_and_names_its_subscriptions(faulty):
    snapshot, _ = faulty
    validate_snapshot(snapshot, "azure collector output")
    assert snapshot["meta"]["provider"] == "azure"
    assert snapshot["meta"]["accounts"] == [SUB_A, SUB_B]  # the disabled subscription is skipped
    assert snapshot["meta"]["regions"] == ["japaneast", "japanwest"]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_resource_is_normalised(faulty, key):
    resource = by_name(faulty[0])[key]
    for attr, value in EXPECTED[key].items():
        assert resource["attrs"].get(attr) == value, (key, attr)
    if key in ZONES:
        assert resource["zones"] == ZONES[key]


def test_nsg_rules_keep_priority_and_service_tags(faulty):
    rules = by_name(faulty[0])[("network.firewall", "nsg-open")]["attrs"]["rules"]
    ingress = [r for r in rules if r["direction"] == "ingress"]
    assert ingress[:4] == [
        {"direction": "ingress", "action": "deny", "protocol": "tcp", "port_ranges": [{"from": 22, "to": 22}], "sources": ["Internet"], "priority": 90},
        {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": 3389, "to": 3389}], "sources": ["*"], "priority": 100},
        {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": 8080, "to": 8081}, {"from": 443, "to": 443}],
         "sources": ["Internet"], "priority": 110},
        {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": 22, "to": 22}], "sources": ["Internet"], "priority": 200},
    ]
    assert {"direction": "ingress", "action": "deny", "protocol": "all", "port_ranges": [], "sources": ["*"], "priority": 65500} in rules


def test_threat_detection_from_defender_plans(faulty):
    regions = {r["account"]: r for r in faulty[0]["resources"] if r["type"] == "cloud.region"}
    assert regions[SUB_A]["region"] == "global"
    assert regions[SUB_A]["attrs"]["threat_detection_enabled"] is True
    assert regions[SUB_B]["attrs"]["threat_detection_enabled"] is False
    assert regions[SUB_B]["attrs"]["defender_plans"] == {"Arm": "Standard", "VirtualMachines": "Free"}


def test_403_429_and_409_become_gaps_and_collection_goes_on(faulty):
    snapshot, _ = faulty
    gaps = {(g["scope"], g["api"]): g for g in snapshot["meta"]["gaps"]}
    scope = f"{SUB_B}/global"
    assert set(gaps) == {(scope, "network_security_groups.list_all"), (scope, "disks.list"), (scope, "managed_clusters.list")}
    nsg = gaps[(scope, "network_security_groups.list_all")]
    assert (nsg["service"], nsg["error_code"], nsg["resource_types"]) == ("network", "AuthorizationFailed", ["network.firewall"])
    assert "does not have authorization" in nsg["message"]
    assert gaps[(scope, "disks.list")]["error_code"] == "TooManyRequests"
    assert gaps[(scope, "managed_clusters.list")]["error_code"] == "ReadOnlyViolation"
    # Sub B's storage answered 429 twice, then the SDK's retry got the account.
    assert ("storage.bucket", "stdev") in by_name(snapshot)


def test_retries_follow_retry_after_and_stop(faulty):
    _, server = faulty
    def hits(path):
        return sum(1 for m, p, _ in server.requests if m == "GET" and p == path)
    assert hits(f"/subscriptions/{SUB_B}/providers/microsoft.storage/storageaccounts") == 3
    assert hits(f"/subscriptions/{SUB_B}/providers/microsoft.compute/disks") == 4  # 1 + retries=3


def test_only_reads_reach_the_server(faulty):
    _, server = faulty
    assert server.writes() == []
    # GETs, and the Resource Graph queries of the findings and patch assessments (read with
    # Resource Graph whatever --inventory says: they have no list API of their own)
    posts = [p for m, p, _ in server.requests if m != "GET"]
    assert {m for m, _, _ in server.requests} == {"GET", "POST"}
    assert set(posts) == {"/providers/microsoft.resourcegraph/resources"} and len(posts) == 2


def test_every_list_was_paged(faulty):
    snapshot, _ = faulty
    calls = snapshot["meta"]["api_calls"]
    # One item per page: two NSGs in sub A make two pages, sub B none (403).
    assert calls["network.network_security_groups.list_all"] == 2
    assert calls["compute.virtual_machines.list_all"] == 2 + 1
    assert sum(calls.values()) > 40


def test_secrets_never_reach_the_snapshot(faulty):
    text = json.dumps(faulty[0])
    for secret in ("Sup3rS3cret!", "aks-sp-secret-value", "ZXhwb3J0IEFQSV9UT0tFTj1zM2NyM3Q=", "IyEvYmluL3NoCmV4cG9ydCBEQl9QQVNTV09SRD1odW50ZXIy"):
        assert secret not in text
    vm = by_name(faulty[0])[("compute.instance", "vm-web")]["raw"]
    assert vm["properties"]["userData"] == "[REDACTED]"
    assert vm["properties"]["osProfile"]["linuxConfiguration"]["disablePasswordAuthentication"] is True


def test_graph_inventory_equals_per_service_lists(tmp_path):
    """One Resource Graph query (paged by $skipToken) and the typed list calls give the
    same canonical resources: the normalisers see the same ARM JSON."""
    with serve(tmp_path / "a") as server:
        arm = collect(server, inventory="arm")
    with serve(tmp_path / "g") as server:
        graph = collect(server, inventory="graph")
        assert server.writes() == []
    assert graph["meta"]["api_calls"]["resourcegraph.resources"] >= 2
    assert "network.network_security_groups.list_all" not in graph["meta"]["api_calls"]
    strip = lambda s: {(r["type"], r["id"]): {k: v for k, v in r.items() if k not in ("raw", "source")} for r in s["resources"]}
    assert strip(graph) == strip(arm)
    assert {r["source"]["kind"] for r in graph["resources"] if r["type"] == "network.firewall"} == {"resource_graph"}


def test_graph_failure_falls_back_to_lists_and_says_so(tmp_path):
    fault = {"method": "POST", "path": "/providers/microsoft.resourcegraph/resources", "status": 403, "code": "AuthorizationFailed"}
    with serve(tmp_path, faults=[fault]) as server:
        snapshot = collect(server, inventory="graph")
    assert "Resource Graph query failed (AuthorizationFailed" in snapshot["meta"]["description"]
    assert ("network.firewall", "nsg-open") in by_name(snapshot)
    # What only Resource Graph holds (Defender's findings, Update Manager's patch
    # assessments) has no fallback: a gap per subscription says so.
    gaps = snapshot["meta"]["gaps"]
    assert {(g["scope"], g["api"], tuple(g["resource_types"])) for g in gaps} == {
        (f"{sub}/global", f"resources ({table})", (ctype,)) for sub in (SUB_A, SUB_B)
        for table, ctype in (("microsoft.security/assessments/subassessments", "vulnerability.report"),
                             ("microsoft.compute/virtualmachines/patchassessmentresults", "compute.host_management"))}
    assert all(g["error_code"] == "QueryFailed" and "AuthorizationFailed" in g["message"] for g in gaps)


def test_named_subscriptions_and_an_unreadable_one(tmp_path):
    with serve(tmp_path) as server:
        snapshot = collect(server, subscriptions=f"{SUB_A},99999999-0000-0000-0000-000000000000")
    assert snapshot["meta"]["accounts"] == [SUB_A]
    [gap] = snapshot["meta"]["gaps"]
    assert gap["scope"] == "99999999-0000-0000-0000-000000000000/global"
    assert gap["error_code"] == "SubscriptionNotFound"
    assert "network.firewall" in gap["resource_types"]


def test_nothing_readable_is_a_collection_error(tmp_path):
    denied = [{"path": f"/subscriptions/{SUB_A}/.*", "status": 403, "code": "AuthorizationFailed"}]
    with serve(tmp_path, faults=denied) as server, pytest.raises(CollectionError, match="nothing could be read"):
        collect(server, subscriptions=SUB_A)


def test_no_subscription_is_a_collection_error(tmp_path):
    with serve(tmp_path, faults=[{"path": "/subscriptions", "status": 401, "code": "InvalidAuthenticationToken"}]) as server:
        with pytest.raises(CollectionError, match="cannot list subscriptions .InvalidAuthenticationToken"):
            collect(server)


def test_token_is_requested_for_the_endpoint_audience(tmp_path):
    from genmei.collectors.azure.clients import Clients
    clients = Clients(credential=None, endpoint="https://management.azure.com/")
    assert clients._options["credential_scopes"] == ["https://management.azure.com/.default"]
    clients = Clients(credential=None, endpoint="https://management.chinacloudapi.cn")
    assert clients._options["credential_scopes"] == ["https://management.chinacloudapi.cn/.default"]


def test_read_only_policy_lets_only_genmeis_requests_through():
    from types import SimpleNamespace
    policy = ReadOnlyPolicy()
    rg = "https://h/subscriptions/x/resourceGroups/rg/providers"
    for method, url in (("GET", "https://h/subscriptions/x/providers/Microsoft.Network/networkSecurityGroups?api-version=1"),
                        ("GET", "https://h/subscriptions/x/providers/Microsoft.Network/networkSecurityGroups?$skiptoken=2"),
                        ("GET", f"{rg}/Microsoft.KeyVault/vaults/v/keys/k"),
                        ("GET", f"{rg}/Microsoft.Sql/servers/s/databases/d/transparentDataEncryption/current"),
                        ("POST", "https://h/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01")):
        policy.on_request(SimpleNamespace(http_request=SimpleNamespace(method=method, url=url)))
    for method, url in (("PUT", "https://h/subscriptions/x/resourceGroups/r"),
                        ("POST", "https://h/subscriptions/x/providers/Microsoft.Storage/storageAccounts/s/listKeys"),
                        ("POST", "https://h/subscriptions/x/providers/Microsoft.Network/register"),
                        # reads that would return secrets or user data
                        ("GET", f"{rg}/Microsoft.KeyVault/vaults/v/secrets/db-password"),
                        ("GET", f"{rg}/Microsoft.Web/sites/app/config/appsettings"),
                        ("GET", f"{rg}/Microsoft.Compute/virtualMachines/vm?$expand=userData&api-version=1"),
                        ("GET", "https://h/subscriptions/x/providers/Microsoft.Compute/virtualMachines?$expand=UserData"),
                        ("GET", f"{rg}/Microsoft.Storage/storageAccounts/s/listKeys")):
        with pytest.raises(HttpResponseError, match="read-only"):
            policy.on_request(SimpleNamespace(http_request=SimpleNamespace(method=method, url=url)))
    # an ARM endpoint with a path of its own
    ReadOnlyPolicy("/arm").on_request(SimpleNamespace(http_request=SimpleNamespace(
        method="GET", url="https://h/arm/subscriptions/x/providers/Microsoft.Compute/disks")))


def test_past_the_deadline_no_call_is_started_and_the_rest_is_a_gap():
    from genmei.collectors.azure import calls
    from genmei.collectors.azure.inventory import Inventory
    reader = calls.Reader(Inventory(source={}), expired=lambda: True)
    assert reader.pages("network", "x.list", lambda: pytest.fail("called"), scope="s/global", resource_types=["network.vpc"]) is None
    assert reader.one("network", "x.get", lambda: pytest.fail("called"), scope="s/global", resource_types=["network.vpc"]) is None
    assert [g["error_code"] for g in reader.inv.gaps] == ["Timeout", "Timeout"]


def test_world_fixture_is_what_the_tests_say(faulty):
    """Guard against a fixture edit silently emptying a case: every named resource exists."""
    names = {r["name"] for r in world_doc()["resources"]}
    assert {n for _, n in EXPECTED if not n.startswith("genmei-")} <= names
