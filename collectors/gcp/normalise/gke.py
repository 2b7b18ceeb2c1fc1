"""GKE clusters as k8s.cluster.

endpoint_public: the control plane keeps its public endpoint unless the private
endpoint is enabled (privateClusterConfig.enablePrivateEndpoint, or the newer
controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint false). The API
omits false booleans, so an absent enablePrivateEndpoint means public, GKE's default.

authorized_cidrs: the master authorised networks when they are enabled; when they are
off, any address may connect (empty list, as the canonical contract says). With them
on, `gcpPublicCidrsAccessEnabled` adds every Google Cloud public address (kept as the
marker `gcp-public-cidrs`). Authorised networks that are on but list no range and do
not admit Google Cloud addresses leave the public endpoint reachable from no internet
address, which is reported as not public (`endpoint_public` false), with the reason in
`endpoint_note`.

zones: the node locations (`locations`); a zonal cluster without them is in its zone.

control_plane_multi_zone: a regional cluster (location a region) replicates its control
plane across zones; a zonal one (location a zone) has one replica
(collectors/canonical/control_plane.py).
"""

from genmei.collectors.canonical import control_plane

from .common import dig, listed, region_of_zone, string, ZONE


def cluster(a, ctx) -> dict:
    data = a.data
    if data is None:
        return {"attrs": {}}
    ip_endpoints = dig(data, "controlPlaneEndpointsConfig", "ipEndpointsConfig")
    if isinstance(ip_endpoints, dict) and isinstance(ip_endpoints.get("enablePublicEndpoint"), bool):
        public = ip_endpoints["enablePublicEndpoint"]
        man = ip_endpoints.get("authorizedNetworksConfig") or data.get("masterAuthorizedNetworksConfig")
    else:
        public = dig(data, "privateClusterConfig", "enablePrivateEndpoint") is not True
        man = data.get("masterAuthorizedNetworksConfig")
    man = man if isinstance(man, dict) else {}
    attrs = {"endpoint_public": public, "private_nodes": dig(data, "privateClusterConfig", "enablePrivateNodes") is True}
    if man.get("enabled") is True:
        cidrs = [b["cidrBlock"] for b in listed(man, "cidrBlocks", "cidrBlock") if isinstance(b, dict) and b.get("cidrBlock")]
        if man.get("gcpPublicCidrsAccessEnabled") is True:
            cidrs.append("gcp-public-cidrs")
        if public and not cidrs:
            attrs["endpoint_public"] = False
            attrs["endpoint_note"] = "public endpoint admits no address (authorised networks on, none listed)"
        attrs["authorized_cidrs"] = cidrs
    else:
        attrs["authorized_cidrs"] = []
    location = string(data, "location") or string(data, "zone")
    multi_zone = control_plane.gke_multi_zone(location)
    if multi_zone is not None:
        attrs["control_plane_multi_zone"] = multi_zone
    zones = [z for z in data.get("locations") or [] if isinstance(z, str)]
    if not zones and isinstance(location, str) and ZONE.match(location):
        zones = [location]
    region = region_of_zone(location) if isinstance(location, str) and ZONE.match(location) else location
    return {"attrs": attrs, "zones": zones or None, "region": region}
