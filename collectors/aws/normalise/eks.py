"""EKS → k8s.cluster: whether the API endpoint is public and to which CIDRs, the zones
of the cluster's subnets, and the control plane's replication across zones (always, by
EKS's design: collectors/canonical/control_plane.py)."""

from genmei.collectors.canonical import control_plane

from .common import resource


def cluster_zones(subnet_ids: list | None, subnets: list | None) -> list | None:
    """Zones of the cluster's subnets; None unless every subnet's zone is known."""
    if subnet_ids is None or subnets is None:
        return None
    az = {s["SubnetId"]: s.get("AvailabilityZone") for s in subnets}
    if not all(az.get(i) for i in subnet_ids):
        return None
    return sorted({az[i] for i in subnet_ids})


def resources(acct):
    for region, raw in acct.regions.items():
        for name, d in sorted((raw.get("eks:DescribeCluster") or {}).items()):
            c = d.get("cluster") or {}
            vpc = c.get("resourcesVpcConfig") or {}
            yield resource(acct, type="k8s.cluster", native="AWS::EKS::Cluster", id=c.get("arn") or name,
                           name=c.get("name") or name, region=region,
                           tags={str(k): str(v) for k, v in (c.get("tags") or {}).items()},
                           zones=cluster_zones(vpc.get("subnetIds"), raw.get("ec2:DescribeSubnets")),
                           attrs={"endpoint_public": vpc.get("endpointPublicAccess"),
                                  "authorized_cidrs": vpc.get("publicAccessCidrs"),
                                  "control_plane_multi_zone": control_plane.EKS},
                           raw=c, ref="eks:DescribeCluster")
