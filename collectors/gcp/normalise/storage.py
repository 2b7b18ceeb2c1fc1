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

TLS: Cloud Storage serves its JSON and XML APIs over HTTPS but also answers plain HTTP
for public objects, and no per-bucket setting changes that; nothing in the asset shows
a minimum TLS version. `tls` is therefore left absent (not collected) rather than claimed.
"""

from .common import dig, listed, string

PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")


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
