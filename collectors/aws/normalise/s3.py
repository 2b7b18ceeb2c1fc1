"""S3 → storage.bucket: default encryption and its key, public access after the bucket and
account public access blocks, whether the bucket policy refuses plaintext (TLS), whether
the whole bucket is replicated to another region (the destination bucket's region from
the account's bucket list; a replica of a bucket in another region is such a copy too),
and versioning with the lifecycle expiry of previous versions.

The bucket policy is read by the one reader of collectors/canonical/s3.py, the same
that reads a policy in a Terraform plan; GetBucketPolicyStatus, AWS's own evaluation,
adds what the reader cannot prove (a public policy it leaves undetermined)."""

from genmei.collectors.canonical import copies, s3 as canonical_s3

from ..model import answered, bucket_region
from .common import resource, tags
from .kms import key_type


def encryption_rules(enc) -> list | None:
    """[(algorithm, KMS key)] of GetBucketEncryption; [] when the endpoint answers that
    there is no configuration (S3 then applies SSE-S3); None when it was not read."""
    if enc is None:
        return None
    if answered(enc, "ServerSideEncryptionConfigurationNotFoundError"):
        return []
    return [((r.get("ApplyServerSideEncryptionByDefault") or {}).get("SSEAlgorithm"),
             (r.get("ApplyServerSideEncryptionByDefault") or {}).get("KMSMasterKeyID"))
            for r in (enc.get("ServerSideEncryptionConfiguration") or {}).get("Rules", []) if isinstance(r, dict)]


def _block(configs: list, flag: str) -> bool | None:
    """A public access block setting across bucket and account: on if either turns it on."""
    values = [None if c is None else (False if answered(c, "NoSuchPublicAccessBlockConfiguration")
                                      else bool((c.get("PublicAccessBlockConfiguration") or {}).get(flag)))
              for c in configs]
    if True in values:
        return True
    return None if None in values else False


def policy_documents(policy) -> list | None:
    """The bucket's policy documents: [] when it has none, None when it was not read."""
    if policy is None:
        return None
    if answered(policy, "NoSuchBucketPolicy"):
        return []
    doc = canonical_s3.parse(policy.get("Policy"))
    return [doc] if doc is not None else []


def _aws_says_public(status) -> bool | None:
    if status is None or answered(status, "NoSuchBucketPolicy"):
        return None
    return bool((status.get("PolicyStatus") or {}).get("IsPublic"))


def public_access(policy, status, acl, bucket_pab, account_pab) -> tuple:
    """(public, public_via): through the policy unless RestrictPublicBuckets, through an ACL
    grant to everyone unless IgnorePublicAcls; None where a needed input is missing."""
    grantees = None if acl is None else [(g.get("Grantee") or {}).get("URI") for g in acl.get("Grants", [])]
    return canonical_s3.public(canonical_s3.policy_exposure(policy_documents(policy), aws_says_public=_aws_says_public(status)),
                               canonical_s3.acl_exposure(grantee_uris=grantees),
                               _block([bucket_pab, account_pab], "RestrictPublicBuckets"),
                               _block([bucket_pab, account_pab], "IgnorePublicAcls"))


def _whole_bucket(rule: dict) -> bool:
    """A replication or lifecycle rule applies to every object: no filter, or an empty
    prefix (a tag or `And` filter limits it)."""
    flt = rule.get("Filter")
    if flt is None:
        return not rule.get("Prefix")
    return isinstance(flt, dict) and set(flt) <= {"Prefix"} and not flt.get("Prefix")


def replication_regions(replication, bucket_regions: dict) -> list | None:
    """The regions that enabled whole-bucket replication rules copy to; a destination
    bucket of another account (or not listed) has region None. [] when there is no
    replication, None when it was not read."""
    if replication is None:
        return None
    if answered(replication, "ReplicationConfigurationNotFoundError"):
        return []
    regions = []
    for rule in (replication.get("ReplicationConfiguration") or {}).get("Rules") or []:
        if not isinstance(rule, dict) or rule.get("Status") != "Enabled" or not _whole_bucket(rule):
            continue
        target = str((rule.get("Destination") or {}).get("Bucket") or "")
        regions.append(bucket_regions.get(target.rsplit(":", 1)[-1]))
    return regions


def versioning(answer) -> bool | None:
    """Enabled, or Suspended (versions made before suspension stay): previous versions kept."""
    if answer is None or "Error" in answer:
        return None
    return answer.get("Status") in ("Enabled", "Suspended")


def lifecycle_rules(answer) -> list | None:
    """(enabled, whole bucket, days to delete previous versions) per rule."""
    if answer is None:
        return None
    if answered(answer, "NoSuchLifecycleConfiguration"):
        return []
    out = []
    for rule in answer.get("Rules") or []:
        if isinstance(rule, dict):
            days = (rule.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays")
            out.append((rule.get("Status") == "Enabled", _whole_bucket(rule), days if isinstance(days, int) else None))
    return out


def replicated_from(acct, bucket_regions: dict) -> dict:
    """Destination bucket name → the regions of the account's buckets that replicate their
    whole content into it: a replica in another region is itself the copy of data that
    also lives in the source's region."""
    sources: dict = {}
    for name, region in bucket_regions.items():
        answer = ((acct.regions.get(region) or {}).get("s3:GetBucketReplication") or {}).get(name)
        for rule in ((answer or {}).get("ReplicationConfiguration") or {}).get("Rules") or []:
            if isinstance(rule, dict) and rule.get("Status") == "Enabled" and _whole_bucket(rule):
                target = str((rule.get("Destination") or {}).get("Bucket") or "").rsplit(":", 1)[-1]
                sources.setdefault(target, []).append(region)
    return sources


def _copies_and_versions(region: str, per: dict, bucket_regions: dict, sources: list) -> dict:
    """cross_region_copy and copy_regions (replication to or from a bucket in another
    region), versioning and the expiry of previous versions (lifecycle rules); S3 has no
    soft delete."""
    destinations = replication_regions(per["s3:GetBucketReplication"], bucket_regions)
    cross, where = copies.cross_region(region, None if destinations is None else destinations + sources)
    attrs = {"cross_region_copy": cross, "copy_regions": where}
    if cross is None and destinations:
        attrs["not_collected"] = {"cross_region_copy": "the replication destination is a bucket of another account, "
                                                       "whose region was not read"}
    expire, days = copies.expiry(lifecycle_rules(per["s3:GetBucketLifecycleConfiguration"]))
    return {**attrs, "versioning": versioning(per["s3:GetBucketVersioning"]), "versions_expire": expire,
            "noncurrent_expiry_days": days}


def tags_unread(tagging) -> str | None:
    """Why the bucket's tags, which declare its DR scope (GM-DR-001), could not be read:
    the error code S3 answered (NoSuchTagSet is "no tags", read), else None."""
    code = ((tagging or {}).get("Error") or {}).get("Code")
    return None if code in (None, "NoSuchTagSet") else str(code)


def resources(acct):
    g = acct.global_
    if "s3:ListBuckets" not in g:
        return
    locations = g.get("s3:GetBucketLocation") or {}
    account_pab = g.get("s3control:GetPublicAccessBlock")
    regions = {b["Name"]: bucket_region(b, locations) for b in g["s3:ListBuckets"]}
    sources = replicated_from(acct, regions)
    for bucket in g["s3:ListBuckets"]:
        name, region = bucket["Name"], bucket_region(bucket, locations)
        if region not in acct.regions:
            continue  # a region not read (or a bucket whose region is unknown: see the gaps)
        raw = acct.regions[region]
        per = {api: (raw.get(api) or {}).get(name) for api in (
            "s3:GetBucketEncryption", "s3:GetPublicAccessBlock", "s3:GetBucketPolicy", "s3:GetBucketPolicyStatus",
            "s3:GetBucketAcl", "s3:GetBucketTagging", "s3:GetBucketReplication", "s3:GetBucketVersioning",
            "s3:GetBucketLifecycleConfiguration")}
        encrypted, key = canonical_s3.default_encryption(encryption_rules(per["s3:GetBucketEncryption"]),
                                                         lambda ref: key_type(acct, region, ref))
        policy = per["s3:GetBucketPolicy"]
        public, via = public_access(policy, per["s3:GetBucketPolicyStatus"], per["s3:GetBucketAcl"],
                                    per["s3:GetPublicAccessBlock"], account_pab)
        docs = policy_documents(policy)
        tagging = per["s3:GetBucketTagging"]
        copies_versions = _copies_and_versions(region, per, regions, sources.get(name, []))
        if unread := tags_unread(tagging):
            copies_versions["not_collected"] = {**copies_versions.get("not_collected", {}), "tags": unread}
        yield resource(acct, type="storage.bucket", native="AWS::S3::Bucket", id=f"arn:{acct.partition}:s3:::{name}",
                       name=name, region=region,
                       tags=tags(tagging.get("TagSet")) if tagging and "Error" not in tagging else {},
                       attrs={"default_encryption": encrypted, "key_type": key,
                              "public": public, "public_via": via, "tls": canonical_s3.bucket_tls(docs),
                              **copies_versions},
                       raw={"Bucket": bucket, "Encryption": per["s3:GetBucketEncryption"],
                            "PublicAccessBlock": per["s3:GetPublicAccessBlock"], "AccountPublicAccessBlock": account_pab,
                            "Policy": docs[0] if docs else policy, "PolicyStatus": per["s3:GetBucketPolicyStatus"],
                            "Acl": per["s3:GetBucketAcl"], "Replication": per["s3:GetBucketReplication"],
                            "Versioning": per["s3:GetBucketVersioning"], "Lifecycle": per["s3:GetBucketLifecycleConfiguration"]},
                       ref="s3:ListBuckets")
