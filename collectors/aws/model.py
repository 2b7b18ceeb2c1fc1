"""The raw data the reads produce and the normalisers consume, and the canonical types.

Raw data is keyed by "service:Operation". A list operation maps to its items (all pages);
a per-item operation maps to {item key: response}; a single operation to its response. An
operation that is absent was not read (its gap says why); a response of the form
{"Error": {"Code", "Message"}} is an error the API uses as an answer ("no such policy").
"""

from dataclasses import dataclass, field

# Types that live in a region, and those that are account-wide.
REGIONAL_TYPES = ("network.firewall", "network.vpc", "compute.instance", "compute.disk", "storage.bucket",
                  "kms.key", "db.instance", "lb.load_balancer", "lb.listener", "k8s.cluster", "cloud.region",
                  "compute.instance_group", "monitoring.alarm", "network.gateway", "vulnerability.report",
                  "compute.host_management", "network.waf", "network.vpn")
GLOBAL_TYPES = ("iam.user", "cloud.account", "storage.bucket")
ALL_TYPES = tuple(sorted(set(REGIONAL_TYPES) | set(GLOBAL_TYPES)))


@dataclass
class AccountRaw:
    account: str
    partition: str = "aws"
    global_: dict = field(default_factory=dict)
    regions: dict[str, dict] = field(default_factory=dict)
    # When the collection started (RFC 3339 UTC): the time ages of backups, findings, patch
    # assessments and inventories are counted to.
    observed_at: str | None = None


def answered(response, *codes: str) -> bool:
    """The response is one of the error codes an API uses to say "not configured"."""
    return isinstance(response, dict) and response.get("Error", {}).get("Code") in codes


def bucket_region(bucket: dict, locations: dict) -> str | None:
    """A bucket's region: ListBuckets' BucketRegion where AWS returns it, else
    GetBucketLocation (no constraint means us-east-1, and "EU" is the old eu-west-1)."""
    if bucket.get("BucketRegion"):
        return bucket["BucketRegion"]
    loc = locations.get(bucket["Name"])
    if not isinstance(loc, dict) or "Error" in loc:
        return None
    constraint = loc.get("LocationConstraint")
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(constraint, constraint)
