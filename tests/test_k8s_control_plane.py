"""GM-K8S-002 (C.1.1.2, C.1.1.4: a management function made redundant, with an alternative to
switch to) through the collector paths that read managed Kubernetes clusters, other than those
tested elsewhere: the live AWS scan of the reference account (tests/test_aws_reference.py), the
AWS Config import of a real item (tests/test_aws_config_import.py) and the import of the public
CAI sample with a zonal and a regional GKE cluster (tests/test_gcp_import.py). Here: Terraform
plans of the three clouds, GKE through the live Cloud Asset Inventory client against the
loopback server, and AKS through the typed clients and Resource Graph against the loopback ARM
server. Each cluster's exact status is asserted."""

import pytest

from test_gcp_collect import key_file  # noqa: F401  (the fixture: a service-account key made for the tests)
from test_load_distribution import _plan_of
from vulnerability_support import judge, snapshot
from genmei.collectors.canonical.control_plane import AKS_NOT_SHOWN

CHECK = "GM-K8S-002"
GCP = "//container.googleapis.com/projects/genmei-demo/"


def _change(address, provider, after, unknown=None):
    return {"address": address, "mode": "managed", "type": address.split(".")[0], "name": address.split(".")[1],
            "provider_name": f"registry.terraform.io/hashicorp/{provider}",
            "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": unknown or {}}}


def test_terraform_plans(tmp_path):
    """EKS: replicated by design; GKE: a region replicates, a zone does not, a location known
    only after apply is not evaluated; AKS: not shown by the plan either."""
    by_id, _ = _plan_of(tmp_path, [
        _change("aws_eks_cluster.prod", "aws", {"name": "prod", "vpc_config": [{"endpoint_public_access": False, "subnet_ids": []}]}),
        _change("google_container_cluster.regional", "google", {"name": "regional", "location": "asia-northeast1"}),
        _change("google_container_cluster.zonal", "google", {"name": "zonal", "location": "asia-northeast1-a"}),
        _change("google_container_cluster.later", "google", {"name": "later"}, {"location": True}),
        _change("azurerm_kubernetes_cluster.aks", "azurerm", {"name": "aks", "location": "japaneast", "private_cluster_enabled": True,
                                                              "default_node_pool": [{"name": "system", "zones": ["1", "2", "3"]}]}),
    ])
    clusters = [r for r in by_id.values() if r["type"] == "k8s.cluster"]
    assert len(clusters) == 5
    (tmp_path / "judge").mkdir()
    found = judge(snapshot(clusters, "mixed"), tmp_path / "judge", (CHECK,))
    assert {rid: r["status"] for (_, rid), r in found.items()} == {
        "aws_eks_cluster.prod": "PASS", "google_container_cluster.regional": "PASS",
        "google_container_cluster.zonal": "FAIL", "google_container_cluster.later": "NOT_EVALUATED",
        "azurerm_kubernetes_cluster.aks": "NOT_EVALUATED"}
    assert by_id["google_container_cluster.zonal"]["attrs"]["control_plane_multi_zone"] is False
    assert "attrs.control_plane_multi_zone" in by_id["google_container_cluster.later"]["unknown"]
    assert found[(CHECK, "azurerm_kubernetes_cluster.aks")]["reason"].endswith(AKS_NOT_SHOWN)


def _cluster(path: str, name: str, location: str) -> dict:
    return {"name": GCP + path, "asset_type": "container.googleapis.com/Cluster", "resource": {
        "version": "v1", "discovery_name": "Cluster", "parent": "//cloudresourcemanager.googleapis.com/projects/314159265358",
        "data": {"name": name, "location": location, "privateClusterConfig": {"enablePrivateEndpoint": True}},
        "location": location}, "ancestors": ["projects/314159265358"], "update_time": "2026-11-01T09:00:00.000Z"}


def test_gcp_live(key_file, tmp_path):  # noqa: F811  (the fixture imported above)
    """`genmei scan gcp`: the real AssetServiceClient reads a regional and a zonal cluster."""
    from test_gcp_collect import CaiServer, make_env, scan

    server = CaiServer(key_file[1], [_cluster("locations/asia-northeast1/clusters/prod", "prod", "asia-northeast1"),
                                     _cluster("zones/asia-northeast1-b/clusters/dev", "dev", "asia-northeast1-b")])
    try:
        code, results, stderr = scan(server, make_env(key_file, tmp_path), tmp_path / "out", "--no-scc")
    finally:
        server.close()
    assert code == 0, stderr
    assert {name: r["status"] for (c, name), r in results.items() if c == CHECK} == {"prod": "PASS", "dev": "FAIL"}
    assert "zonal cluster" in results[(CHECK, "dev")]["reason"]


@pytest.mark.parametrize("inventory", ["arm", "graph"])
def test_azure_live(inventory, tmp_path):
    """`genmei scan azure` paths: the typed ContainerService client and Resource Graph read the
    world's two AKS clusters; neither shows its control plane's replication."""
    from azure_support import collect, serve

    with serve(tmp_path / "arm") as server:
        snap = collect(server, inventory=inventory)
    clusters = {r["id"]: r["name"] for r in snap["resources"] if r["type"] == "k8s.cluster"}
    assert sorted(clusters.values()) == ["aks-private", "aks-public"]
    found = judge(snap, tmp_path, (CHECK,))
    assert {clusters[rid]: r["status"] for (_, rid), r in found.items()} == {"aks-private": "NOT_EVALUATED", "aks-public": "NOT_EVALUATED"}
    assert {r["reason"] for r in found.values()} == {f"attrs.control_plane_multi_zone was not collected: {AKS_NOT_SHOWN}"}
