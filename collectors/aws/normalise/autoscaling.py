"""EC2 Auto Scaling → compute.instance_group: sizes, zones, and whether a scaling policy
makes capacity follow demand (GM-CAP-001)."""

from genmei.collectors.canonical import zones as zone_names

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


def resources(acct):
    for region, raw in acct.regions.items():
        by_group = policies_by_group(raw.get("autoscaling:DescribePolicies"))
        groups = raw.get("autoscaling:DescribeAutoScalingGroups") or []
        for g in groups:
            name = g["AutoScalingGroupName"]
            mine = None if by_group is None else by_group.get(name, [])
            yield resource(acct, type="compute.instance_group", native="AWS::AutoScaling::AutoScalingGroup",
                           id=g.get("AutoScalingGroupARN") or name, name=name, region=region,
                           tags=tags(g.get("Tags")), zones=zone_names.zones(g.get("AvailabilityZones") or []),
                           attrs={"min_size": g.get("MinSize"), "max_size": g.get("MaxSize"),
                                  "desired_capacity": g.get("DesiredCapacity"), **scaling(mine)},
                           raw={"AutoScalingGroup": g, "ScalingPolicies": mine},
                           ref="autoscaling:DescribeAutoScalingGroups")
