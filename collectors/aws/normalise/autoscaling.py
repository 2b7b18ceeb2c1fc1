"""EC2 Auto Scaling → compute.instance_group: sizes, zones, whether a scaling policy
makes capacity follow demand (GM-CAP-001: not judged for a Kubernetes cluster's nodes
without one, which the cluster autoscaler sizes), and what spreads its load (GM-RES-003)."""

from genmei.collectors.canonical import node_groups, zones as zone_names

from .common import resource, tags


def policies_by_group(policies: list | None) -> dict[str, list[dict]] | None:
    """{group name: its scaling policies}; None when the policies were not read."""
    if policies is None:
        return None
    out: dict[str, list[dict]] = {}
    for p in policies:
        out.setdefault(p.get("AutoScalingGroupName"), []).append(p)
    return out


def scaling(mine: list[dict] | None) -> dict:
    """autoscaling and scaling_policies from a group's policies (a policy AWS reports as
    disabled does not scale), or why they are unknown."""
    if mine is None:
        return {"not_collected": {"autoscaling": "the scaling policies could not be read (autoscaling:DescribePolicies)"}}
    active = sorted(p.get("PolicyName", "") for p in mine if p.get("Enabled", True) is not False)
    return {"autoscaling": bool(active), "scaling_policies": active}


def load_balancers(group: dict) -> dict:
    """load_balancers: the target groups, classic load balancers and other traffic sources
    (VPC Lattice) attached to the group, as DescribeAutoScalingGroups reports every one
    however it was attached; unknown when the record holds none of the three lists (an
    AWS Config item of an older schema) or the group is a Kubernetes cluster's nodes."""
    if node_groups.aws_kubernetes_nodes(tags(group.get("Tags"))):
        return {"not_collected": {"load_balancers": node_groups.NOT_JUDGED}}
    keys = ("TargetGroupARNs", "LoadBalancerNames", "TrafficSources")
    if not any(isinstance(group.get(k), list) for k in keys):
        return {"not_collected": {"load_balancers": "the group's record names no target groups or load balancers"}}
    found = {str(x) for k in keys[:2] for x in group.get(k) or []}
    found |= {str(t.get("Identifier")) for t in group.get("TrafficSources") or [] if isinstance(t, dict) and t.get("Identifier")}
    return {"load_balancers": sorted(found)}


def _merge(*parts: dict) -> dict:
    """attrs from parts, their not_collected reasons merged."""
    out: dict = {}
    for p in parts:
        for k, v in p.items():
            if k == "not_collected":
                out.setdefault(k, {}).update(v)
            else:
                out[k] = v
    return out


def resources(acct):
    for region, raw in acct.regions.items():
        by_group = policies_by_group(raw.get("autoscaling:DescribePolicies"))
        groups = raw.get("autoscaling:DescribeAutoScalingGroups") or []
        for g in groups:
            name = g["AutoScalingGroupName"]
            mine = None if by_group is None else by_group.get(name, [])
            attrs = _merge({"min_size": g.get("MinSize"), "max_size": g.get("MaxSize"),
                            "desired_capacity": g.get("DesiredCapacity")}, scaling(mine), load_balancers(g))
            if node_groups.aws_kubernetes_nodes(tags(g.get("Tags"))):
                attrs = node_groups.defer_scaling(attrs)
            yield resource(acct, type="compute.instance_group", native="AWS::AutoScaling::AutoScalingGroup",
                           id=g.get("AutoScalingGroupARN") or name, name=name, region=region,
                           tags=tags(g.get("Tags")), zones=zone_names.zones(g.get("AvailabilityZones") or []),
                           attrs=attrs,
                           raw={"AutoScalingGroup": g, "ScalingPolicies": mine},
                           ref="autoscaling:DescribeAutoScalingGroups")
