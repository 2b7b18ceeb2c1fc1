"""Elastic Load Balancing v2 → lb.load_balancer (zones, scheme, the AWS WAF web ACL in front
of it) and lb.listener (protocol, port, TLS: whether plaintext is refused and the lowest TLS
version of its SSL policy)."""

from genmei.collectors.canonical import tls as canonical_tls, zones as zone_names

from .common import resource, tags


def https_redirect_port(listener: dict) -> int | None:
    """The HTTPS port an HTTP listener redirects everything to, if that is all it does."""
    actions = listener.get("DefaultActions") or []
    if not actions or any(a.get("Type") != "redirect" for a in actions):
        return None
    cfg = actions[-1].get("RedirectConfig") or {}
    if cfg.get("Protocol") != "HTTPS":
        return None
    port = cfg.get("Port", "#{port}")
    if port == "#{port}":
        return listener.get("Port")
    return int(port) if str(port).isdigit() else None


def listener_tls(listener: dict, siblings: list[dict], policies: dict | None) -> dict:
    def of_policy(x):
        name = x.get("SslPolicy")
        p = (policies or {}).get(name)
        return canonical_tls.tls(True, canonical_tls.lowest(p.get("SslProtocols", [])) if p else None, name)

    protocol = listener.get("Protocol")
    if protocol in ("HTTPS", "TLS"):
        return of_policy(listener)
    port = https_redirect_port(listener) if protocol == "HTTP" else None
    if port is not None:
        target = next((x for x in siblings if x.get("Port") == port and x.get("Protocol") == "HTTPS"), None)
        return of_policy(target) if target else canonical_tls.tls(True)
    # HTTP that serves content accepts plaintext; a TCP/UDP pass-through listener terminates
    # no TLS itself (GM-TLS-001 leaves it to its targets, by its protocol). An HTTP
    # listener's SslPolicy (some emulators report one) is meaningless and ignored.
    return canonical_tls.tls(False)


# A Network or Gateway Load Balancer cannot carry a web ACL; whether an AWS Network Firewall
# filters its traffic on the way in is a question of routes genmei does not follow yet.
NO_WEB_ACL = ("a {kind} Load Balancer cannot carry an AWS WAF web ACL, and whether an AWS Network "
              "Firewall filters its traffic is not read")


def kind(lb: dict) -> dict:
    """{kind}: application, network or gateway (GM-NET-005 does not judge a kind that cannot
    carry a web ACL); nothing when the source does not say."""
    return {"kind": lb["Type"]} if lb.get("Type") in KINDS else {}


KINDS = ("application", "network", "gateway")


def waf(lb: dict, answers: dict | None) -> dict:
    """{waf, web_acl} of a load balancer, or its not_collected reason."""
    if lb.get("Type") != "application":
        return {"not_collected": {"waf": NO_WEB_ACL.format(kind=str(lb.get("Type") or "non-application").capitalize())}}
    if answers is None:
        return {"not_collected": {"waf": "the load balancer's web ACL was not read (wafv2:GetWebACLForResource; "
                                         "an AWS Config item of a load balancer does not hold it)"}}
    response = answers.get(lb["LoadBalancerArn"])
    if response is None:
        return {"not_collected": {"waf": "wafv2:GetWebACLForResource was not called (the collection's time limit ran out)"}}
    if "Error" in response:
        err = response["Error"]
        return {"not_collected": {"waf": f"wafv2:GetWebACLForResource failed ({err.get('Code')}: {err.get('Message')})"}}
    acl = response.get("WebACL") or {}
    return {"waf": bool(acl.get("ARN")), **({"web_acl": acl["ARN"]} if acl.get("ARN") else {})}


def resources(acct):
    for region, raw in acct.regions.items():
        lbs = raw.get("elbv2:DescribeLoadBalancers") or []
        listeners = raw.get("elbv2:DescribeListeners") or {}
        policies = ({p["Name"]: p for p in raw["elbv2:DescribeSSLPolicies"]}
                    if "elbv2:DescribeSSLPolicies" in raw else None)
        lb_tags = raw.get("elbv2:DescribeTags") or {}
        web_acls = raw.get("wafv2:GetWebACLForResource")
        for lb in lbs:
            lb_arn, lb_name = lb["LoadBalancerArn"], lb["LoadBalancerName"]
            azs = lb.get("AvailabilityZones")
            yield resource(acct, type="lb.load_balancer", native="AWS::ElasticLoadBalancingV2::LoadBalancer",
                           id=lb_arn, name=lb_name, region=region, tags=tags(lb_tags.get(lb_arn)),
                           zones=None if azs is None else zone_names.zones([z["ZoneName"] for z in azs if z.get("ZoneName")]),
                           attrs={"scheme": lb.get("Scheme"), **kind(lb), **waf(lb, web_acls)}, raw=lb, ref="elbv2:DescribeLoadBalancers")
            mine = listeners.get(lb_arn) or []
            for x in mine:
                yield resource(acct, type="lb.listener", native="AWS::ElasticLoadBalancingV2::Listener",
                               id=x["ListenerArn"], name=f"{lb_name}:{x.get('Port')}", region=region,
                               attrs={"protocol": x.get("Protocol"), "port": x.get("Port"),
                                      "tls": listener_tls(x, mine, policies), "load_balancer": lb_arn},
                               raw=x, ref="elbv2:DescribeListeners")
