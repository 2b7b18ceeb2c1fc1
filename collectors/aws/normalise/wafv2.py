"""AWS WAF (v2) → network.waf (GM-LOG-003): each regional web ACL and whether its logs —
the requests it blocked or counted, the alarms of this access-control system — are
delivered to a log destination (CloudWatch Logs, S3 or Firehose).

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


def resources(acct):
    for region, raw in acct.regions.items():
        logging = raw.get("wafv2:GetLoggingConfiguration") or {}
        for acl in raw.get("wafv2:ListWebACLs") or []:
            yield resource(acct, type="network.waf", native="AWS::WAFv2::WebACL", id=acl["ARN"], name=acl.get("Name", acl["ARN"]),
                           region=region, attrs=waf_logging(logging.get(acl["ARN"])), raw={k: acl[k] for k in SUMMARY if k in acl}, ref="wafv2:ListWebACLs")
