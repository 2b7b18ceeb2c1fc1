"""KMS → kms.key (customer-managed keys only), and who manages the key behind a disk or a
bucket (key_type)."""

from genmei.collectors.canonical import keys

from .common import resource

MANAGERS = {"CUSTOMER": "customer", "AWS": "provider"}


def rotatable(meta: dict) -> bool:
    """Automatic rotation exists only for symmetric encryption customer keys with KMS key
    material (collectors/canonical/keys.py)."""
    return meta.get("KeyManager") == "CUSTOMER" and keys.aws_rotation_supported(
        meta.get("KeySpec") or meta.get("CustomerMasterKeySpec"), meta.get("KeyUsage"), meta.get("Origin"),
        meta.get("CustomKeyStoreId")) is True


def _alias_target(raw: dict, alias: str) -> str | None:
    for a in raw.get("kms:ListAliases") or []:
        if alias in (a.get("AliasName"), a.get("AliasArn")):
            return a.get("TargetKeyId")
    return None


def key_type(acct, region: str, ref: str | None) -> str | None:
    """"customer" or "provider" for a key id, key ARN, alias name or alias ARN; None when
    the key was not read. Aliases under alias/aws/ are reserved for AWS-managed keys, and
    AWS-managed keys are never shared across accounts."""
    if not ref:
        return None
    if ref.startswith("alias/aws/") or ":alias/aws/" in ref:
        return "provider"
    parts = ref.split(":")
    if ref.startswith("arn:") and len(parts) >= 6:
        if parts[4] and parts[4] != acct.account:
            return "customer"
        region, ref = parts[3] or region, parts[5]
    raw = acct.regions.get(region, {})
    key_id = _alias_target(raw, ref) if ref.startswith("alias/") else ref.removeprefix("key/")
    meta = (raw.get("kms:DescribeKey") or {}).get(key_id or "", {}).get("KeyMetadata") or {}
    return MANAGERS.get(meta.get("KeyManager"))


def _rotation(meta: dict | None, status: dict | None) -> tuple:
    """(rotation_enabled, rotation_period_days) of a key AWS can rotate."""
    if meta is None or status is None:
        return None, None
    enabled = status.get("KeyRotationEnabled")
    return enabled, status.get("RotationPeriodInDays") if enabled else None


def resources(acct):
    for region, raw in acct.regions.items():
        described = raw.get("kms:DescribeKey") or {}
        for k in raw.get("kms:ListKeys") or []:
            key_id = k["KeyId"]
            meta = (described.get(key_id) or {}).get("KeyMetadata")
            if meta is not None and meta.get("KeyManager") != "CUSTOMER":
                continue  # AWS-managed: AWS rotates it; not the customer's inventory
            aliases = sorted(a["AliasName"].removeprefix("alias/") for a in raw.get("kms:ListAliases") or []
                             if a.get("TargetKeyId") == key_id and a.get("AliasName"))
            rotation, period = _rotation(meta, (raw.get("kms:GetKeyRotationStatus") or {}).get(key_id))
            m = meta or {}
            spec = m.get("KeySpec") or m.get("CustomerMasterKeySpec")
            attrs = keys.kms_key(
                managed_by="customer" if meta else None, enabled=m.get("KeyState") == "Enabled" if meta else None,
                rotation_enabled=rotation, rotation_period_days=period,
                rotation_supported=rotatable(m) if meta else None,
                key_spec=spec, key_usage=m.get("KeyUsage"), origin=m.get("Origin"))
            tags = {str(t["TagKey"]): str(t.get("TagValue", "")) for t in (raw.get("kms:ListResourceTags") or {}).get(key_id, [])
                    if isinstance(t, dict) and "TagKey" in t}
            yield resource(acct, type="kms.key", native="AWS::KMS::Key",
                           id=k.get("KeyArn") or m.get("Arn") or key_id,
                           name=aliases[0] if aliases else key_id, region=region, attrs=attrs, tags=tags,
                           raw={"Key": k, "KeyMetadata": meta, "Aliases": aliases}, ref="kms:DescribeKey")
