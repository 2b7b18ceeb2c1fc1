"""AWS WAF (v2) in one region: the regional web ACLs and where each sends its logs, so
that the alarms of this access-control system (the requests it blocked or counted) are
known to reach an audit log (GM-LOG-003). Which web ACL protects each load balancer is
read with the load balancers (read/elbv2.py)."""

from ..calls import ANY

WAF = ("network.waf",)
PAGE = 100  # ListWebACLs' largest Limit; it pages by NextMarker and has no paginator


def read(r) -> dict:
    acls, marker = [], None
    while True:
        page = r.get("wafv2:ListWebACLs", WAF, Scope="REGIONAL", Limit=PAGE, **({"NextMarker": marker} if marker else {}))
        if page is None:
            return {}  # a partial list would make web ACLs look absent: the gap says why
        acls.extend(page.get("WebACLs", []))
        marker = page.get("NextMarker")
        if not marker or not page.get("WebACLs"):
            break
    # One web ACL's logging that cannot be read leaves that ACL unknown, not the others:
    # its error comes back as the answer and the normaliser says why.
    logging = {a["ARN"]: r.get("wafv2:GetLoggingConfiguration", WAF, answers=ANY, subject=a.get("Name"), ResourceArn=a["ARN"])
               for a in acls}
    return {"wafv2:ListWebACLs": acls, "wafv2:GetLoggingConfiguration": logging}
