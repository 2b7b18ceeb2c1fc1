"""S3: the bucket list and the account's public access block (once per account), then each
bucket's encryption, public access block, policy, policy status, ACL, tags, replication,
versioning and lifecycle rules in the bucket's own region."""

from ..calls import ANY
from ..model import bucket_region

HIDES = ("storage.bucket",)


def read_account(r, account: str) -> dict:
    """ListBuckets (with GetBucketLocation where AWS does not return BucketRegion) and the
    account-level public access block."""
    raw = {}
    buckets = r.list("s3:ListBuckets", "Buckets", HIDES)
    if buckets is not None:
        raw["s3:ListBuckets"] = buckets
        locations = {}
        for b in buckets:
            if not b.get("BucketRegion"):
                loc = r.get("s3:GetBucketLocation", HIDES, subject=b["Name"], Bucket=b["Name"])
                if loc is not None:
                    locations[b["Name"]] = loc
        raw["s3:GetBucketLocation"] = locations
    pab = r.get("s3control:GetPublicAccessBlock", HIDES, answers=("NoSuchPublicAccessBlockConfiguration",), AccountId=account)
    if pab is not None:
        raw["s3control:GetPublicAccessBlock"] = pab
    return raw


def buckets_in(account_raw: dict, region: str) -> list[str]:
    locations = account_raw.get("s3:GetBucketLocation", {})
    return sorted(b["Name"] for b in account_raw.get("s3:ListBuckets", []) if bucket_region(b, locations) == region)


# Per bucket: (API, error codes that mean "not configured").
PER_BUCKET = (
    ("s3:GetBucketEncryption", ("ServerSideEncryptionConfigurationNotFoundError",)),
    ("s3:GetPublicAccessBlock", ("NoSuchPublicAccessBlockConfiguration",)),
    ("s3:GetBucketPolicy", ("NoSuchBucketPolicy",)),
    ("s3:GetBucketAcl", ()),
    ("s3:GetBucketTagging", ("NoSuchTagSet",)),
    # Resilience: copies in another region (GM-DR-001), versions and their expiry (GM-DEL-001).
    ("s3:GetBucketReplication", ("ReplicationConfigurationNotFoundError",)),
    ("s3:GetBucketVersioning", ()),
    ("s3:GetBucketLifecycleConfiguration", ("NoSuchLifecycleConfiguration",)),
)


def read_buckets(r, names: list[str]) -> dict:
    raw = {api: {} for api, _ in PER_BUCKET} | {"s3:GetBucketPolicyStatus": {}}
    for name in names:
        for api, answers in PER_BUCKET:
            # Tags are context for exceptions and declare a bucket's DR scope (GM-DR-001): an
            # error is kept as the bucket's answer (no gap), and the normaliser says the tags
            # were not read.
            resp = r.get(api, HIDES, answers=ANY if api == "s3:GetBucketTagging" else answers, subject=name, Bucket=name)
            if resp is not None:
                raw[api][name] = resp
        policy = raw["s3:GetBucketPolicy"].get(name)
        if policy is not None and "Error" not in policy:
            status = r.get("s3:GetBucketPolicyStatus", HIDES, answers=("NoSuchBucketPolicy",), subject=name, Bucket=name)
            if status is not None:
                raw["s3:GetBucketPolicyStatus"][name] = status
    return raw
