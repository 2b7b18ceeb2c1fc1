"""`make bench-peers`: genmei side by side with two peers on the same inputs, in one run,
and bench/peers.md from what that run measured (nothing in it is written by hand).

- Prowler against the moto reference account of `make demo` (collectors.aws.reference_account),
  over the services and regions genmei reads, with the same endpoint and dummy credentials;
- checkov on the same Terraform plans `genmei gate` reads: the generated 1,000-resource plan
  of bench/tfplan.py and real plans from ../shared/corpora/tfplan.

Each tool runs as a child process; wall time and CPU time (user + system, from wait4) are
medians over the runs. For the checks both sides have (OVERLAP_PROWLER, OVERLAP_CHECKOV:
mapped by hand) the findings are compared resource by resource after normalising the
identifiers (ARNs; plan addresses), and every disagreement is listed with both sides' words.

The peers are installed from PyPI into their own virtual environments under bench/.peers/
(they pin old SDKs, so they are never genmei dependencies). A peer that cannot be
installed or run is reported as failed, with why, and no figure is written for it; the
command then exits 1. Optional, not in CI.
"""

import argparse
import contextlib
import io
import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PEERS_DIR = ROOT / "bench" / ".peers"
CORPUS = ROOT.parent / "shared" / "corpora" / "tfplan"
# The versions measured here; a newer release may rename checks the tables below name.
PINS = {"prowler": "prowler==5.46.0", "checkov": "checkov==3.3.30"}
INSTALL_TIMEOUT_S = 3600
# What genmei's AWS collector reads (vpc: Prowler keeps flow logs under its own service).
SERVICES = ("ec2", "vpc", "s3", "kms", "rds", "elbv2", "eks", "iam", "cloudtrail", "guardduty")
# Every resource judged, as genmei does (Prowler skips unused groups and ACLs by default);
# exit code 3 means "failed findings", not an error.
PROWLER_ARGS = ("--scan-unused-services", "--output-formats", "json-ocsf", "--no-banner", "--ignore-exit-code-3")
REAL_PLANS = (
    "bridgecrewio__checkov/tests__terraform__runner__resources__plan__tfplan.json",
    "terraform-compliance__cli/tests__functional__test_issue-249__plan.out.json",
    "terraform-compliance__cli/tests__functional__test_issue-171__plan.out.json",
)
TARGETS = {"account_ratio": 10.0, "gate_1k_s": 2.0}


# --- the overlapping checks, mapped by hand -------------------------------------------

@dataclass(frozen=True)
class Overlap:
    """One topic both tools check. `types` limits genmei's results to canonical types (a
    check such as GM-TLS-001 spans listeners, databases and buckets); `key` says how a
    resource is identified on both sides; `note` how the definitions differ, if they do."""
    topic: str
    genmei: str
    peer: tuple[str, ...]
    types: tuple[str, ...] = ()
    key: str = "arn"            # arn | lb | region | account | address
    note: str = ""
    match: str = ""             # a text genmei's resource id must hold (security group or network ACL)


OVERLAP_PROWLER = (
    Overlap("admin ports open to the internet (security groups)", "GM-ADMIN-001",
            ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389"), ("network.firewall",),
            match=":security-group/", note="genmei also counts WinRM 5985/5986; Prowler has no WinRM check"),
    Overlap("admin ports open to the internet (network ACLs)", "GM-ADMIN-001",
            ("ec2_networkacl_allow_ingress_tcp_port_22", "ec2_networkacl_allow_ingress_tcp_port_3389"),
            ("network.firewall",), match=":network-acl/"),
    Overlap("world-open rules (security groups)", "GM-NET-001",
            ("ec2_securitygroup_allow_ingress_from_internet_to_all_ports",
             "ec2_securitygroup_allow_ingress_from_internet_to_any_port",
             "ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_postgres_5432",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mysql_3306",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_oracle_1521_2483",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_sql_server_1433_1434",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mongodb_27017_27018",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_redis_6379",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_memcached_11211",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_elasticsearch_kibana_9200_9300_5601",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_kafka_9092",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_cassandra_7199_9160_8888",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_ftp_20_21",
             "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_telnet_23"), ("network.firewall",),
            match=":security-group/", note="genmei fails any world-open port but 80/443; Prowler has checks for all ports and for "
                 "named ports, so a world-open port it has no check for passes there"),
    Overlap("world-open rules (network ACLs)", "GM-NET-001",
            ("ec2_networkacl_allow_ingress_any_port", "ec2_networkacl_allow_ingress_tcp_port_22",
             "ec2_networkacl_allow_ingress_tcp_port_3389"), ("network.firewall",), match=":network-acl/"),
    Overlap("unencrypted volumes", "GM-ENC-001", ("ec2_ebs_volume_encryption",), ("compute.disk",)),
    Overlap("encryption by default of new volumes", "GM-ENC-003", ("ec2_ebs_default_encryption",),
            ("cloud.region",), key="region"),
    Overlap("unencrypted buckets", "GM-STO-001", ("s3_bucket_default_encryption",), ("storage.bucket",)),
    Overlap("unencrypted databases", "GM-ENC-002", ("rds_instance_storage_encrypted",), ("db.instance",)),
    Overlap("KMS key rotation", "GM-KMS-001", ("kms_cmk_rotation_enabled",), ("kms.key",)),
    Overlap("TLS on load-balancer listeners", "GM-TLS-001",
            ("elbv2_ssl_listeners", "elbv2_insecure_ssl_ciphers"), ("lb.listener",), key="lb",
            note="Prowler judges a load balancer, genmei each listener: genmei's listeners are rolled up "
                 "to their load balancer (FAIL if any listener fails)"),
    Overlap("TLS to databases", "GM-TLS-001", ("rds_instance_transport_encrypted",), ("db.instance",)),
    Overlap("TLS to buckets", "GM-TLS-001", ("s3_bucket_secure_transport_policy",), ("storage.bucket",)),
    Overlap("console users without MFA", "GM-IAM-001", ("iam_user_mfa_enabled_console_access",), ("iam.user",)),
    Overlap("root user MFA and access keys", "GM-IAM-002",
            ("iam_root_mfa_enabled", "iam_no_root_access_key"), ("cloud.account",), key="account"),
    Overlap("public databases", "GM-DB-001", ("rds_instance_no_public_access",), ("db.instance",)),
    Overlap("public buckets", "GM-STO-002",
            ("s3_bucket_public_access", "s3_bucket_public_list_acl", "s3_bucket_public_write_acl",
             "s3_bucket_policy_public_write_access"), ("storage.bucket",)),
    Overlap("public Kubernetes API", "GM-K8S-001", ("eks_cluster_not_publicly_accessible",), ("k8s.cluster",)),
    Overlap("threat detection", "GM-IDS-001", ("guardduty_is_enabled",), ("cloud.region",), key="region"),
    Overlap("audit trail over every region, validated", "GM-LOG-002",
            ("cloudtrail_multi_region_enabled", "cloudtrail_log_file_validation_enabled"),
            ("cloud.account",), key="account",
            note="genmei asks for one logging multi-region trail that validates its files; Prowler asks "
                 "every region for a multi-region trail and every trail for validation"),
    Overlap("VPC flow logs", "GM-LOG-001", ("vpc_flow_logs_enabled",), ("network.vpc",)),
    Overlap("database backups", "GM-BAK-001", ("rds_instance_backup_enabled",), ("db.instance",),
            note="genmei requires 7 days or more (policies/params.yaml), Prowler any retention above 0"),
)

OVERLAP_CHECKOV = (
    Overlap("admin ports open to the internet", "GM-ADMIN-001", ("CKV_AWS_24", "CKV_AWS_25"),
            ("network.firewall",), key="address",
            note="checkov judges aws_security_group_rule resources on their own; genmei folds them into "
                 "their group"),
    Overlap("world-open rules", "GM-NET-001", ("CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277"),
            ("network.firewall",), key="address",
            note="checkov checks ports 22, 3389 and all ports; genmei any port but 80/443"),
    Overlap("unencrypted volumes", "GM-ENC-001", ("CKV_AWS_3", "CKV_AWS_8"), ("compute.disk",), key="address",
            note="an instance's root and EBS block devices are one genmei disk each, keyed to the instance"),
    Overlap("unencrypted buckets", "GM-STO-001", ("CKV_AWS_19",), ("storage.bucket",), key="address",
            note="checkov 3 passes every bucket (S3 encrypts new objects with SSE-S3 by default since "
                 "January 2023); genmei's plan normaliser asks for an encryption configuration in the plan"),
    Overlap("unencrypted databases", "GM-ENC-002", ("CKV_AWS_16",), ("db.instance",), key="address"),
    Overlap("KMS key rotation", "GM-KMS-001", ("CKV_AWS_7",), ("kms.key",), key="address"),
    Overlap("TLS on load-balancer listeners", "GM-TLS-001", ("CKV_AWS_2", "CKV_AWS_103"), ("lb.listener",),
            key="address", note="checkov's CKV_AWS_2 passes TCP/UDP listeners; genmei leaves pass-through listeners "
                 "(TCP, UDP, TCP_UDP, GENEVE) not evaluated and fails plaintext HTTP ones"),
    Overlap("public databases", "GM-DB-001", ("CKV_AWS_17",), ("db.instance",), key="address"),
    Overlap("public buckets (ACL)", "GM-STO-002", ("CKV_AWS_20", "CKV_AWS_57"), ("storage.bucket",), key="address"),
    Overlap("public Kubernetes API", "GM-K8S-001", ("CKV_AWS_38",), ("k8s.cluster",), key="address"),
    Overlap("database backups", "GM-BAK-001", ("CKV_AWS_133",), ("db.instance",), key="address",
            note="genmei requires 7 days or more, checkov any retention above 0"),
    Overlap("single-zone databases", "GM-AVL-001", ("CKV_AWS_157",), ("db.instance",), key="address"),
)


@dataclass(frozen=True)
class Judged:
    """A disagreement investigated by hand: in `topic`, for `resource` (as the report names
    it, or "*") where genmei said `genmei` and the peer `peer` (or "*"), the verdict. A
    verdict on a peer-only FAIL starts with "genmei misses" (a true violation genmei does
    not report as FAIL), "peer false positive" or "different definition"; a disagreement
    no entry covers is reported as "not investigated" and counts against the target."""
    topic: str
    resource: str
    genmei: str
    peer: str
    verdict: str


CLEARED = ("peer false positive", "different definition")

JUDGED_PROWLER = (
    Judged("world-open rules (security groups)", "dr-app (ap-northeast-3)", "PASS", "FAIL",
           "different definition: only 443 is open to the world; genmei admits the public web ports 80/443 "
           "(world_open_allowed_ports in policies/params.yaml), Prowler's any-port check fails every world-open "
           "port of a group in use"),
    Judged("audit trail over every region, validated", "123456789012", "PASS", "FAIL",
           "different definition: org-audit is a logging multi-region trail with log-file validation, so "
           "every region's events, Osaka's included, are recorded with integrity validation; Prowler also "
           "fails the extra single-region trail osaka-local, which has none"),
    Judged("TLS on load-balancer listeners", "legacy-nlb (ap-northeast-1)", "FAIL", "PASS",
           "genmei right: the TLS listener uses ELBSecurityPolicy-2016-08, which admits TLS 1.0 and 1.1; "
           "Prowler's elbv2_insecure_ssl_ciphers reads only HTTPS listeners and elbv2_ssl_listeners only "
           "application load balancers"),
    Judged("public databases", "legacy-db (ap-northeast-1)", "FAIL", "PASS",
           "different definition: PubliclyAccessible=true gives legacy-db a public endpoint, which genmei "
           "fails; Prowler fails only when a security group also admits the internet on the database port "
           "(legacy-db's default group admits nothing)"),
    Judged("database backups", "legacy-db (ap-northeast-1)", "FAIL", "PASS",
           "different definition (threshold): 1 day of backups; genmei asks 7 days or more, Prowler more than 0"),
    Judged("unencrypted buckets", "*", "PASS", "FAIL",
           "peer false positive (emulator): the bucket has no encryption configuration of its own, and moto "
           "answers GetBucketEncryption with ServerSideEncryptionConfigurationNotFoundError, which S3 no longer "
           "does: since January 2023 S3 encrypts every bucket with SSE-S3 by default and returns that "
           "configuration; genmei reads the answer as S3's default (key_type provider), Prowler as no encryption"),
)

JUDGED_CHECKOV = (
    Judged("single-zone databases", "*", "NOT_EVALUATED", "FAIL",
           "genmei misses: multi_az = false fixes a single zone although which zone is known only after "
           "apply; genmei reads zones only and reports NOT_EVALUATED (the gate fails on it only with "
           "--fail-on-unknown)"),
    Judged("unencrypted volumes", "*", "NOT_EVALUATED", "FAIL",
           "different definition: the plan leaves encrypted unset, so the volume's encryption follows the "
           "account's EBS encryption by default at apply; genmei reports it as known only after apply, checkov "
           "assumes unencrypted"),
    Judged("unencrypted volumes", "*", "no result", "FAIL",
           "different definition: a launch configuration without block devices, whose volumes follow the image "
           "and the account default at apply; checkov assumes unencrypted, genmei has no canonical type for "
           "launch configurations (the gate lists them under types without checks)"),
    Judged("unencrypted buckets", "*", "FAIL", "PASS",
           "probable genmei false positive: the plan has no encryption configuration, which genmei's plan "
           "normaliser reads as no default encryption; S3 has encrypted every new bucket with SSE-S3 since "
           "January 2023, and checkov passes it"),
    Judged("TLS on load-balancer listeners", "*", "FAIL", "PASS",
           "genmei stricter: a listener genmei finds accepting plaintext that checkov passes (pass-through "
           "TCP/UDP listeners are not evaluated by genmei: their targets decide TLS)"),
    Judged("TLS on load-balancer listeners", "*", "FAIL", "no result",
           "genmei right: a classic load balancer's HTTP listener on port 80; the mapped checkov checks "
           "cover aws_lb/aws_alb listeners only"),
    Judged("database backups", "*", "FAIL", "PASS",
           "different definition (threshold): genmei asks 7 days or more, checkov more than 0"),
)


# --- running children ------------------------------------------------------------------

@dataclass
class Run:
    wall: float
    cpu: float
    code: int
    stdout: str
    stderr: str


def timed(args: list, env=None, cwd=None, timeout: float = 1800) -> Run:
    """Run a child in its own process group; wall seconds, and CPU seconds of the child and
    the descendants it waited for (wait4). Past `timeout` the group is killed and the code
    is -9 with a note on stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(a) for a in args], stdout=out, stderr=err, env=env, cwd=cwd or ROOT,
                                start_new_session=True)
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if not killed and time.perf_counter() - t0 > timeout:
                os.killpg(proc.pid, 9)
                killed = True
            time.sleep(0.05)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode(errors="replace") + (f"\nkilled after {timeout:.0f} s" if killed else "")
        return Run(wall, usage.ru_utime + usage.ru_stime, -9 if killed else os.waitstatus_to_exitcode(status),
                   out.read().decode(errors="replace"), stderr)


def last_line(text: str) -> str:
    lines = [x.strip() for x in text.strip().splitlines() if x.strip()]
    return lines[-1][:300] if lines else "(no output)"


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 \
        else f"{values[0]:.2f}"


# --- the peers' virtual environments ---------------------------------------------------

@dataclass
class Peer:
    name: str
    exe: Path | None = None
    version: str = ""
    failed: str = ""           # why it could not be installed or run; empty when it ran
    install_s: float | None = None
    venv_mb: int | None = None


def du_mb(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) // 2**20


def installed_version(venv: Path, name: str) -> str | None:
    python = venv / "bin" / "python"
    if not python.is_file():
        return None
    run = subprocess.run([str(python), "-c", f"import importlib.metadata as m; print(m.version({name!r}))"],
                         capture_output=True, text=True, check=False)
    return run.stdout.strip() if run.returncode == 0 else None


def install(name: str, python: str, progress) -> Peer:
    """The peer's venv under bench/.peers/NAME with PINS[name], reused while it holds that version."""
    venv, pin = PEERS_DIR / name, PINS[name]
    log = PEERS_DIR / f"{name}-install.log"
    peer = Peer(name)
    if installed_version(venv, name) != pin.split("==")[1]:
        progress(f"installing {pin} into {venv} (log: {log}); this can take minutes")
        PEERS_DIR.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        with open(log, "w") as out:
            for step in ([python, "-m", "venv", "--clear", venv],
                         [venv / "bin" / "python", "-m", "pip", "install", "--upgrade", "pip"],
                         [venv / "bin" / "python", "-m", "pip", "install", pin]):
                what = " ".join(map(str, step[-3:]))
                try:
                    code = subprocess.run([str(a) for a in step], stdout=out, stderr=subprocess.STDOUT,
                                          timeout=INSTALL_TIMEOUT_S, check=False).returncode
                except (OSError, subprocess.TimeoutExpired) as e:
                    peer.failed = f"`{what}` failed: {e}"
                    return peer
                if code != 0:
                    out.flush()
                    peer.failed = f"`{what}` exited {code}: {last_line(log.read_text(errors='replace'))}"
                    return peer
        peer.install_s = time.perf_counter() - t0
    peer.exe = venv / "bin" / name
    peer.venv_mb = du_mb(venv)
    run = timed([peer.exe, "--version"], timeout=600)
    if run.code != 0:
        peer.failed = f"`{name} --version` exited {run.code}: {last_line(run.stderr or run.stdout)}"
    else:
        peer.version = installed_version(venv, name) or last_line(run.stdout)
    return peer


# --- comparing findings ----------------------------------------------------------------

@dataclass
class Side:
    """One tool's verdict on one resource for one overlap: FAIL if any of its results
    fails, PASS if all pass, else the other status seen."""
    status: str
    name: str = ""
    detail: str = ""


def fold(found: dict, key: str, status: str, name: str, detail: str) -> None:
    if key not in found:
        found[key] = Side(status, name, detail)
        return
    cur = found[key]
    if status == "FAIL" and cur.status != "FAIL":
        found[key] = Side("FAIL", cur.name or name, detail)
    elif status == "FAIL":
        cur.detail = f"{cur.detail}; {detail}" if detail and detail not in cur.detail else cur.detail
    elif status != "PASS" and cur.status == "PASS":
        found[key] = Side(status, cur.name or name, detail)


def genmei_key(r: dict, key: str) -> str:
    if key == "address":
        return (r.get("source") or {}).get("ref") or r["resource"]
    if key == "region":
        return r.get("region") or r["resource"].rsplit("/", 1)[-1]
    if key == "account":
        return "account"
    if key == "lb":  # arn:...:listener/app/NAME/LB/LISTENER -> arn:...:loadbalancer/app/NAME/LB
        return r["resource"].replace(":listener/", ":loadbalancer/", 1).rsplit("/", 1)[0]
    return r["resource"]


def genmei_side(results: list, o: Overlap) -> dict:
    found = {}
    for r in results:
        if r["check"] != o.genmei or (o.types and r.get("resource_type") not in o.types) or o.match not in r["resource"]:
            continue
        status = {"WAIVED": "FAIL"}.get(r["status"], r["status"])
        detail = r["reason"] + (" [waived]" if r["status"] == "WAIVED" else "")
        key = genmei_key(r, o.key)
        name = key.rsplit("/", 2)[-2] if o.key == "lb" else r.get("resource_name") or ""
        fold(found, key, status, name, detail)
    return found


def prowler_findings(ocsf: list) -> list[dict]:
    """Prowler's OCSF findings as {check, status, arn, region, name, detail}."""
    rows = []
    for f in ocsf:
        res = (f.get("resources") or [{}])[0]
        rows.append({"check": (f.get("metadata") or {}).get("event_code"), "status": f.get("status_code"),
                     "arn": res.get("uid") or "", "region": res.get("region") or (f.get("cloud") or {}).get("region") or "",
                     "name": res.get("name") or "", "detail": f.get("status_detail") or ""})
    return rows


def prowler_side(rows: list, o: Overlap) -> dict:
    found = {}
    for r in rows:
        if r["check"] not in o.peer:
            continue
        key = {"region": r["region"], "account": "account"}.get(o.key, r["arn"])
        fold(found, key, r["status"], r["name"], f"{r['check']}: {r['detail']}")
    return found


def checkov_findings(report) -> list[dict]:
    rows = []
    for part in report if isinstance(report, list) else [report]:
        results = part.get("results") or {}
        for kind, status in (("passed_checks", "PASS"), ("failed_checks", "FAIL")):
            for c in results.get(kind, []):
                rows.append({"check": c["check_id"], "status": status,
                             "address": c.get("resource_address") or c["resource"], "detail": c.get("check_name", "")})
    return rows


def checkov_side(rows: list, o: Overlap) -> dict:
    found = {}
    for r in rows:
        if r["check"] in o.peer:
            fold(found, r["address"], r["status"], r["address"], f"{r['check']} {r['status']}: {r['detail']}")
    return found


def compare(mine: dict, theirs: dict) -> dict:
    """Per resource: both FAIL, both PASS, only the peer fails, only genmei fails, or
    other (a side without result, NOT_EVALUATED, MANUAL…)."""
    out = {"both_fail": [], "both_pass": [], "only_peer": [], "only_genmei": [], "other": []}
    for key in sorted(set(mine) | set(theirs)):
        g = mine.get(key) or Side("no result")
        p = theirs.get(key) or Side("no result")
        if g.status == "FAIL" and p.status == "FAIL":
            bucket = "both_fail"
        elif g.status == "PASS" and p.status == "PASS":
            bucket = "both_pass"
        elif p.status == "FAIL":
            bucket = "only_peer"
        elif g.status == "FAIL":
            bucket = "only_genmei"
        else:
            bucket = "other"
        out[bucket].append({"key": key, "name": g.name or p.name, "genmei": g, "peer": p})
    return out


def label(case: dict) -> str:
    """The resource as the report names it: its name, and its region when the key is a
    regional ARN (names repeat across regions)."""
    key, name = case["key"], case["name"]
    parts = key.split(":")
    region = parts[3] if key.startswith("arn:") and len(parts) > 3 else ""
    return f"{name or key} ({region})" if region and name else name or key


def verdict(judged, o: Overlap, case: dict) -> str:
    for j in judged:
        if (j.topic == o.topic and j.resource in ("*", label(case)) and j.genmei in ("*", case["genmei"].status)
                and j.peer in ("*", case["peer"].status)):
            return j.verdict
    return "not investigated"


# --- the account: genmei and Prowler on the moto reference account ---------------------

class ServerErrors(logging.Handler):
    """What the in-process moto server could not answer while a tool ran: the actions it
    answers "not implemented" (werkzeug logs a traceback for each call), the services it
    has no backend for (moto prints those on stdout, where the report goes), and any other
    error by its last line, collected instead of cluttering the output."""

    def __init__(self):
        super().__init__()
        self.printed = io.StringIO()
        self.actions: set[str] = set()
        self.other: dict[str, int] = {}

    def emit(self, record):
        error = record.exc_info[1] if record.exc_info else None
        text = f"{type(error).__name__}: {error}" if error else record.getMessage().strip().splitlines()[-1]
        found = re.search(r"The (\w+) action has not been implemented", text)
        if found:
            self.actions.add(found.group(1))
        else:
            self.count(" ".join(text.split())[:120])

    def count(self, what: str) -> None:
        self.other[what] = self.other.get(what, 0) + 1

    def take(self) -> tuple[list[str], dict[str, int]]:
        """What was collected since the last call."""
        for line in self.printed.getvalue().splitlines():
            found = re.match(r"Unable to find appropriate backend for ([\w-]+)\.", line)
            if found:
                self.count(f"no moto backend for {found.group(1)}")
            elif line.strip():
                print(line, file=sys.stderr)
        found = (sorted(self.actions), dict(self.other))
        self.printed.seek(0)
        self.printed.truncate()
        self.actions, self.other = set(), {}
        return found


@contextlib.contextmanager
def server_errors_collected():
    log = logging.getLogger("werkzeug")
    handler, propagate = ServerErrors(), log.propagate
    log.addHandler(handler)
    log.propagate = False
    try:
        with contextlib.redirect_stdout(handler.printed):
            yield handler
    finally:
        log.removeHandler(handler)
        log.propagate = propagate


def account(prowler: Peer, runs: int, prowler_runs: int, progress) -> dict:
    from genmei.collectors.aws.reference_account import DEMO_ARGS, REGIONS, moto_server, scan_environment, seed

    out = {"genmei": [], "prowler": [], "prowler_failed": prowler.failed, "regions": REGIONS}
    with moto_server() as endpoint, tempfile.TemporaryDirectory() as tmp, server_errors_collected() as errors:
        progress("account: seeding the moto reference account")
        seed(endpoint)
        if any(errors.take()):
            progress("warning: the moto server failed requests while seeding")
        env = {**scan_environment(endpoint), "XDG_DATA_HOME": tmp}
        for i in range(runs):
            progress(f"account: genmei scan aws, run {i + 1}/{runs}")
            d = Path(tmp) / f"genmei{i}"
            run = timed([sys.executable, "-m", "genmei.engine.cli", "scan", "aws", *DEMO_ARGS, "--out", d], env=env, timeout=900)
            if run.code not in (0, 1):
                raise SystemExit(f"bench-peers: genmei scan aws exited {run.code}: {last_line(run.stderr)}")
            out["genmei"].append(run)
            evidence = json.loads((d / "evidence.json").read_text())
            snapshot = json.loads((d / "snapshot.json").read_text())
        out["genmei_results"] = evidence["results"]
        out["genmei_server_errors"] = errors.take()
        out["resources"] = len(snapshot["resources"])
        out["api_calls"] = sum(snapshot["meta"].get("api_calls", {}).values())
        if prowler.failed:
            return out
        for i in range(prowler_runs):
            progress(f"account: prowler aws ({len(SERVICES)} services, {len(REGIONS)} regions), run {i + 1}/{prowler_runs}")
            d = Path(tmp) / f"prowler{i}"
            run = timed([prowler.exe, "aws", "--services", *SERVICES, "--region", *REGIONS, *PROWLER_ARGS,
                         "--output-directory", d, "--output-filename", "prowler"],
                        env={**env, "HOME": tmp}, cwd=tmp, timeout=3600)
            files = sorted(d.glob("*.ocsf.json"))
            if run.code != 0 or not files:
                out["prowler_failed"] = (f"`prowler aws` exited {run.code}"
                                         f"{'' if files else ', no OCSF output'}: {last_line(run.stderr or run.stdout)}")
                return out
            out["prowler"].append(run)
            ocsf = json.loads(files[0].read_text() or "[]")
        out["prowler_rows"] = prowler_findings(ocsf)
        out["prowler_server_errors"] = errors.take()
    return out


# --- the plans: genmei gate and checkov ------------------------------------------------

def plans(checkov: Peer, names: list[str], runs: int, progress) -> dict:
    from bench.tfplan import generate

    out = {"plans": [], "checkov_failed": checkov.failed}
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "generated-1000.json"
        generated.write_text(json.dumps(generate(1000)))
        todo = [("bench/tfplan.py generate(1000)", generated)] + [(n, CORPUS / n) for n in names]
        for caption, path in todo:
            if not path.is_file():
                raise SystemExit(f"bench-peers: {path}: no such plan (is ../shared beside the checkout?)")
            row = {"label": caption, "genmei": [], "checkov": [], "resources": len(json.loads(
                path.read_text(encoding="utf-8-sig")).get("resource_changes") or [])}
            for i in range(runs):
                progress(f"plans: genmei gate {caption}, run {i + 1}/{runs}")
                run = timed([sys.executable, "-m", "genmei.engine.cli", "gate", path, "--format", "json", "--fail-on", "none"],
                            timeout=900)
                if run.code != 0:
                    raise SystemExit(f"bench-peers: genmei gate {path} exited {run.code}: {last_line(run.stderr)}")
                row["genmei"].append(run)
            row["genmei_results"] = json.loads(row["genmei"][-1].stdout)["results"]
            if not out["checkov_failed"]:
                for i in range(runs):
                    progress(f"plans: checkov {caption}, run {i + 1}/{runs}")
                    run = timed([checkov.exe, "-f", path, "--framework", "terraform_plan", "--skip-download",
                                 "-o", "json", "--soft-fail"], env={**os.environ, "HOME": tmp}, cwd=tmp, timeout=1800)
                    try:
                        report = json.loads(run.stdout)
                    except ValueError:
                        report = None
                    if run.code != 0 or report is None:
                        out["checkov_failed"] = f"`checkov -f {path.name}` exited {run.code}: {last_line(run.stderr or run.stdout)}"
                        break
                    row["checkov"].append(run)
                else:
                    row["checkov_rows"] = checkov_findings(report)
            out["plans"].append(row)
    return out


# --- the report ------------------------------------------------------------------------

def comparison(overlaps, judged, genmei_results: list, peer_rows: list, side, peer: str) -> tuple[list[str], list[dict]]:
    """The counts per overlap, then the disagreements grouped by what each side said (a
    generated plan repeats one case hundreds of times), with the verdict of `judged`."""
    lines = [f"| topic | genmei | {peer} | both FAIL | both PASS | only {peer} FAIL | only genmei FAIL | other |",
             "|---|---|---|---:|---:|---:|---:|---:|"]
    groups, misses = {}, []
    for o in overlaps:
        c = compare(genmei_side(genmei_results, o), side(peer_rows, o))
        n = {k: len(v) for k, v in c.items()}
        lines.append(f"| {o.topic} | {o.genmei} | {checks_text(o.peer)} | {n['both_fail']} | {n['both_pass']} | "
                     f"{n['only_peer']} | {n['only_genmei']} | {n['other']} |")
        for bucket, title in (("only_peer", f"only {peer} FAIL"), ("only_genmei", "only genmei FAIL"), ("other", "other")):
            for case in c[bucket]:
                said = verdict(judged, o, case) if bucket != "other" else ""
                if bucket == "only_peer":
                    misses.append({"topic": o.topic, "name": label(case), "verdict": said})
                g, p = case["genmei"], case["peer"]
                key = (o.topic, title, f"{g.status}: {md(g.detail)}" if g.detail else g.status,
                       f"{p.status}: {md(p.detail)}" if p.detail else p.status, said)
                groups.setdefault(key, []).append(label(case))
    out = lines + [""]
    if groups:
        out += ["Where they do not both PASS or both FAIL, resource by resource:", "",
                "| topic | case | resources | genmei | peer | investigated |", "|---|---|---|---|---|---|"]
        for (topic, title, g, p, said), names in groups.items():
            shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
            out.append(f"| {topic} | {title} | {len(names)}: {md(shown)} | {g} | {p} | {said} |")
        out.append("")
    return out, misses


def notes(overlaps) -> list[str]:
    found = [f"- **{o.topic}**: {o.note}" for o in overlaps if o.note]
    return ["Where the definitions differ:", ""] + found + [""] if found else []


def checks_text(checks: tuple[str, ...]) -> str:
    """Many checks sharing a prefix as prefix{a, b, …}."""
    prefix = os.path.commonprefix(list(checks))
    prefix = prefix[:prefix.rfind("_") + 1] if len(checks) > 2 else ""
    if len(prefix) < 8:
        return ", ".join(checks)
    return prefix + "{" + ", ".join(c[len(prefix):] for c in checks) + "}"


def md(text: str) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= 220 else text[:217] + "…"


def server_errors(tool: str, found: tuple) -> str:
    actions, other = found
    if not actions and not other:
        return f"- The moto server answered every API call {tool} made."
    text = (f"- moto does not implement {len(actions)} API action(s) {tool} called, answered with an error "
            f"({', '.join(actions)})" if actions else f"- The moto server answered every API call {tool} made")
    if not other:
        return text + "."
    return text + "; other server errors: " + "; ".join(f"{n}× {md(what)}" for what, n in sorted(other.items())) + "."


def render(peers: dict, acct: dict | None, pl: dict | None, args, load: tuple) -> str:
    from bench.run import machine, versions
    from genmei.engine import __version__

    lines = [
        "# genmei side by side with Prowler and checkov",
        "",
        f"Measured by `make bench-peers` on {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}. "
        "Do not edit: run `make bench-peers` again. Wall and CPU (user + system of the process and its "
        "children) are medians with min–max over the runs.",
        "",
        f"- machine: {machine()}; load average {load[0]:.1f} at the start, {load[1]:.1f} at the end "
        "(other work on the machine lengthens wall times; CPU times are steadier)",
        f"- genmei {__version__}; {versions()}",
    ]
    head = lines
    lines = []
    for p in peers.values():
        if p.failed:
            head.append(f"- {p.name}: **FAILED** — {md(p.failed)}")
        else:
            extra = f", installed in {p.install_s:.0f} s by this run" if p.install_s else ""
            head.append(f"- {p.name} {p.version} (pinned {PINS[p.name]}, own venv bench/.peers/{p.name}, "
                        f"{p.venv_mb:,} MB{extra})")
    verdicts = []
    if acct:
        g = acct["genmei"]
        lines += ["", "## The moto reference account: `genmei scan aws` and `prowler aws`", "",
                  f"Same moto server, same seeded account ({acct['resources']} canonical resources), same dummy "
                  f"credentials and endpoint (AWS_ENDPOINT_URL), regions {', '.join(acct['regions'])}. genmei: "
                  f"`genmei scan aws` as `make demo` runs it (collect, evaluate, evidence; {acct['api_calls']} API "
                  f"calls). Prowler: `prowler aws --services {' '.join(SERVICES)} --region {' '.join(acct['regions'])} "
                  f"{' '.join(PROWLER_ARGS)}`. CPU is the tool's own process tree; the moto server's is not counted "
                  "on either side.", "",
                  "| tool | runs | wall s | CPU s |", "|---|---:|---:|---:|",
                  f"| genmei | {len(g)} | {spread([r.wall for r in g])} | {spread([r.cpu for r in g])} |"]
        if acct["prowler_failed"]:
            lines += ["| Prowler | — | **FAILED** | — |", "", f"Prowler failed: {md(acct['prowler_failed'])}"]
            verdicts.append(("account scan ≥ 10× faster than Prowler", "Prowler failed", "≥ 10×", None))
        else:
            pr = acct["prowler"]
            tg, tp = statistics.median(r.wall for r in g), statistics.median(r.wall for r in pr)
            cg, cp = statistics.median(r.cpu for r in g), statistics.median(r.cpu for r in pr)
            checks = sorted({r["check"] for r in acct["prowler_rows"]})
            lines += [f"| Prowler | {len(pr)} | {spread([r.wall for r in pr])} | {spread([r.cpu for r in pr])} |", "",
                      f"Prowler / genmei: **{tp / tg:.1f}×** wall, {cp / cg:.1f}× CPU. {len(acct['prowler_rows'])} Prowler findings "
                      f"from {len(checks)} checks; {len(acct['genmei_results'])} genmei results from "
                      f"{len({r['check'] for r in acct['genmei_results']})} checks."
                      + (f" Prowler ran {len(pr)} time(s), genmei {len(g)}: one Prowler run takes minutes."
                         if len(pr) < len(g) else ""), "",
                      server_errors("genmei", acct["genmei_server_errors"]),
                      server_errors("Prowler", acct["prowler_server_errors"]), "",
                      "### Overlapping checks", ""]
            table, misses = comparison(OVERLAP_PROWLER, JUDGED_PROWLER, acct["genmei_results"], acct["prowler_rows"],
                                       prowler_side, "Prowler")
            unknown_checks = sorted({c for o in OVERLAP_PROWLER for c in o.peer} - set(checks))
            lines += table + notes(OVERLAP_PROWLER)
            if unknown_checks:
                lines += [f"Mapped Prowler checks that produced no finding here: {', '.join(unknown_checks)}.", ""]
            missed = [m for m in misses if not m["verdict"].startswith(CLEARED)]
            verdicts.append(("account scan ≥ 10× faster than Prowler", f"{tp / tg:.1f}× wall ({cp / cg:.1f}× CPU)", "≥ 10×",
                             tp / tg >= TARGETS["account_ratio"]))
            verdicts.append(("overlapping checks: Prowler finds a true violation genmei misses",
                             f"{len(missed)} of {len(misses)} only-Prowler FAILs"
                             + (f" ({', '.join(sorted({m['topic'] for m in missed}))})" if missed else ""),
                             "none", not missed))
    if pl:
        lines += ["", "## Terraform plans: `genmei gate` and `checkov --framework terraform_plan`", "",
                  "| plan | resources | genmei wall s | genmei CPU s | checkov wall s | checkov CPU s | checkov / genmei (wall) |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for row in pl["plans"]:
            g, c = row["genmei"], row["checkov"]
            cells = (f"{spread([r.wall for r in c])} | {spread([r.cpu for r in c])} | "
                     f"{statistics.median(r.wall for r in c) / statistics.median(r.wall for r in g):.1f}×") \
                if c and "checkov_rows" in row else "**FAILED** | — | —"
            lines.append(f"| {row['label']} | {row['resources']:,} | {spread([r.wall for r in g])} | "
                         f"{spread([r.cpu for r in g])} | {cells} |")
        if pl["checkov_failed"]:
            lines += ["", f"checkov failed: {md(pl['checkov_failed'])}"]
        first = pl["plans"][0]
        tg = statistics.median(r.wall for r in first["genmei"])
        cg = statistics.median(r.cpu for r in first["genmei"])
        verdicts.append(("gate on the 1,000-resource plan (whole command)", f"{tg:.2f} s wall ({cg:.2f} s CPU)",
                         f"≤ {TARGETS['gate_1k_s']:.0f} s", tg <= TARGETS["gate_1k_s"]))
        if "checkov_rows" in first:
            tc = statistics.median(r.wall for r in first["checkov"])
            verdicts.append(("gate faster than checkov on that plan", f"{tg:.2f} s vs {tc:.2f} s", "faster", tg < tc))
            for row in pl["plans"]:
                if "checkov_rows" not in row:
                    continue
                table, misses = comparison(OVERLAP_CHECKOV, JUDGED_CHECKOV, row["genmei_results"], row["checkov_rows"],
                                           checkov_side, "checkov")
                missed = [m for m in misses if not m["verdict"].startswith(CLEARED)]
                lines += ["", f"### Overlapping checks: {row['label']}", "",
                          f"{len(misses)} only-checkov FAIL(s), {len(missed)} of them a violation genmei does not "
                          "report as FAIL" + (f" ({', '.join(sorted({m['topic'] for m in missed}))})" if missed else "")
                          + ".", ""] + table
            lines += notes(OVERLAP_CHECKOV)
        else:
            verdicts.append(("gate faster than checkov on that plan", "checkov failed", "faster", None))
    if verdicts:
        head += ["", "## Targets", "", "| what | measured | target | met |", "|---|---|---|:---:|"]
        head += [f"| {w} | {m} | {t} | {'—' if ok is None else 'yes' if ok else '**no**'} |" for w, m, t, ok in verdicts]
    return "\n".join(head + lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python bench/peers.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=3, help="runs of genmei and checkov per input (default: 3)")
    p.add_argument("--prowler-runs", type=int, default=2, help="runs of Prowler (default: 2; it is slow)")
    p.add_argument("--sections", default="account,plans", help="account, plans or both (default)")
    p.add_argument("--plans", default=",".join(REAL_PLANS), help="real plans under ../shared/corpora/tfplan (comma-separated)")
    p.add_argument("--python", default=shutil.which("python3") or "python3", help="interpreter for the peers' venvs")
    p.add_argument("--out", default=str(ROOT / "bench" / "peers.md"))
    args = p.parse_args(argv)
    sections = set(args.sections.split(","))

    def progress(message):
        print(f"bench-peers: {message}", file=sys.stderr, flush=True)

    load0 = os.getloadavg()[0]
    peers = {}
    if "account" in sections:
        peers["prowler"] = install("prowler", args.python, progress)
    if "plans" in sections:
        peers["checkov"] = install("checkov", args.python, progress)
    for peer in peers.values():
        if peer.failed:
            progress(f"{peer.name} FAILED: {peer.failed}")
    acct = account(peers["prowler"], args.runs, args.prowler_runs, progress) if "account" in sections else None
    pl = plans(peers["checkov"], [n for n in args.plans.split(",") if n], args.runs, progress) if "plans" in sections else None
    text = render(peers, acct, pl, args, (load0, os.getloadavg()[0]))
    from genmei.engine.jsonio import write_atomic
    write_atomic(args.out, text.encode("utf-8"))
    print(text)
    failed = any(p.failed for p in peers.values()) or (acct and acct["prowler_failed"]) or (pl and pl["checkov_failed"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
