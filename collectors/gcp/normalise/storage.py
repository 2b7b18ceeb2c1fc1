"""Cloud Storage buckets.

Encryption: Cloud Storage encrypts every object at rest, always, with a Google-managed
key unless the bucket names a default Cloud KMS key (`encryption.defaultKmsKeyName`), so
`default_encryption` is true and `key_type` says who holds the key.

Public: a bucket is public when its IAM policy grants a role to `allUsers` or
`allAuthenticatedUsers`, or (with uniform bucket-level access off) its bucket ACL or
default object ACL names them — unless public access prevention is enforced, which
overrides both. It is not public when prevention is enforced, or when the IAM policy was
read and no public member appears in it nor in the ACLs that apply. Otherwise (IAM
policy not read, or fine-grained ACLs in force but not in the data) it is unknown (null).

Copies and deletion: a dual- or multi-region bucket (locationType) keeps its data in
several regions (copy_regions: its customPlacementConfig dataLocations, else its
location). Versioning (`versioning.enabled`, off when absent) keeps deleted and
overwritten objects as noncurrent versions; a Delete lifecycle rule over the whole
bucket (no prefix, suffix or storage-class condition) with `daysSinceNoncurrentTime`, or
`age` (which noncurrent versions reach no later than that many days after they become
noncurrent), deletes them in bounded time — `numNewerVersions` alone leaves the newest
noncurrent version forever. Soft delete keeps deleted objects
`softDeletePolicy.retentionDurationSeconds` (absent: not collected).

TLS: Cloud Storage serves its JSON and XML APIs over HTTPS but also answers plain HTTP
for public objects, and no per-bucket setting changes that; nothing in the asset shows
a minimum TLS version. `tls` is therefore left absent (not collected) rather than claimed.
"""

from genmei.collectors.canonical import copies

from .common import dig, listed, string

PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")


WHOLE_BUCKET_CONDITIONS = frozenset({"age", "daysSinceNoncurrentTime", "isLive", "numNewerVersions", "createdBefore",
                                     "noncurrentTimeBefore", "daysSinceCustomTime", "customTimeBefore"})


def _days(value) -> int | None:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _expiry_rule(rule) -> tuple:
    """(enabled, whole bucket, days after which noncurrent versions are deleted) of one
    lifecycle rule: a Delete rule not limited to live objects, by daysSinceNoncurrentTime
    or age."""
    if not isinstance(rule, dict) or dig(rule, "action", "type") != "Delete":
        return (True, False, None)
    cond = rule.get("condition") if isinstance(rule.get("condition"), dict) else {}
    if cond.get("isLive") is True:
        return (True, False, None)
    days = _days(cond.get("daysSinceNoncurrentTime"))
    return (True, set(cond) <= WHOLE_BUCKET_CONDITIONS, days if days is not None else _days(cond.get("age")))


def copies_and_versions(data: dict) -> dict:
    multi = copies.gcs_multi_region(data.get("locationType"))
    where = [str(x).lower() for x in listed(data.get("customPlacementConfig"), "dataLocations")] or (
        [str(data["location"]).lower()] if data.get("location") else [])
    soft = dig(data, "softDeletePolicy", "retentionDurationSeconds")
    if isinstance(soft, str) and soft.isdigit():
        soft = int(soft)
    expire, days = copies.expiry([_expiry_rule(r) for r in listed(data.get("lifecycle"), "rule")])
    return {
        "cross_region_copy": multi,
        "copy_regions": sorted(where) if multi else ([] if multi is False else None),
        "versioning": dig(data, "versioning", "enabled") is True,
        "versions_expire": expire,
        "noncurrent_expiry_days": days,
        "soft_delete_days": soft // 86400 if isinstance(soft, int) and not isinstance(soft, bool) else None,
    }


def bucket(a, ctx) -> dict:
    data = a.data
    attrs: dict = {}
    prevention = None
    uniform = None
    if data is not None:
        kms = dig(data, "encryption", "defaultKmsKeyName")
        attrs["default_encryption"] = True
        attrs["key_type"] = "customer" if kms else "provider"
        if kms:
            attrs["kms_key"] = kms
        iam_conf = dig(data, "iamConfiguration", default={})
        uniform = dig(iam_conf, "uniformBucketLevelAccess", "enabled")
        if not isinstance(uniform, bool):
            uniform = dig(iam_conf, "bucketPolicyOnly", "enabled")
        uniform = uniform if isinstance(uniform, bool) else False
        attrs["uniform_access"] = uniform
        prevention = str(iam_conf.get("publicAccessPrevention") or "inherited").lower()
        attrs["public_access_prevention"] = prevention
        attrs.update(copies_and_versions(data))
    via = []
    iam_known = a.iam_policy is not None or ctx.iam_read
    for binding in listed(a.iam_policy, "bindings"):
        for member in listed(binding, "members"):
            if member in PUBLIC_MEMBERS:
                via.append(f"iam:{member}:{binding.get('role')}")
    acls_known = uniform is True
    if data is not None and uniform is False:
        acl_keys = [k for k in ("acl", "defaultObjectAcl") if isinstance(data.get(k), list)]
        acls_known = len(acl_keys) == 2
        for key in acl_keys:
            for entry in data[key]:
                if isinstance(entry, dict) and entry.get("entity") in PUBLIC_MEMBERS:
                    via.append(f"{key}:{entry['entity']}:{entry.get('role')}")
    if prevention == "enforced":
        attrs["public"], attrs["public_via"] = False, []
    elif data is not None and via:
        attrs["public"], attrs["public_via"] = True, sorted(set(via))
    elif data is not None and iam_known and acls_known:
        attrs["public"], attrs["public_via"] = False, []
    elif via:
        attrs["public_via"] = sorted(set(via))  # public unless prevention is on, which was not read
    location = string(data, "location")
    return {"attrs": attrs, "region": location.lower() if location else None}
