"""Whether a managed Kubernetes cluster's control plane (API server, etcd) is replicated
across zones behind one endpoint (k8s.cluster `control_plane_multi_zone`, GM-K8S-002), one
rule per cloud for every path (live, import, plan):

- EKS runs every cluster's control plane across three Availability Zones and replaces
  unhealthy instances: the service's design, true for every cluster.
- GKE: a regional cluster (its location a region) replicates the control plane across the
  region's zones; a zonal cluster (its location a zone) has a single replica in that zone.
- AKS: the cluster's configuration does not show how its control plane is replicated (the
  pricing tier sets the API server's SLA), so it is not collected, with the reason."""

import re

EKS = True
AKS_NOT_SHOWN = ("AKS does not show its control plane's replication in the cluster's configuration "
                 "(the pricing tier sets the API server's SLA, not where its replicas run)")
_ZONE = re.compile(r"^[a-z]+-[a-z]+\d+-[a-z]$")   # asia-northeast1-a (a region has no letter suffix)


def gke_multi_zone(location) -> bool | None:
    """True for a regional cluster, False for a zonal one; None when the location is not a
    location name (absent, not a string)."""
    if not isinstance(location, str) or not location:
        return None
    return not _ZONE.match(location)
