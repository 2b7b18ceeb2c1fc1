"""Recorded real boto3 responses (../shared/corpora/aws_api, {status_code, data}) through the
AWS normalisers: every file either normalises into schema-valid resources or is reported
as an operation genmei does not read; none crashes.

A recording holds one response. Where the normaliser needs the listing a per-item response
belongs to (GetBucketEncryption needs a bucket), the smallest such parent is made up here
and named corpus-*; the recorded response is used as recorded.
"""

import json
import re
from pathlib import Path

import pytest

from genmei.collectors.aws.model import AccountRaw
from genmei.collectors.aws.normalise import normalise
from genmei.collectors.canonical.redact import REDACTED
from genmei.engine.snapshot import validate_snapshot

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "aws_api"
FILES = sorted(CORPUS.rglob("*.json")) if CORPUS.is_dir() else []
NAME = re.compile(r"__(?P<service>[a-z0-9-]+)\.(?P<op>[A-Za-z]+)_\d+\.json$")
ACCOUNT, REGION = "123456789012", "us-east-1"

# Operations genmei reads, and where their recorded response goes in the raw data:
# (scope, raw key, key of the items in the response or None for the whole response).
LISTS = {
    "ec2.DescribeVpcs": ("region", "ec2:DescribeVpcs", "Vpcs"),
    "ec2.DescribeSubnets": ("region", "ec2:DescribeSubnets", "Subnets"),
    "ec2.DescribeSecurityGroups": ("region", "ec2:DescribeSecurityGroups", "SecurityGroups"),
    "ec2.DescribeNetworkAcls": ("region", "ec2:DescribeNetworkAcls", "NetworkAcls"),
    "ec2.DescribeFlowLogs": ("region", "ec2:DescribeFlowLogs", "FlowLogs"),
    "ec2.DescribeInstances": ("region", "ec2:DescribeInstances", "Reservations"),
    "ec2.DescribeVolumes": ("region", "ec2:DescribeVolumes", "Volumes"),
    "kms.ListKeys": ("region", "kms:ListKeys", "Keys"),
    "rds.DescribeDBInstances": ("region", "rds:DescribeDBInstances", "DBInstances"),
    "guardduty.ListDetectors": ("region", "guardduty:ListDetectors", "DetectorIds"),
    "s3.ListBuckets": ("global", "s3:ListBuckets", "Buckets"),
    "iam.ListUsers": ("global", "iam:ListUsers", "Users"),
    "iam.GetCredentialReport": ("global", "iam:GetCredentialReport", None),
    "cloudtrail.DescribeTrails": ("global", "cloudtrail:DescribeTrails", "trailList"),
}
BUCKET = "corpus-bucket"
PER_BUCKET = ("GetBucketEncryption", "GetBucketPolicy", "GetBucketAcl", "GetPublicAccessBlock")
# Recorded operations genmei does not read (classic ELB included).
UNSUPPORTED = {
    "acm.DescribeCertificate", "config.DescribeConfigurationRecorders", "config.DescribeConfigurationRecorderStatus",
    "dynamodb.DescribeTable", "ec2.DescribeImageAttribute", "ec2.DescribeImages", "ec2.DescribeSnapshotAttribute",
    "ec2.DescribeSnapshots", "elasticloadbalancing.DescribeLoadBalancerAttributes", "es.DescribeElasticsearchDomain",
    "iam.GetAccountPasswordPolicy", "iam.GetAccountSummary", "iam.GetRole", "iam.ListAccessKeys", "lambda.GetFunction",
    "lambda.GetPolicy", "logs.DescribeLogGroups", "rds.DescribeDBClusters", "rds.DescribeDBSnapshots",
    "redshift.DescribeClusters", "s3.GetBucketLogging", "s3.GetBucketVersioning", "sns.GetTopicAttributes",
    "sqs.GetQueueAttributes", "elasticloadbalancing.DescribeLoadBalancers (classic)",
}


def account_raw(op: str, data) -> AccountRaw | None:
    """The raw data one recorded response makes, or None for an operation genmei does not read."""
    acct = AccountRaw(account=ACCOUNT, regions={REGION: {}})
    region, g = acct.regions[REGION], acct.global_
    if op in LISTS:
        scope, key, items = LISTS[op]
        (region if scope == "region" else g)[key] = data if items is None else data.get(items, [])
    elif op.startswith("s3.") and op.split(".")[1] in PER_BUCKET:
        g["s3:ListBuckets"] = [{"Name": BUCKET, "BucketRegion": REGION}]
        region[f"s3:{op.split('.')[1]}"] = {BUCKET: data}
    elif op == "kms.DescribeKey":
        key = data["KeyMetadata"]
        region["kms:ListKeys"] = [{"KeyId": key["KeyId"], "KeyArn": key["Arn"]}]
        region["kms:DescribeKey"] = {key["KeyId"]: data}
    elif op == "kms.GetKeyRotationStatus":
        region["kms:ListKeys"] = [{"KeyId": "corpus-key"}]
        region["kms:DescribeKey"] = {"corpus-key": {"KeyMetadata": {"KeyId": "corpus-key", "KeyManager": "CUSTOMER",
                                                                    "KeyState": "Enabled"}}}
        region["kms:GetKeyRotationStatus"] = {"corpus-key": data}
    elif op == "eks.DescribeCluster":
        region["eks:DescribeCluster"] = {data["cluster"]["name"]: data}
    elif op == "cloudtrail.GetTrailStatus":
        arn = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/corpus-trail"
        g["cloudtrail:DescribeTrails"] = [{"Name": "corpus-trail", "TrailARN": arn, "IsMultiRegionTrail": True,
                                           "LogFileValidationEnabled": True}]
        g["cloudtrail:GetTrailStatus"] = {arn: data}
    elif op == "elasticloadbalancing.DescribeLoadBalancers" and "LoadBalancers" in data:
        region["elbv2:DescribeLoadBalancers"] = data["LoadBalancers"]
    elif op == "elasticloadbalancing.DescribeListeners":
        by_lb = {}
        for x in data["Listeners"]:
            by_lb.setdefault(x["LoadBalancerArn"], []).append(x)
        region["elbv2:DescribeLoadBalancers"] = [{"LoadBalancerArn": a, "LoadBalancerName": f"corpus-lb-{i}"}
                                                 for i, a in enumerate(by_lb)]
        region["elbv2:DescribeListeners"] = by_lb
    else:
        return None
    return acct


def load(path: Path) -> tuple[str, object]:
    """(operation, response) of a recording; two files are bare EC2 instance objects."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    m = NAME.search(path.name)
    if m:
        return f"{m['service']}.{m['op']}", doc["data"]
    instances = doc if isinstance(doc, list) else [doc]
    return "ec2.DescribeInstances", {"Reservations": [{"Instances": instances}]}


def snapshot(resources: list[dict]) -> dict:
    return {"genmei_snapshot": "1.0", "resources": resources,
            "meta": {"provider": "aws", "account": ACCOUNT, "collector": {"name": "corpus", "version": "1"},
                     "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:00:00Z", "gaps": []}}


@pytest.fixture(scope="module")
def normalised():
    if not FILES:
        pytest.skip(f"no recorded AWS responses at {CORPUS}")
    out = {"resources": {}, "empty": [], "unsupported": set()}
    for path in FILES:
        op, data = load(path)
        acct = account_raw(op, data)
        if acct is None:
            classic = op == "elasticloadbalancing.DescribeLoadBalancers"
            out["unsupported"].add(f"{op} (classic)" if classic else op)
            continue
        resources = normalise(acct)
        validate_snapshot(snapshot(resources), path.name)
        (out["resources"].__setitem__(path.name, resources) if resources else out["empty"].append(path.name))
    return out


def test_every_recording_normalises_or_is_reported_unsupported(normalised):
    total = len(normalised["resources"]) + len(normalised["empty"])
    print(f"\naws corpus: {len(FILES)} files, {len(normalised['resources'])} normalised, "
          f"{len(normalised['empty'])} read but describe no resource on their own, "
          f"unsupported operations: {sorted(normalised['unsupported'])}")
    assert normalised["unsupported"] <= UNSUPPORTED, "a recorded operation genmei reads was not normalised"
    assert len(normalised["resources"]) >= 40 and total + sum(1 for p in FILES if account_raw(*load(p)) is None) == len(FILES)


def by_type(normalised, name_part: str, type_: str) -> list[dict]:
    return [r for f, rs in normalised["resources"].items() if name_part in f for r in rs if r["type"] == type_]


def test_credential_report_gives_users_and_the_root_user(normalised):
    users = {r["name"]: r["attrs"] for r in by_type(normalised, "test_iam_user_console_old__iam.GetCredentialReport", "iam.user")}
    assert users["andrew"] == {"console_access": True, "mfa_enabled": False, "active_access_keys": 2}
    assert users["anthony"] == {"console_access": True, "mfa_enabled": True, "active_access_keys": 0}
    # listed twice in the recording: judged by the worse row
    assert users["christopher"] == {"console_access": True, "mfa_enabled": False, "active_access_keys": 1}
    [account] = by_type(normalised, "test_iam_user_console_old__iam.GetCredentialReport", "cloud.account")
    assert account["attrs"]["root_mfa_enabled"] is True and account["attrs"]["root_access_keys_present"] is False
    assert account["attrs"].get("audit_log") is None  # trails not in this recording: not collected


def test_eks_public_endpoint_and_cidrs(normalised):
    [c] = by_type(normalised, "test_eks_kms_filter__eks.DescribeCluster", "k8s.cluster")
    assert c["attrs"] == {"endpoint_public": True, "authorized_cidrs": ["0.0.0.0/0"], "control_plane_multi_zone": True}  # EKS's design
    assert c["zones"] is None  # the subnets were not read with it


def test_listeners_without_their_policies(normalised):
    listeners = by_type(normalised, "test_appelb_delete_listener__elasticloadbalancing.DescribeListeners", "lb.listener")
    assert listeners and all(x["attrs"]["protocol"] for x in listeners)
    for x in listeners:
        tls = x["attrs"]["tls"]
        if x["attrs"]["protocol"] == "HTTP":
            assert tls["enforced"] is False
        else:  # HTTPS: plaintext refused; the version needs DescribeSSLPolicies, not recorded
            assert tls["enforced"] is True and tls["min_version"] is None


def test_bucket_encryption_recordings(normalised):
    kms = by_type(normalised, "test_s3_enable_bucket_encryption_kms__s3.GetBucketEncryption", "storage.bucket")
    aes = by_type(normalised, "test_s3_enable_bucket_encryption_aes256__s3.GetBucketEncryption", "storage.bucket")
    assert kms[0]["attrs"]["default_encryption"] is True and aes[0]["attrs"]["default_encryption"] is True
    assert aes[0]["attrs"]["key_type"] == "provider"
    for b in kms + aes:  # nothing else about the bucket was recorded: unknown, not false
        assert b["attrs"].get("public") is None and b["attrs"].get("tls") is None


def test_recorded_password_is_redacted(normalised):
    [db] = by_type(normalised, "test_rds_snapshot_count_filter__rds.DescribeDBInstances", "db.instance")
    assert db["raw"]["DBInstance"]["PendingModifiedValues"]["MasterUserPassword"] == REDACTED
    text = json.dumps(normalised["resources"])
    assert "MasterUserPassword\": \"string" not in text
    assert not re.search(r"\bAKIA[A-Z0-9]{16}\b", text)
