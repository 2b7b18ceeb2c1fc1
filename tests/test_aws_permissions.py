"""Every AWS operation genmei may send is granted by AWS's managed SecurityAudit policy, the
one permission the README asks for, or is one of the exceptions the README names.

The policy's actions are kept as data (tests/fixtures/iam/security-audit-v45.txt, with its
source); an operation's IAM action is its API name except where IAM names it otherwise.
"""

from fnmatch import fnmatchcase
from pathlib import Path

from genmei.collectors.aws import session

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "tests" / "fixtures" / "iam" / "security-audit-v45.txt"

# API operations whose IAM action has another name (AWS's Service Authorization Reference).
IAM_ACTION = {
    "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3:GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "s3:GetBucketReplication": "s3:GetReplicationConfiguration",
    "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3:ListBuckets": "s3:ListAllMyBuckets",
    "s3control:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
}
# Outside SecurityAudit by design: GetCallerIdentity needs no permission; AssumeRole is the
# caller's own permission for `--accounts` (README: "AWS: live collection", Scheduled scans).
OUTSIDE_THE_POLICY = {"sts:GetCallerIdentity", "sts:AssumeRole"}


def patterns() -> list[str]:
    lines = POLICY.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def iam_action(api: str) -> str:
    if api in IAM_ACTION:
        return IAM_ACTION[api]
    service, operation = api.split(":")
    return f"{'elasticloadbalancing' if service == 'elbv2' else service}:{operation}"


def granted(action: str, allowed: list[str]) -> bool:
    return any(fnmatchcase(action, p) for p in allowed)


def test_every_allowed_operation_is_granted_by_security_audit():
    allowed = patterns()
    missing = sorted(api for api in session.ALLOWED_OPERATIONS - OUTSIDE_THE_POLICY
                     if not granted(iam_action(api), allowed))
    assert missing == []
    assert OUTSIDE_THE_POLICY <= session.ALLOWED_OPERATIONS


def test_the_check_would_catch_an_operation_outside_the_policy():
    """The reads the guard refuses are outside SecurityAudit too: a mapping that let them
    through would be wrong."""
    allowed = patterns()
    for api in ("ssm:GetParameter", "s3:GetObject", "secretsmanager:GetSecretValue", "ec2:GetPasswordData",
                "ssm:GetInventory", "s3:PutBucketPolicy"):
        assert not granted(iam_action(api), allowed), api
    assert granted(iam_action("elbv2:DescribeListeners"), allowed)
    assert granted(iam_action("s3:ListBuckets"), allowed)
