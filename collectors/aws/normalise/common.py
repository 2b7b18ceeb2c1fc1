"""The small conversions every AWS normaliser shares; resources are built by the one
constructor of collectors/canonical."""

from genmei.collectors.canonical.resource import NO_ZONES, resource as canonical_resource

from ..model import AccountRaw


def tags(items) -> dict:
    """[{"Key": k, "Value": v}] (EC2, RDS, ELB, S3) → {k: v}."""
    return {str(t["Key"]): str(t.get("Value", "")) for t in items or [] if isinstance(t, dict) and "Key" in t}


def name_tag(item: dict, default: str) -> str:
    return tags(item.get("Tags")).get("Name") or default


def arn(acct: AccountRaw, service: str, region: str, resource: str, account: str | None = None) -> str:
    return f"arn:{acct.partition}:{service}:{region}:{account if account is not None else acct.account}:{resource}"


def resource(acct: AccountRaw, *, type: str, native: str, id: str, name: str, attrs: dict, raw, ref: str,
             region: str | None = None, zones=NO_ZONES, tags: dict | None = None) -> dict:
    """One snapshot resource read from the AWS API; `zones` is left out where the type has
    none, None where unknown."""
    return canonical_resource(type, id, "aws", native, {"kind": "api", "ref": ref}, attrs, account=acct.account,
                              region=region, zones=zones, name=name, tags=tags, raw=raw)

