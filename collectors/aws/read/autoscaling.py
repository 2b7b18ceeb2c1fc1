"""EC2 Auto Scaling in one region: the groups (sizes, zones) and their scaling policies, for
GM-CAP-001 (does capacity follow demand, within which limits)."""

HIDES = ("compute.instance_group",)


def read(r) -> dict:
    groups = r.list("autoscaling:DescribeAutoScalingGroups", "AutoScalingGroups", HIDES)
    if groups is None:
        return {}
    raw = {"autoscaling:DescribeAutoScalingGroups": groups}
    if groups:  # an empty region needs no second call
        policies = r.list("autoscaling:DescribePolicies", "ScalingPolicies", HIDES)
        if policies is not None:
            raw["autoscaling:DescribePolicies"] = policies
    return raw
