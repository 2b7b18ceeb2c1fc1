"""GM-CAP-001 on a Kubernetes cluster's node groups (EKS node groups' auto scaling groups, AKS
node pools' scale sets, GKE node pools' managed instance groups), through each collector path
that reads instance groups: the AWS normaliser (live scan and the AWS Config import share it),
a Terraform plan, the Azure normaliser (typed clients, Resource Graph and its import share it)
and the GCP normaliser (Cloud Asset Inventory, live and imported). The cluster autoscaler or
the node pool's autoscaling sizes such a group, not a scaling policy on the group, so a node
group without one is NOT_EVALUATED with that reason, never a FAIL "not scaling"; the same
group untagged still FAILs, and a node group with a policy of its own is judged on it."""

from test_load_distribution import AZ_RG, _asset, _change, _group, _plan_of
from vulnerability_support import judge, snapshot
from genmei.collectors.aws.model import AccountRaw
from genmei.collectors.aws.normalise import normalise as aws_normalise
from genmei.collectors.canonical.node_groups import SCALED_BY_CLUSTER

CHECK = "GM-CAP-001"
SUB = "11111111-1111-1111-1111-111111111111"


def statuses(resources: list[dict], provider: str, tmp_path) -> dict:
    """{resource name: GM-CAP-001 status} of `resources` judged by the real engine."""
    names = {r["id"]: r["name"] for r in resources}
    found = judge(snapshot(resources, provider), tmp_path, (CHECK,))
    return {names[rid]: r["status"] for (_, rid), r in found.items()}, {names[rid]: r for (_, rid), r in found.items()}


def groups(resources) -> list[dict]:
    return [r for r in resources if r["type"] == "compute.instance_group"]


def assert_deferred(result: dict, attrs: dict):
    assert result["status"] == "NOT_EVALUATED"
    assert result["reason"] == f"attrs.autoscaling was not collected: {SCALED_BY_CLUSTER}"
    assert "autoscaling" not in attrs and attrs["not_collected"]["autoscaling"] == SCALED_BY_CLUSTER


def test_aws_node_groups(tmp_path):
    eks = [{"Key": "eks:cluster-name", "Value": "prod"}]
    raw = {"autoscaling:DescribeAutoScalingGroups": [
        _group("eks-ng", Tags=eks),
        _group("eks-scaled", Tags=eks),
        _group("self-managed", Tags=[{"Key": "kubernetes.io/cluster/prod", "Value": "owned"}]),
        _group("plain"),
    ], "autoscaling:DescribePolicies": [{"AutoScalingGroupName": "eks-scaled", "PolicyName": "cpu-60"}]}
    found = groups(aws_normalise(AccountRaw(account="123456789012", regions={"ap-northeast-1": raw})))
    status, results = statuses(found, "aws", tmp_path)
    assert status == {"eks-ng": "NOT_EVALUATED", "eks-scaled": "PASS", "self-managed": "NOT_EVALUATED", "plain": "FAIL"}
    attrs = {r["name"]: r["attrs"] for r in found}
    assert_deferred(results["eks-ng"], attrs["eks-ng"])
    # AWS's MinSize and MaxSize are the group's own limits (the cluster autoscaler keeps within them)
    assert (attrs["eks-ng"]["min_size"], attrs["eks-ng"]["max_size"]) == (2, 4)


def test_aws_policies_unread_keep_their_own_reason():
    raw = {"autoscaling:DescribeAutoScalingGroups": [_group("eks-ng", Tags=[{"Key": "eks:nodegroup-name", "Value": "ng"}])]}
    [g] = groups(aws_normalise(AccountRaw(account="123456789012", regions={"ap-northeast-1": raw})))
    assert "DescribePolicies" in g["attrs"]["not_collected"]["autoscaling"]


def test_terraform_plan_node_groups(tmp_path):
    tag = [{"key": "kubernetes.io/cluster/prod", "value": "owned", "propagate_at_launch": True}]
    base = {"min_size": 2, "max_size": 4, "target_group_arns": [], "load_balancers": []}
    by_id, _ = _plan_of(tmp_path, [
        _change("aws_autoscaling_group.nodes", "aws_autoscaling_group", {**base, "name": "nodes", "tag": tag}),
        _change("aws_autoscaling_group.plain", "aws_autoscaling_group", {**base, "name": "plain", "tag": []}),
    ])
    found = list(by_id.values())
    (tmp_path / "judge").mkdir()
    status, results = statuses(found, "aws", tmp_path / "judge")
    assert status == {"nodes": "NOT_EVALUATED", "plain": "FAIL"}
    assert_deferred(results["nodes"], by_id["aws_autoscaling_group.nodes"]["attrs"])


def test_azure_node_pools(tmp_path):
    from genmei.collectors.azure import inventory as inv_types
    from genmei.collectors.azure.inventory import Inventory
    from genmei.collectors.azure.normalise import normalise as azure_normalise

    inv = Inventory(source={"kind": "example", "ref": "test"})
    for kind in (inv_types.SCALE_SET, inv_types.AUTOSCALE):
        inv.read.add((SUB, kind))
    for name, tags in (("aks-system-1", {"aks-managed-poolName": "system"}), ("vmss-fixed", {})):
        inv.add({"id": AZ_RG + f"Microsoft.Compute/virtualMachineScaleSets/{name}", "name": name,
                 "type": "Microsoft.Compute/virtualMachineScaleSets", "location": "japaneast", "sku": {"capacity": 3},
                 "tags": tags, "properties": {}}, inv.source)
    found = groups(azure_normalise(inv)[0])
    status, results = statuses(found, "azure", tmp_path)
    assert status == {"aks-system-1": "NOT_EVALUATED", "vmss-fixed": "FAIL"}
    attrs = {r["name"]: r["attrs"] for r in found}
    assert_deferred(results["aks-system-1"], attrs["aks-system-1"])
    # the capacity AKS moves is not presented as the pool's limits
    assert "min_size" not in attrs["aks-system-1"] and attrs["aks-system-1"]["desired_capacity"] == 3


def test_gcp_node_pools(tmp_path):
    from genmei.collectors.gcp.normalise import normalise as gcp_normalise
    from genmei.collectors.gcp.normalise.asset import read_asset

    assets = [_asset(f"zones/asia-northeast1-a/instanceGroupManagers/{name}", "compute.googleapis.com/InstanceGroupManager",
                     {"name": name, "baseInstanceName": base, "targetSize": 3})
              for name, base in (("gke-prod-pool-1-grp", "gke-prod-pool-1-0a1b2c3d"), ("mig-fixed", "mig-fixed"))]
    read = {"compute.googleapis.com/InstanceGroupManager", "compute.googleapis.com/Autoscaler",
            "compute.googleapis.com/BackendService", "compute.googleapis.com/RegionBackendService"}
    found = groups(gcp_normalise([read_asset(a, {"kind": "example", "file": "test"}) for a in assets], read, False).resources)
    status, results = statuses(found, "gcp", tmp_path)
    assert status == {"gke-prod-pool-1-grp": "NOT_EVALUATED", "mig-fixed": "FAIL"}
    attrs = {r["name"]: r["attrs"] for r in found}
    assert_deferred(results["gke-prod-pool-1-grp"], attrs["gke-prod-pool-1-grp"])
    assert "max_size" not in attrs["gke-prod-pool-1-grp"]
