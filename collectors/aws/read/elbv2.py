"""Elastic Load Balancing v2 in one region: load balancers, their listeners, the SSL
policies those listeners use (for the lowest TLS version), tags, and the AWS WAF web ACL
that filters each Application Load Balancer's requests (GM-NET-005)."""

from ..calls import ANY

LB = ("lb.load_balancer", "lb.listener")
LISTENER = ("lb.listener",)
TAG_BATCH = 20  # DescribeTags takes at most 20 ARNs


def read(r) -> dict:
    lbs = r.list("elbv2:DescribeLoadBalancers", "LoadBalancers", LB)
    if lbs is None:
        return {}
    listeners = {}
    for lb in lbs:
        found = r.list("elbv2:DescribeListeners", "Listeners", LISTENER, subject=lb["LoadBalancerName"],
                       LoadBalancerArn=lb["LoadBalancerArn"])
        if found is not None:
            listeners[lb["LoadBalancerArn"]] = found
    raw = {"elbv2:DescribeLoadBalancers": lbs, "elbv2:DescribeListeners": listeners}
    names = sorted({x["SslPolicy"] for ls in listeners.values() for x in ls
                    if x.get("SslPolicy") and x.get("Protocol") in ("HTTPS", "TLS")})
    if names:
        policies = r.list("elbv2:DescribeSSLPolicies", "SslPolicies", LISTENER, Names=names)
        if policies is not None:
            raw["elbv2:DescribeSSLPolicies"] = policies
    arns = [lb["LoadBalancerArn"] for lb in lbs]
    tags = {}
    for i in range(0, len(arns), TAG_BATCH):
        # Tags are context for exceptions, not check inputs: their loss is no gap.
        resp = r.get("elbv2:DescribeTags", LB, answers=ANY, ResourceArns=arns[i:i + TAG_BATCH])
        for d in (resp or {}).get("TagDescriptions", []):
            tags[d["ResourceArn"]] = d.get("Tags", [])
    raw["elbv2:DescribeTags"] = tags
    # Only an Application Load Balancer can carry a web ACL. A failed call leaves that load
    # balancer's WAF unknown (its error is the answer), never its zones or listeners.
    raw["wafv2:GetWebACLForResource"] = {
        lb["LoadBalancerArn"]: r.get("wafv2:GetWebACLForResource", (), answers=ANY, subject=lb["LoadBalancerName"],
                                     ResourceArn=lb["LoadBalancerArn"])
        for lb in lbs if lb.get("Type") == "application"}
    return raw
