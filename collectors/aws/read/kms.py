"""KMS in one region: every key (to tell customer keys from AWS-managed ones, for the key
inventory and for the key_type of disks and buckets), aliases, rotation of the customer
keys that AWS can rotate, and the customer keys' tags."""

from ..calls import ANY
from ..normalise.kms import rotatable

HIDES = ("kms.key",)


def read(r) -> dict:
    raw = {}
    aliases = r.list("kms:ListAliases", "Aliases", HIDES)
    if aliases is not None:
        raw["kms:ListAliases"] = aliases
    keys = r.list("kms:ListKeys", "Keys", HIDES)
    if keys is None:
        return raw
    raw["kms:ListKeys"] = keys
    described = {}
    for k in keys:
        d = r.get("kms:DescribeKey", HIDES, subject=k["KeyId"], KeyId=k["KeyId"])
        if d is not None:
            described[k["KeyId"]] = d
    raw["kms:DescribeKey"] = described
    rotation = {}
    for key_id, d in described.items():
        if rotatable(d.get("KeyMetadata", {})):
            status = r.get("kms:GetKeyRotationStatus", HIDES, subject=key_id, KeyId=key_id)
            if status is not None:
                rotation[key_id] = status
    raw["kms:GetKeyRotationStatus"] = rotation
    tags = {}
    for key_id, d in described.items():
        if d.get("KeyMetadata", {}).get("KeyManager") == "CUSTOMER":
            # Tags are context for exceptions and reports, not check inputs: their loss is no gap.
            found = r.get("kms:ListResourceTags", HIDES, answers=ANY, subject=key_id, KeyId=key_id)
            if found is not None and "Error" not in found:
                tags[key_id] = found.get("Tags", [])
    raw["kms:ListResourceTags"] = tags
    return raw
