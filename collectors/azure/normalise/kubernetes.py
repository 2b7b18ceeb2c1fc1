"""AKS managed clusters → k8s.cluster.

The API server is public unless the cluster is private (apiServerAccessProfile
.enablePrivateCluster); authorizedIPRanges limit who reaches a public one (empty =
anyone). Zones are those of the node pools; a pool without availabilityZones is not
pinned to any zone and adds none. The control plane's replication is not shown
(collectors/canonical/control_plane.py).
"""

from genmei.collectors.canonical import control_plane

from ..inventory import Inventory, Item
from .common import get, props, resource, zone_names


def cluster(item: Item, inv: Inventory) -> list[dict]:
    arm = item.arm
    p = props(arm)
    attrs: dict = {}
    zones = None
    if p is not None:
        access = p.get("apiServerAccessProfile") or {}
        attrs = {
            "endpoint_public": access.get("enablePrivateCluster") is not True,
            "authorized_cidrs": [str(c) for c in access.get("authorizedIPRanges") or []],
        }
        pools = p.get("agentPoolProfiles")
        if isinstance(pools, list):
            zones = zone_names(arm.get("location"), [z for pool in pools for z in get(pool, "availabilityZones", default=[]) or []])
    attrs["not_collected"] = {"control_plane_multi_zone": control_plane.AKS_NOT_SHOWN}
    return [resource(item, "k8s.cluster", attrs, zones=zones)]
