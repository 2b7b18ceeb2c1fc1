"""GM-RES-003 (C.1.1.7: redundancy and load distribution) through every collector path that
reads instance groups, other than the live AWS scan of the reference account
(tests/test_aws_reference.py): the AWS normaliser on partial reads, the AWS Config import,
a real Terraform plan, Azure (typed clients and Resource Graph against the loopback ARM
server, and the Resource Graph import) and GCP (Cloud Asset Inventory, imported and live).
The ops fixtures (tests/fixtures/ops) are reused, with the load balancers added here, so
one world serves both domains. Each fixture group's status is asserted exactly."""

import copy
import json
import subprocess
import sys

import pytest

from conftest import AS_OF, ROOT
from test_gcp_collect import key_file  # noqa: F401  (the fixture: a service-account key made for the tests)
from vulnerability_support import judge
from genmei.collectors.aws.model import AccountRaw
from genmei.collectors.aws.normalise import normalise as aws_normalise
from genmei.engine.cli import main

OPS = ROOT / "tests" / "fixtures" / "ops"
CHECK = "GM-RES-003"


def statuses(doc: dict, tmp_path) -> dict:
    """{resource id: status} of GM-RES-003 over the snapshot `doc` (the real engine)."""
    return {rid: r["status"] for (_, rid), r in judge(doc, tmp_path, (CHECK,)).items()}


def import_and_scan(kind, files, tmp_path, capsys, monkeypatch) -> tuple[dict, dict]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    snap = tmp_path / "s.json"
    code = main(["import", kind, *map(str, files), "--out", str(snap)])
    assert code == 0, capsys.readouterr().err
    doc = json.loads(snap.read_text())
    return doc, statuses(doc, tmp_path)


def groups_of(snapshot: dict) -> dict:
    return {r["name"]: r for r in snapshot["resources"] if r["type"] == "compute.instance_group"}


# --- AWS: the normaliser on what DescribeAutoScalingGroups returns ----------------------------

def _group(name, **extra):
    return {"AutoScalingGroupName": name, "AutoScalingGroupARN": f"arn:{name}", "MinSize": 2, "MaxSize": 4,
            "DesiredCapacity": 2, "AvailabilityZones": ["ap-northeast-1a"], **extra}


def test_aws_every_kind_of_attachment_counts():
    raw = {"autoscaling:DescribeAutoScalingGroups": [
        _group("tg", TargetGroupARNs=["arn:aws:elasticloadbalancing:ap-northeast-1:1:targetgroup/web/1"], LoadBalancerNames=[]),
        _group("classic", TargetGroupARNs=[], LoadBalancerNames=["legacy-elb"]),
        _group("lattice", TargetGroupARNs=[], LoadBalancerNames=[], TrafficSources=[
            {"Identifier": "arn:aws:vpc-lattice:ap-northeast-1:1:targetgroup/tg-1", "Type": "vpc-lattice"}]),
        _group("alone", TargetGroupARNs=[], LoadBalancerNames=[], TrafficSources=[]),
        _group("unrecorded"),
    ], "autoscaling:DescribePolicies": []}
    groups = {r["name"]: r["attrs"] for r in aws_normalise(AccountRaw(account="123456789012", regions={"ap-northeast-1": raw}))
              if r["type"] == "compute.instance_group"}
    assert groups["tg"]["load_balancers"] == ["arn:aws:elasticloadbalancing:ap-northeast-1:1:targetgroup/web/1"]
    assert groups["classic"]["load_balancers"] == ["legacy-elb"]
    assert groups["lattice"]["load_balancers"] == ["arn:aws:vpc-lattice:ap-northeast-1:1:targetgroup/tg-1"]
    assert groups["alone"]["load_balancers"] == []
    # a record naming none of the three lists cannot tell: not collected, with the reason
    assert "load_balancers" not in groups["unrecorded"]
    assert "names no target groups" in groups["unrecorded"]["not_collected"]["load_balancers"]


# --- AWS Config import ---------------------------------------------------------------------

def test_aws_config_import_statuses(tmp_path, capsys, monkeypatch):
    """api (2-8) behind a target group; worker (3) behind nothing, which may be fed by a
    queue (not judged); an older item without the lists is not evaluated; a group behind a
    load balancer that may shrink to one fails."""
    doc = json.loads((OPS / "aws-config.json").read_text())
    items = doc["configurationItems"]
    by_name = {i["resourceName"]: i for i in items if i["resourceType"] == "AWS::AutoScaling::AutoScalingGroup"}
    tg = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/api/0123456789abcdef"
    by_name["api"]["configuration"]["targetGroupARNs"] = [tg]
    old = copy.deepcopy(by_name["worker"])
    for key in ("loadBalancerNames", "targetGroupARNs"):
        del old["configuration"][key]
    solo = copy.deepcopy(by_name["api"])
    for item, name in ((old, "old"), (solo, "solo")):
        item["resourceName"] = item["configuration"]["autoScalingGroupName"] = name
        item["resourceId"] = item["ARN"] = item["configuration"]["autoScalingGroupARN"] = item["ARN"].replace(
            item["ARN"].rsplit("/", 1)[1], name)
    solo["configuration"]["minSize"] = 1
    (tmp_path / "config.json").write_text(json.dumps({"configurationItems": [*items, old, solo]}))
    snap, found = import_and_scan("aws-config", [tmp_path / "config.json"], tmp_path, capsys, monkeypatch)
    groups = groups_of(snap)
    assert groups["api"]["attrs"]["load_balancers"] == [tg]
    assert {name: found[g["id"]] for name, g in groups.items()} == {
        "api": "PASS", "worker": "NOT_EVALUATED", "old": "NOT_EVALUATED", "solo": "FAIL"}
    assert len(found) == 4


# --- Terraform: a real plan of tests/fixtures/tf/res2 ------------------------------------------

def test_terraform_plan_statuses(tmp_path):
    from test_parity import _missing, plan, terraform_env

    if _missing():
        pytest.skip(_missing())
    _, plan_json = plan("res2", tmp_path, terraform_env(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-m", "genmei.engine.cli", "gate", str(plan_json), "--format", "json",
         "--fail-on", "none", "--as-of", AS_OF], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    found = {r["resource"]: r["status"] for r in json.loads(proc.stdout)["results"] if r["check"] == CHECK}
    assert found == {
        "aws_autoscaling_group.web": "PASS",     # target_group_arns names the plan's target group
        "aws_autoscaling_group.api": "PASS",     # attached by aws_autoscaling_attachment
        "aws_autoscaling_group.solo": "FAIL",    # behind a target group, but may shrink to one
        "aws_autoscaling_group.batch": "NOT_EVALUATED",   # nothing in front: may be fed by a queue
    }
    from genmei.collectors.terraform.plan import read_plan
    from genmei.collectors.terraform.snapshot import normalise

    doc, _ = normalise(read_plan(str(plan_json)))
    by_id = {r["id"]: r["attrs"] for r in doc["resources"]}
    assert by_id["aws_autoscaling_group.api"]["load_balancers"] == ["aws_lb_target_group.api"]
    assert by_id["aws_autoscaling_group.batch"]["load_balancers"] == []


def _change(address, rtype, after, actions=("create",), unknown=None, expressions=None):
    return {"address": address, "mode": "managed", "type": rtype, "name": address.split(".")[1],
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": list(actions), "before": None if "create" in actions else after, "after": after,
                       "after_unknown": unknown or {}}}


def _plan_of(tmp_path, changes, config_resources=()):
    from genmei.collectors.terraform.plan import read_plan
    from genmei.collectors.terraform.snapshot import normalise

    doc = {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes,
           "configuration": {"root_module": {"resources": list(config_resources)}}}
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    snap, report = normalise(read_plan(str(tmp_path / "plan.json")))
    return {r["id"]: r for r in snap["resources"]}, report


def test_terraform_existing_group_unknown_lists_are_not_guessed(tmp_path):
    """An existing group whose lists are known only after apply (not refreshed) may have
    attachments outside the plan: not collected. A list set to something unknown that
    refers to nothing in the plan: unknown. Refreshed lists are the group's state."""
    sizes = {"name": "g", "min_size": 2, "max_size": 4}
    by_id, _ = _plan_of(tmp_path, [
        _change("aws_autoscaling_group.old", "aws_autoscaling_group", sizes, ("update",),
                {"target_group_arns": True, "load_balancers": True}),
        _change("aws_autoscaling_group.refreshed", "aws_autoscaling_group",
                {**sizes, "target_group_arns": ["arn:tg/x"], "load_balancers": []}, ("no-op",)),
        _change("aws_autoscaling_group.var", "aws_autoscaling_group", sizes, ("create",),
                {"target_group_arns": True, "load_balancers": True}),
    ], [{"address": "aws_autoscaling_group.var", "mode": "managed", "type": "aws_autoscaling_group", "name": "var",
         "expressions": {"target_group_arns": {"references": ["var.target_groups"]}}}])
    assert "known only after apply" in by_id["aws_autoscaling_group.old"]["attrs"]["not_collected"]["load_balancers"]
    assert by_id["aws_autoscaling_group.refreshed"]["attrs"]["load_balancers"] == ["arn:tg/x"]
    assert "attrs.load_balancers" in by_id["aws_autoscaling_group.var"]["unknown"]


# --- Azure: scale sets' network profiles -------------------------------------------------------

AZ_SUB = "/subscriptions/11111111-1111-1111-1111-111111111111"
AZ_RG = AZ_SUB + "/resourceGroups/rg-ops/providers/"
LB_POOL = AZ_RG + "Microsoft.Network/loadBalancers/lb-web/backendAddressPools/web"
AGW_POOL = AZ_RG + "Microsoft.Network/applicationGateways/agw/backendAddressPools/paused"
AZURE_EXPECTED = {
    # 2-10 behind a load balancer pool / 3 fixed behind nothing / 1 behind an application gateway pool
    AZ_RG + "Microsoft.Compute/virtualMachineScaleSets/vmss-web": "PASS",
    AZ_RG + "Microsoft.Compute/virtualMachineScaleSets/vmss-batch": "NOT_EVALUATED",
    AZ_RG + "Microsoft.Compute/virtualMachineScaleSets/vmss-paused": "FAIL",
}


def _nic(pools: dict) -> dict:
    return {"networkInterfaceConfigurations": [{"name": "nic", "properties": {"primary": True, "ipConfigurations": [
        {"name": "ip", "properties": {"subnet": {"id": AZ_RG + "Microsoft.Network/virtualNetworks/v/subnets/s"},
                                      **{k: [{"id": p} for p in v] for k, v in pools.items()}}}]}}]}


def azure_world() -> dict:
    world = json.loads((OPS / "azure-world.json").read_text())
    profiles = {"vmss-web": _nic({"loadBalancerBackendAddressPools": [LB_POOL]}), "vmss-batch": _nic({}),
                "vmss-paused": _nic({"applicationGatewayBackendAddressPools": [AGW_POOL]})}
    for r in world["resources"]:
        if r["name"] in profiles:
            r["properties"]["virtualMachineProfile"]["networkProfile"] = profiles[r["name"]]
    return world


@pytest.mark.parametrize("inventory", ["arm", "graph"])
def test_azure_live_statuses(inventory, tmp_path):
    from azure_support import collect, serve

    with serve(tmp_path / "arm", azure_world()) as server:
        snapshot = collect(server, inventory=inventory)
        assert server.writes() == []
    assert statuses(snapshot, tmp_path) == AZURE_EXPECTED
    groups = groups_of(snapshot)
    assert groups["vmss-web"]["attrs"]["load_balancers"] == [LB_POOL.lower()]
    assert groups["vmss-paused"]["attrs"]["load_balancers"] == [AGW_POOL.lower()]


def test_azure_graph_import_statuses(tmp_path, capsys, monkeypatch):
    rows = [{**r, "type": r["type"].lower(), "resourceGroup": "rg-ops", "subscriptionId": "11111111-1111-1111-1111-111111111111"}
            for r in azure_world()["resources"]]
    (tmp_path / "graph.json").write_text(json.dumps({"data": rows, "count": len(rows), "total_records": len(rows)}))
    _, found = import_and_scan("azure-graph", [tmp_path / "graph.json"], tmp_path, capsys, monkeypatch)
    assert found == AZURE_EXPECTED
    # a scale set whose record holds no network profile cannot tell
    for r in rows:
        r.get("properties", {}).get("virtualMachineProfile", {}).pop("networkProfile", None)
    (tmp_path / "graph.json").write_text(json.dumps({"data": rows, "count": len(rows), "total_records": len(rows)}))
    snap, found = import_and_scan("azure-graph", [tmp_path / "graph.json"], tmp_path, capsys, monkeypatch)
    assert set(found.values()) == {"NOT_EVALUATED"} and len(found) == 3
    assert groups_of(snap)["vmss-web"]["attrs"]["not_collected"]["load_balancers"] == "the scale set's record holds no network profile"


# --- GCP: backend services and target pools in Cloud Asset Inventory -------------------------------

GCP = "//compute.googleapis.com/projects/genmei-demo/"
GCP_EXPECTED = {
    # 2-10 behind a global backend service / 3 fixed behind nothing / regional, fixed at its
    # target size, feeding a target pool / one instance behind the same backend service
    GCP + "zones/asia-northeast1-a/instanceGroupManagers/mig-web": "PASS",
    GCP + "zones/asia-northeast1-a/instanceGroupManagers/mig-batch": "NOT_EVALUATED",
    GCP + "regions/asia-northeast1/instanceGroupManagers/mig-api": "PASS",
    GCP + "zones/asia-northeast1-a/instanceGroupManagers/mig-solo": "FAIL",
}
LINK = "https://www.googleapis.com/compute/v1/projects/genmei-demo/"


def _asset(name: str, asset_type: str, data: dict) -> dict:
    return {"name": GCP + name, "asset_type": asset_type, "resource": {
        "version": "v1", "discovery_name": asset_type.rsplit("/", 1)[1],
        "parent": "//cloudresourcemanager.googleapis.com/projects/314159265358", "data": data, "location": "global"},
        "ancestors": ["projects/314159265358"], "update_time": "2026-11-01T09:00:00.000Z"}


def gcp_assets(with_backends=True) -> list[dict]:
    assets = [json.loads(line) for line in (OPS / "gcp.jsonl").read_text().splitlines()]
    for a in assets:
        if a["name"].endswith("/instanceGroupManagers/mig-web"):
            a["resource"]["data"]["instanceGroup"] = LINK + "zones/asia-northeast1-a/instanceGroups/mig-web"
        if a["name"].endswith("/instanceGroupManagers/mig-api"):
            a["resource"]["data"]["targetPools"] = [LINK + "regions/asia-northeast1/targetPools/api-pool"]
    # a managed group of one, with no autoscaler (read: it keeps its target size)
    assets.append(_asset("zones/asia-northeast1-a/instanceGroupManagers/mig-solo", "compute.googleapis.com/InstanceGroupManager",
                         {"name": "mig-solo", "baseInstanceName": "mig-solo", "targetSize": 1,
                          "zone": LINK + "zones/asia-northeast1-a"}))
    if with_backends:
        assets += [
            _asset("global/backendServices/web", "compute.googleapis.com/BackendService", {
                "name": "web", "backends": [{"group": LINK + "zones/asia-northeast1-a/instanceGroups/mig-web"},
                                            {"group": LINK + "zones/asia-northeast1-a/instanceGroups/mig-solo"}]}),
            # a backend service of another group (an unmanaged one): it names neither fixture group
            _asset("regions/asia-northeast1/backendServices/internal", "compute.googleapis.com/RegionBackendService", {
                "name": "internal", "backends": [{"group": LINK + "zones/asia-northeast1-b/instanceGroups/legacy"}]}),
        ]
    return assets


def test_gcp_cai_import_statuses(tmp_path, capsys, monkeypatch):
    (tmp_path / "cai.jsonl").write_text("\n".join(json.dumps(a) for a in gcp_assets()) + "\n")
    snap, found = import_and_scan("gcp-cai", [tmp_path / "cai.jsonl"], tmp_path, capsys, monkeypatch)
    assert found == GCP_EXPECTED
    groups = groups_of(snap)
    assert groups["mig-web"]["attrs"]["load_balancers"] == [GCP + "global/backendServices/web"]
    assert groups["mig-api"]["attrs"]["load_balancers"] == [LINK + "regions/asia-northeast1/targetPools/api-pool"]
    assert groups["mig-batch"]["attrs"]["load_balancers"] == []
    # an export without backend services cannot tell which groups a load balancer serves;
    # a group feeding a target pool still can
    (tmp_path / "cai.jsonl").write_text("\n".join(json.dumps(a) for a in gcp_assets(with_backends=False)) + "\n")
    _, found = import_and_scan("gcp-cai", [tmp_path / "cai.jsonl"], tmp_path, capsys, monkeypatch)
    assert found == {**GCP_EXPECTED, GCP + "zones/asia-northeast1-a/instanceGroupManagers/mig-web": "NOT_EVALUATED",
                     GCP + "zones/asia-northeast1-a/instanceGroupManagers/mig-solo": "NOT_EVALUATED"}


def test_gcp_live_statuses(key_file, tmp_path):  # noqa: F811  (the fixture imported above)
    """`genmei scan gcp`: the real AssetServiceClient lists the backend services from the
    loopback server; the same statuses as the import; refused, the groups are not evaluated."""
    from test_gcp_collect import CaiServer, make_env, scan

    server = CaiServer(key_file[1], gcp_assets())
    try:
        code, results, stderr = scan(server, make_env(key_file, tmp_path), tmp_path / "out", "--no-scc")
        asked = {t for r in server.requests for t in r["types"]}
        server.deny_types = {"compute.googleapis.com/BackendService"}
        (tmp_path / "d").mkdir()
        code2, denied, stderr2 = scan(server, make_env(key_file, tmp_path / "d"), tmp_path / "out2", "--no-scc")
    finally:
        server.close()
    assert code == 0, stderr
    assert {r["resource"]: r["status"] for (c, _), r in results.items() if c == CHECK} == GCP_EXPECTED
    assert {"compute.googleapis.com/BackendService", "compute.googleapis.com/RegionBackendService"} <= asked
    assert code2 == 0, stderr2
    assert {k[1]: r["status"] for k, r in denied.items() if k[0] == CHECK} == {
        "mig-web": "NOT_EVALUATED", "mig-batch": "NOT_EVALUATED", "mig-api": "PASS", "mig-solo": "NOT_EVALUATED",
        "global:cloudasset:ListAssets": "NOT_EVALUATED"}   # the refused read, said as a gap


# --- Kubernetes node groups: not judged from the group, on every path ---------------------------

NODES = "a Kubernetes cluster's node group"


def test_kubernetes_node_groups_are_not_judged_on_any_path(tmp_path):
    """EKS node groups, AKS node pools and GKE node pools get their load spread by Kubernetes
    (services, ingress, pods or nodes registered one by one), which genmei does not read:
    not collected, never a FAIL for want of an attachment on the group."""
    from genmei.collectors.azure import inventory as inv_types
    from genmei.collectors.azure.inventory import Inventory
    from genmei.collectors.azure.normalise import normalise as azure_normalise
    from genmei.collectors.gcp.normalise import normalise as gcp_normalise
    from genmei.collectors.gcp.normalise.asset import read_asset

    eks = _group("eks-ng", TargetGroupARNs=[], LoadBalancerNames=[], Tags=[{"Key": "eks:cluster-name", "Value": "prod"}])
    [aws] = [r for r in aws_normalise(AccountRaw(account="123456789012", regions={"ap-northeast-1": {
        "autoscaling:DescribeAutoScalingGroups": [eks], "autoscaling:DescribePolicies": []}})) if r["type"] == "compute.instance_group"]
    by_id, _ = _plan_of(tmp_path, [_change("aws_autoscaling_group.nodes", "aws_autoscaling_group", {
        "name": "nodes", "min_size": 2, "max_size": 4, "target_group_arns": [], "load_balancers": [],
        "tag": [{"key": "kubernetes.io/cluster/prod", "value": "owned", "propagate_at_launch": True}]})])
    inv = Inventory(source={"kind": "example", "ref": "test"})
    for kind in (inv_types.SCALE_SET, inv_types.AUTOSCALE):
        inv.read.add(("11111111-1111-1111-1111-111111111111", kind))
    inv.add({"id": AZ_RG + "Microsoft.Compute/virtualMachineScaleSets/aks-system-1", "name": "aks-system-1",
             "type": "Microsoft.Compute/virtualMachineScaleSets", "location": "japaneast", "sku": {"capacity": 3},
             "tags": {"aks-managed-poolName": "system"},
             "properties": {"virtualMachineProfile": {"networkProfile": _nic({"loadBalancerBackendAddressPools": [LB_POOL]})}}},
            inv.source)
    [azure] = [r for r in azure_normalise(inv)[0] if r["type"] == "compute.instance_group"]
    gke = _asset("zones/asia-northeast1-a/instanceGroupManagers/gke-prod-pool-1-grp", "compute.googleapis.com/InstanceGroupManager",
                 {"name": "gke-prod-pool-1-grp", "baseInstanceName": "gke-prod-pool-1-0a1b2c3d", "targetSize": 3})
    read = {"compute.googleapis.com/InstanceGroupManager", "compute.googleapis.com/Autoscaler",
            "compute.googleapis.com/BackendService", "compute.googleapis.com/RegionBackendService"}
    [gcp] = [r for r in gcp_normalise([read_asset(gke, {"kind": "example", "file": "test"})], read, False).resources if r["type"] == "compute.instance_group"]
    for r in (aws, by_id["aws_autoscaling_group.nodes"], azure, gcp):
        assert "load_balancers" not in r["attrs"], r["id"]
        assert r["attrs"]["not_collected"]["load_balancers"].startswith(NODES), r["id"]
