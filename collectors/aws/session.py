"""boto3 sessions and clients for one collection run.

Credentials come from the standard boto3 chain (or a named profile, or a role assumed per
account); the endpoint is whatever boto3 resolves, so `AWS_ENDPOINT_URL` points the
collector at a local emulator exactly as it would any boto3 program. Every client gets:
- adaptive retries (client-side rate limiting on throttling), bounded in number, and
  connect/read timeouts, so an endpoint that accepts and never answers costs a bounded
  time per call; the run's deadline (--timeout) bounds the whole collection;
- the read-only guard: an allow-list of the exact operations genmei calls
  (ALLOWED_OPERATIONS); anything else — GetSecretValue, ssm:GetParameter(s),
  s3:GetObject, ec2:GetPasswordData, ec2:DescribeInstanceAttribute (user data) — is
  refused before it is sent;
- a counter of the operations sent (meta.api_calls in the snapshot).
"""

import ipaddress
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import boto3
import botocore.exceptions
from botocore.config import Config

from genmei.engine import __version__


# Every operation genmei sends, by "service:Operation" (botocore's service names). Anything
# else is refused before it is sent, read-looking or not: secrets and user data are read by
# Get/Describe operations too.
ALLOWED_OPERATIONS = frozenset({
    "sts:GetCallerIdentity", "sts:AssumeRole", "organizations:ListAccounts",
    "ec2:DescribeRegions", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
    "ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables", "ec2:DescribeInternetGateways", "ec2:DescribeNatGateways",
    "ec2:DescribeVpcPeeringConnections", "ec2:DescribeFlowLogs", "ec2:DescribeInstances", "ec2:DescribeVolumes",
    "ec2:GetEbsEncryptionByDefault", "ec2:DescribeSnapshots",
    "s3:ListBuckets", "s3:GetBucketLocation", "s3:GetBucketEncryption", "s3:GetPublicAccessBlock",
    "s3:GetBucketPolicy", "s3:GetBucketPolicyStatus", "s3:GetBucketAcl", "s3:GetBucketTagging",
    "s3:GetBucketReplication", "s3:GetBucketVersioning", "s3:GetBucketLifecycleConfiguration",
    "s3control:GetPublicAccessBlock",
    "kms:ListAliases", "kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListResourceTags",
    "rds:DescribeDBInstances", "rds:DescribeDBParameters",
    "elbv2:DescribeLoadBalancers", "elbv2:DescribeListeners", "elbv2:DescribeSSLPolicies", "elbv2:DescribeTags",
    "eks:ListClusters", "eks:DescribeCluster",
    "guardduty:ListDetectors", "guardduty:GetDetector",
    "iam:ListUsers", "iam:GenerateCredentialReport", "iam:GetCredentialReport",
    "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
    # res2: which events a trail with custom selectors records (GM-LOG-002; SecurityAudit)
    "cloudtrail:GetEventSelectors",
    # ops: capacity and monitoring (SecurityAudit: autoscaling:Describe*, cloudwatch:Describe*)
    "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribePolicies", "cloudwatch:DescribeAlarms",
    # vulnerability and patch management, configuration recording (all in SecurityAudit)
    "inspector2:BatchGetAccountStatus", "inspector2:ListFindings",
    "config:DescribeConfigurationRecorders", "config:DescribeConfigurationRecorderStatus",
    "ssm:DescribeInstanceInformation", "ssm:ListResourceComplianceSummaries", "ssm:ListInventoryEntries",
    # ops2: the WAF in front of load balancers and where it logs (README: permissions)
    "wafv2:GetWebACLForResource", "wafv2:ListWebACLs", "wafv2:GetLoggingConfiguration",
    # more: site-to-site VPN tunnels' state and the Direct Connect links that may back them
    # (GM-VPN-001; SecurityAudit: ec2:Describe*, directconnect:Describe*)
    "ec2:DescribeVpnConnections", "directconnect:DescribeVirtualInterfaces",
})
# The only operations among them that are not reads, and why each is acceptable in an audit role.
ALLOWED_WRITES = {
    "iam:GenerateCredentialReport": "builds the account's credential report; part of AWS's SecurityAudit policy",
    "sts:AssumeRole": "reads member accounts through the role named by --role-name",
}
# Per call: connect and read timeouts, and at most MAX_ATTEMPTS attempts (throttling, 5xx,
# timeouts): an endpoint that never answers costs at most ~2 minutes per call, and the
# run's deadline bounds the whole. The first call (who am I?) gets fewer, shorter
# attempts, so a dead or wrong endpoint is reported within a minute.
CONNECT_TIMEOUT, READ_TIMEOUT, MAX_ATTEMPTS = 5, 20, 5
PROBE_READ_TIMEOUT, PROBE_ATTEMPTS = 10, 2
_COUNT = threading.Lock()  # one run's counter is shared by the clients of every account


class ReadOnlyViolation(RuntimeError):
    """A defect: the collector tried to send an operation not on the allow-list."""


def check_read_only(service: str, operation: str) -> None:
    api = f"{service}:{operation}"
    if api not in ALLOWED_OPERATIONS:
        raise ReadOnlyViolation(f"refusing to send {api}: not one of the read operations genmei makes")


def base_session(profile: str | None) -> boto3.Session:
    """The caller's session from the standard chain; a missing profile is a usage error."""
    from genmei.engine.errors import InputError

    try:
        return boto3.Session(profile_name=profile) if profile else boto3.Session()
    except botocore.exceptions.ProfileNotFound as e:
        source = f"--profile {profile!r}" if profile else f"AWS_PROFILE {e.kwargs.get('profile')!r}"
        raise InputError(f"{source}: no such profile in the AWS config files") from None


def loopback_host(url: str | None) -> bool:
    """True for http(s)://127.x.x.x, [::1] or localhost: a local emulator, never AWS."""
    if not url:
        return False
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_ip_or_localhost(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return host == "localhost"


class Clients:
    """Clients of one account, created once per (service, region) and shared by threads.

    botocore clients are thread-safe but sessions are not, so creation is serialised.
    """

    def __init__(self, session: boto3.Session, account: str, calls: Counter, max_workers: int = 8,
                 deadline: float | None = None):
        self.session = session
        self.account = account
        self.calls = calls
        self.deadline = deadline   # time.monotonic() after which no call is started
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, bool], object] = {}
        common = dict(connect_timeout=CONNECT_TIMEOUT, max_pool_connections=max(10, max_workers * 2),
                      user_agent_extra=f"genmei/{__version__}")
        self._config = Config(retries={"mode": "adaptive", "total_max_attempts": MAX_ATTEMPTS}, read_timeout=READ_TIMEOUT, **common)
        self._probe = Config(retries={"mode": "standard", "total_max_attempts": PROBE_ATTEMPTS}, read_timeout=PROBE_READ_TIMEOUT, **common)

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def client(self, service: str, region: str, probe: bool = False):
        """The client of a service in a region; `probe`: few, short attempts (the first call)."""
        key = (service, region, probe)
        with self._lock:
            if key not in self._cache:
                c = self.session.client(service, region_name=region, config=self._probe if probe else self._config)
                # First among the most specific handlers, so nothing (not even a test
                # stub) answers a call before it is checked and counted.
                c.meta.events.register_first("before-call.*.*", self._before_call)
                if service == "s3control":
                    _fix_account_host(c)
                self._cache[key] = c
            return self._cache[key]

    def _before_call(self, model, **_):
        service = model.service_model.service_name
        check_read_only(service, model.name)
        with _COUNT:
            self.calls[f"{service}:{model.name}"] += 1


def _fix_account_host(client) -> None:
    """s3control prefixes the account id to the endpoint host (`123456789012.s3-control…`).
    A custom endpoint that is an IP address or localhost has no such names, so the label is
    removed there; real AWS endpoints are left alone."""
    endpoint = urlsplit(client.meta.endpoint_url or "")
    if not _is_ip_or_localhost(endpoint.hostname or ""):
        return

    def strip(request, **_):
        parts = urlsplit(request.url)
        label, _, rest = parts.netloc.partition(".")
        if label.isdigit() and rest == endpoint.netloc:
            request.url = parts._replace(netloc=rest).geturl()

    client.meta.events.register("before-sign.s3-control", strip)


def assume(clients: Clients, region: str, role_arn: str) -> boto3.Session:
    """A session for a member account through sts:AssumeRole (raises botocore errors)."""
    creds = clients.client("sts", region).assume_role(RoleArn=role_arn, RoleSessionName="genmei-audit")["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"], region_name=region)
