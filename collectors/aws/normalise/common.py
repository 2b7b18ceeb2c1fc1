"""The canonical resource record and the small conversions every AWS normaliser shares."""

from .. import redact
from ..model import AccountRaw

# TLS protocol names in AWS APIs (ELB SSL policies, RDS parameters) → canonical versions.
TLS_VERSIONS = {"tlsv1": "1.0", "tlsv1.0": "1.0", "tlsv1.1": "1.1", "tlsv1.2": "1.2", "tlsv1.3": "1.3"}
_TLS_ORDER = ("1.0", "1.1", "1.2", "1.3")


def tls_version(name: str | None) -> str | None:
    """"TLSv1.2" → "1.2"; an unrecognised name is kept as given (checks report it)."""
    if not name:
        return None
    return TLS_VERSIONS.get(name.strip().lower(), name.strip())


def lowest_tls(names) -> str | None:
    """The lowest TLS version among protocol names; an unknown name wins (it is unjudgeable)."""
    versions = [tls_version(n) for n in names if n]
    if not versions:
        return None
    unknown = [v for v in versions if v not in _TLS_ORDER]
    return unknown[0] if unknown else min(versions, key=_TLS_ORDER.index)


def tags(items) -> dict:
    """[{"Key": k, "Value": v}] (EC2, RDS, ELB, S3) → {k: v}."""
    return {str(t["Key"]): str(t.get("Value", "")) for t in items or [] if "Key" in t}


def name_tag(item: dict, default: str) -> str:
    return tags(item.get("Tags")).get("Name") or default


def arn(acct: AccountRaw, service: str, region: str, resource: str, account: str | None = None) -> str:
    return f"arn:{acct.partition}:{service}:{region}:{account if account is not None else acct.account}:{resource}"


def resource(acct: AccountRaw, *, type: str, native: str, id: str, name: str, attrs: dict, raw, ref: str,
             region: str | None = None, zones=..., tags: dict | None = None) -> dict:
    """One snapshot resource; `zones` is left out where the type has none, None where unknown."""
    r = {"id": id, "type": type, "provider": "aws", "native_type": native, "account": acct.account}
    if region:
        r["region"] = region
    if zones is not ...:
        r["zones"] = zones
    r.update({"name": name, "tags": tags or {}, "attrs": attrs, "raw": redact.clean(raw),
              "source": {"kind": "api", "ref": ref}})
    return r


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
