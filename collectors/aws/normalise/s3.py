"""S3 → storage.bucket: default encryption and its key, public access after the bucket and
account public access blocks, and whether the bucket policy refuses plaintext (TLS)."""

import json

from ..model import answered, bucket_region
from .common import as_list, resource, tags
from .kms import key_type

PUBLIC_GRANTEES = ("http://acs.amazonaws.com/groups/global/AllUsers",
                   "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")
# Every S3 endpoint has required TLS 1.2 or later since 2024: a request that is encrypted at
# all uses at least 1.2, so TLS is judged by whether plaintext is refused.
S3_MIN_TLS = "1.2"


def default_encryption(enc) -> tuple:
    """(default_encryption, SSE rule) from GetBucketEncryption. AWS has applied SSE-S3 to
    every bucket since 2023; an endpoint that answers "no configuration" has none."""
    if enc is None:
        return None, None
    if answered(enc, "ServerSideEncryptionConfigurationNotFoundError"):
        return False, None
    for rule in (enc.get("ServerSideEncryptionConfiguration") or {}).get("Rules", []):
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        if default.get("SSEAlgorithm"):
            return True, default
    return False, None


def bucket_key_type(acct, region: str, sse: dict | None) -> str | None:
    if not sse:
        return None
    if sse["SSEAlgorithm"] == "AES256" or not sse.get("KMSMasterKeyID"):
        return "provider"  # SSE-S3, or SSE-KMS with the AWS-managed aws/s3 key
    return key_type(acct, region, sse["KMSMasterKeyID"])


def _block(configs: list, flag: str) -> bool | None:
    """A public access block setting across bucket and account: on if either turns it on."""
    values = [None if c is None else (False if answered(c, "NoSuchPublicAccessBlockConfiguration")
                                      else bool((c.get("PublicAccessBlockConfiguration") or {}).get(flag)))
              for c in configs]
    if True in values:
        return True
    return None if None in values else False


def _policy_doc(policy) -> dict | None:
    try:
        return json.loads(policy["Policy"]) if policy and "Policy" in policy else None
    except (TypeError, ValueError):
        return None


def _everyone(principal) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in as_list(principal.get("AWS"))


def denies_plaintext(doc: dict | None) -> bool:
    """A Deny for everyone on all S3 actions when aws:SecureTransport is false."""
    for st in as_list((doc or {}).get("Statement")):
        if not isinstance(st, dict) or st.get("Effect") != "Deny" or not _everyone(st.get("Principal")):
            continue
        if not any(a in ("*", "s3:*") for a in as_list(st.get("Action"))):
            continue
        for op, keys in (st.get("Condition") or {}).items():
            if op.lower() not in ("bool", "boolifexists") or not isinstance(keys, dict):
                continue
            for key, value in keys.items():
                if key.lower() == "aws:securetransport" and any(str(v).lower() == "false" for v in as_list(value)):
                    return True
    return False


def public_access(policy, status, acl, bucket_pab, account_pab) -> tuple:
    """(public, public_via): public through its policy unless RestrictPublicBuckets, or
    through an ACL grant to everyone unless IgnorePublicAcls; None where a needed input is
    missing."""
    if policy is None:
        policy_public = None
    elif answered(policy, "NoSuchBucketPolicy"):
        policy_public = False
    elif status is None:
        policy_public = None
    else:
        policy_public = False if answered(status, "NoSuchBucketPolicy") else bool((status.get("PolicyStatus") or {}).get("IsPublic"))
    acl_public = None if acl is None else any(
        (g.get("Grantee") or {}).get("URI") in PUBLIC_GRANTEES for g in acl.get("Grants", []))
    via = {}
    for channel, exposed, flag in (("policy", policy_public, "RestrictPublicBuckets"), ("acl", acl_public, "IgnorePublicAcls")):
        blocked = _block([bucket_pab, account_pab], flag)
        via[channel] = False if blocked is True else (None if blocked is None or exposed is None else exposed)
    if True in via.values():
        return True, [c for c, v in via.items() if v]
    if None in via.values():
        return None, None
    return False, []


def resources(acct):
    g = acct.global_
    if "s3:ListBuckets" not in g:
        return
    locations = g.get("s3:GetBucketLocation") or {}
    account_pab = g.get("s3control:GetPublicAccessBlock")
    for bucket in g["s3:ListBuckets"]:
        name, region = bucket["Name"], bucket_region(bucket, locations)
        if region not in acct.regions:
            continue  # a region not read (or a bucket whose region is unknown: see the gaps)
        raw = acct.regions[region]
        per = {api: (raw.get(api) or {}).get(name) for api in (
            "s3:GetBucketEncryption", "s3:GetPublicAccessBlock", "s3:GetBucketPolicy", "s3:GetBucketPolicyStatus",
            "s3:GetBucketAcl", "s3:GetBucketTagging")}
        encrypted, sse = default_encryption(per["s3:GetBucketEncryption"])
        policy = per["s3:GetBucketPolicy"]
        public, via = public_access(policy, per["s3:GetBucketPolicyStatus"], per["s3:GetBucketAcl"],
                                    per["s3:GetPublicAccessBlock"], account_pab)
        doc = _policy_doc(policy)
        tls = None if policy is None else {"enforced": denies_plaintext(doc), "min_version": S3_MIN_TLS}
        tagging = per["s3:GetBucketTagging"]
        yield resource(acct, type="storage.bucket", native="AWS::S3::Bucket", id=f"arn:{acct.partition}:s3:::{name}",
                       name=name, region=region,
                       tags=tags(tagging.get("TagSet")) if tagging and "Error" not in tagging else {},
                       attrs={"default_encryption": encrypted, "key_type": bucket_key_type(acct, region, sse),
                              "public": public, "public_via": via, "tls": tls},
                       raw={"Bucket": bucket, "Encryption": per["s3:GetBucketEncryption"],
                            "PublicAccessBlock": per["s3:GetPublicAccessBlock"], "AccountPublicAccessBlock": account_pab,
                            "Policy": doc if doc is not None else policy, "PolicyStatus": per["s3:GetBucketPolicyStatus"],
                            "Acl": per["s3:GetBucketAcl"]},
                       ref="s3:ListBuckets")
