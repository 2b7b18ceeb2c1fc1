"""AWS WAF (v2) → network.waf (GM-LOG-003): each regional web ACL, whether a load balancer
read is associated with it, and whether its logs — the requests it blocked or counted, the
alarms of this access-control system — are delivered to a log destination (CloudWatch Logs,
S3 or Firehose).

AWS answers WAFNonexistentItemException for a web ACL without a logging configuration:
that is "not logged". Any other error leaves the ACL's logging unknown, saying why."""

from .common import resource

NO_LOGGING = "WAFNonexistentItemException"
# What a web ACL's summary keeps as evidence: not its LockToken, which changes on every edit.
SUMMARY = ("Name", "Id", "ARN", "Description")


def waf_logging(response) -> dict:
    """{logging_enabled, log_destinations} of one web ACL, or its not_collected reason."""
    if response is None:
        return {"not_collected": {"logging_enabled": "wafv2:GetLoggingConfiguration was not called "
                                                     "(the collection's time limit ran out)"}}
    err = response.get("Error")
    if err and err.get("Code") == NO_LOGGING:
        return {"logging_enabled": False, "log_destinations": []}
    if err:
        return {"not_collected": {"logging_enabled": f"wafv2:GetLoggingConfiguration failed "
                                                     f"({err.get('Code')}: {err.get('Message')})"}}
    destinations = sorted((response.get("LoggingConfiguration") or {}).get("LogDestinationConfigs") or [])
    return {"logging_enabled": bool(destinations), "log_destinations": destinations}


# Why an ACL no load balancer names may still be associated: only the load balancers'
# associations are read (moto, the reference emulator, lacks wafv2:ListResourcesForWebACL).
OTHER_ASSOCIATIONS = ("no load balancer read is associated with it; associations with other kinds of resources "
                      "(API Gateway, AppSync, Cognito, App Runner, Verified Access) are not read")


NOT_READ = "the load balancers' web ACLs were not read (wafv2:GetWebACLForResource)"


def named_by_load_balancers(answers: dict | None) -> set[str] | None:
    """ARNs of the web ACLs the region's load balancers answered wafv2:GetWebACLForResource
    with; None when none was asked."""
    if answers is None:
        return None
    return {(a.get("WebACL") or {}).get("ARN") for a in answers.values() if a and "Error" not in a} - {None}


def association(arn: str, named: set[str] | None) -> dict:
    """{associated: true} when a load balancer read names the ACL, else why it is not known
    (GM-LOG-003 judges only an ACL that inspects something)."""
    if named is not None and arn in named:
        return {"associated": True}
    return {"not_collected": {"associated": NOT_READ if named is None else OTHER_ASSOCIATIONS}}


def resources(acct):
    for region, raw in acct.regions.items():
        logging = raw.get("wafv2:GetLoggingConfiguration") or {}
        named = named_by_load_balancers(raw.get("wafv2:GetWebACLForResource"))
        for acl in raw.get("wafv2:ListWebACLs") or []:
            attrs = waf_logging(logging.get(acl["ARN"]))
            found = association(acl["ARN"], named)
            attrs = {**attrs, **found, "not_collected": {**attrs.get("not_collected", {}), **found.get("not_collected", {})}}
            if not attrs["not_collected"]:
                del attrs["not_collected"]
            yield resource(acct, type="network.waf", native="AWS::WAFv2::WebACL", id=acl["ARN"], name=acl.get("Name", acl["ARN"]),
                           region=region, attrs=attrs, raw={k: acl[k] for k in SUMMARY if k in acl}, ref="wafv2:ListWebACLs")
