"""Live and planned parity with real Terraform: the same resources get the same verdict
from `genmei gate` on their plan and from `genmei scan aws` once applied.

tests/fixtures/tf/parity is planned by `terraform plan` / `terraform show -json` (the
hashicorp/aws provider from a local filesystem mirror, never the network) and applied
with `terraform apply` to a moto server on loopback; tests/fixtures/tf/parity_rds is
planned too, and its RDS instances are created in moto through the RDS API with the
planned settings (moto's RDS cannot serve the provider's read-back). Resources are
matched across the two paths by their Name tag. Each (check, resource) pair is also held
to the status it must have, so the paths cannot agree by being wrong together.

Without terraform or the provider mirror the tests skip with the reason (CI machines
carry both: terraform 1.11 and hashicorp/aws 5.100.0 under /opt/tf-plugins).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT
from genmei.collectors.aws.reference_account import moto_server, scan_environment
from genmei.collectors.terraform.plan import read_plan
from genmei.collectors.terraform.snapshot import normalise

FIXTURES = ROOT / "tests" / "fixtures" / "tf"
MIRROR = Path(os.environ.get("GENMEI_TF_PLUGIN_MIRROR", "/opt/tf-plugins"))
TERRAFORM = shutil.which("terraform")
PROVIDER = "registry.terraform.io/hashicorp/aws"
REGION = "ap-northeast-1"

P, F, N = "PASS", "FAIL", "NOT_EVALUATED"
# (check, Name tag) → the status both paths must give.
EXPECTED = {
    ("GM-ADMIN-001", "parity-sg-ssh-world"): F, ("GM-NET-001", "parity-sg-ssh-world"): F,
    ("GM-ADMIN-001", "parity-sg-https"): P, ("GM-NET-001", "parity-sg-https"): P,
    # ESP (IP protocol 50) has no ports: it exposes no administrative or other port
    ("GM-ADMIN-001", "parity-sg-esp"): P, ("GM-NET-001", "parity-sg-esp"): P,
    ("GM-ADMIN-001", "parity-sg-all-traffic"): F, ("GM-NET-001", "parity-sg-all-traffic"): F,
    ("GM-ADMIN-001", "parity-sg-icmp"): P, ("GM-NET-001", "parity-sg-icmp"): P,
    ("GM-ADMIN-001", "parity-sg-rdp-ipv6"): F, ("GM-NET-001", "parity-sg-rdp-ipv6"): F,
    ("GM-ADMIN-001", "parity-sg-separate"): P, ("GM-NET-001", "parity-sg-separate"): F,
    ("GM-ENC-001", "parity-volume-encrypted"): P, ("GM-ENC-001", "parity-volume-plain"): F,
    ("GM-KMS-001", "parity-key-rotating"): P, ("GM-KMS-001", "parity-key-static"): F,
    # AWS cannot rotate asymmetric keys: not judged, on either path
    ("GM-KMS-001", "parity-key-signing"): N, ("GM-KMS-001", "parity-key-rsa"): N,
    ("GM-LOG-001", "parity-vpc-logged"): P, ("GM-LOG-001", "parity-vpc-unlogged"): F,
    # S3 encrypts every bucket (SSE-S3): PASS with no configuration written, on both paths
    ("GM-STO-001", "parity-bucket-plain"): P, ("GM-STO-001", "parity-bucket-guarded"): P,
    ("GM-STO-001", "parity-bucket-public"): P, ("GM-STO-001", "parity-bucket-flow-logs"): P,
    ("GM-STO-002", "parity-bucket-plain"): P, ("GM-STO-002", "parity-bucket-guarded"): P,
    ("GM-STO-002", "parity-bucket-public"): F,
    ("GM-TLS-001", "parity-bucket-plain"): F, ("GM-TLS-001", "parity-bucket-guarded"): P,
    ("GM-ENC-002", "parity-db-postgres"): P, ("GM-DB-001", "parity-db-postgres"): P,
    ("GM-BAK-001", "parity-db-postgres"): P, ("GM-TLS-001", "parity-db-postgres"): P,
    ("GM-AVL-001", "parity-db-postgres"): F,
    # storage_encrypted not written: RDS creates it unencrypted
    ("GM-ENC-002", "parity-db-mysql"): F, ("GM-DB-001", "parity-db-mysql"): F,
    ("GM-BAK-001", "parity-db-mysql"): F, ("GM-AVL-001", "parity-db-mysql"): P,
    # rds.force_ssl is PostgreSQL's: on MySQL the group does not set TLS, on either path
    ("GM-TLS-001", "parity-db-mysql"): N,
    # resilience: automatic failover follows Multi-AZ; previous versions expire or are kept;
    # every bucket here stays in one region
    ("GM-RES-001", "parity-db-postgres"): F, ("GM-RES-001", "parity-db-mysql"): P,
    ("GM-DEL-001", "parity-bucket-versions-expire"): P, ("GM-DEL-001", "parity-bucket-versions-kept"): F,
    ("GM-DEL-001", "parity-bucket-plain"): P,
    ("GM-DR-001", "parity-bucket-versions-expire"): F,  # declared in DR scope, copied nowhere
    ("GM-DR-001", "parity-bucket-plain"): N,  # neither declared nor copied
}
# Facts a plan cannot hold, so the gate says NOT_EVALUATED while the account is judged on
# them: a volume's snapshots are taken after it exists (GM-BAK-002, GM-BAK-003). Not a
# disagreement of the canonical layer; each is pinned on both paths below.
PLAN_BLIND = {
    ("GM-BAK-002", "parity-volume-encrypted"): (N, F), ("GM-BAK-002", "parity-volume-plain"): (N, F),
    ("GM-BAK-003", "parity-volume-encrypted"): (N, F), ("GM-BAK-003", "parity-volume-plain"): (N, F),
}


def _missing() -> str | None:
    if TERRAFORM is None:
        return "terraform is not on PATH"
    if not (MIRROR / PROVIDER).is_dir():
        return f"no provider mirror of {PROVIDER} under {MIRROR} (set GENMEI_TF_PLUGIN_MIRROR)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


def terraform_env(tmp: Path) -> dict:
    """Terraform reads the provider from the mirror only and never goes to the network."""
    config = tmp / "terraform.rc"
    config.write_text('provider_installation {\n  filesystem_mirror {\n    path = "%s"\n    include = ["%s"]\n  }\n'
                      '  direct {\n    exclude = ["%s"]\n  }\n}\n' % (MIRROR, PROVIDER, PROVIDER))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "AWS_"))}
    env.update({"TF_CLI_CONFIG_FILE": str(config), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
                "TF_INPUT": "0", "AWS_EC2_METADATA_DISABLED": "true"})
    return env


def tf(args: list[str], cwd: Path, env: dict) -> str:
    proc = subprocess.run([TERRAFORM, *args, "-no-color"], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"terraform {' '.join(args)}: {proc.stderr[-3000:]}"
    return proc.stdout


def plan(name: str, tmp: Path, env: dict, *variables: str) -> tuple[Path, Path]:
    """(configuration dir, plan JSON) of a fixture, planned by Terraform."""
    work = tmp / name
    shutil.copytree(FIXTURES / name, work)
    tf(["init", "-input=false"], work, env)
    tf(["plan", "-input=false", "-refresh=false", "-out=tfplan", *variables], work, env)
    out = work / "plan.json"
    out.write_text(tf(["show", "-json", "tfplan"], work, env))
    return work, out


def create_rds_as_planned(plan_json: Path, endpoint: str) -> None:
    """The plan's parameter groups and DB instances, created through the RDS API with the
    planned values."""
    import boto3

    rds = boto3.client("rds", region_name=REGION, endpoint_url=endpoint, aws_access_key_id="testing",
                       aws_secret_access_key="testing")
    changes = {rc["address"]: rc["change"]["after"] for rc in json.loads(plan_json.read_text())["resource_changes"]}
    for address, after in changes.items():
        if address.startswith("aws_db_parameter_group."):
            rds.create_db_parameter_group(DBParameterGroupName=after["name"], DBParameterGroupFamily=after["family"],
                                          Description="parity")
            rds.modify_db_parameter_group(DBParameterGroupName=after["name"], Parameters=[
                {"ParameterName": p["name"], "ParameterValue": p["value"], "ApplyMethod": "pending-reboot"}
                for p in after["parameter"]])
    for address, after in changes.items():
        if address.startswith("aws_db_instance."):
            optional = {"AvailabilityZone": after.get("availability_zone"), "StorageEncrypted": after.get("storage_encrypted")}
            rds.create_db_instance(
                DBInstanceIdentifier=after["identifier"], Engine=after["engine"], EngineVersion=after["engine_version"],
                DBInstanceClass=after["instance_class"], AllocatedStorage=after["allocated_storage"],
                MasterUsername=after["username"], ManageMasterUserPassword=True, MultiAZ=after["multi_az"],
                BackupRetentionPeriod=after["backup_retention_period"], PubliclyAccessible=after["publicly_accessible"],
                DBParameterGroupName=after["parameter_group_name"],
                Tags=[{"Key": k, "Value": v} for k, v in (after.get("tags") or {}).items()],
                **{k: v for k, v in optional.items() if v is not None})


def gate_statuses(plan_json: Path) -> dict:
    """(check, Name tag) → status from `genmei gate` (the CLI, as CI runs it)."""
    proc = subprocess.run([sys.executable, "-m", "genmei.engine.cli", "gate", str(plan_json), "--format", "json",
                           "--fail-on", "none", "--as-of", AS_OF], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    doc, _ = normalise(read_plan(str(plan_json)))
    names = {r["id"]: r.get("tags", {}).get("Name") for r in doc["resources"]}
    return {(r["check"], names.get(r["resource"])): r["status"] for r in json.loads(proc.stdout)["results"]
            if names.get(r["resource"])}


def scan_statuses(endpoint: str, out: Path) -> dict:
    """(check, Name tag) → status from `genmei scan aws` of the moto account."""
    env = {**scan_environment(endpoint), "XDG_DATA_HOME": str(out.parent / "xdg")}
    proc = subprocess.run([sys.executable, "-m", "genmei.engine.cli", "scan", "aws", "--regions", REGION, "--out", str(out),
                           "--fail-on", "none", "--as-of", AS_OF], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    names = {r["id"]: r.get("tags", {}).get("Name") for r in json.loads((out / "snapshot.json").read_text())["resources"]}
    results = json.loads((out / "evidence.json").read_text())["results"]
    return {(r["check"], names.get(r["resource"])): r["status"] for r in results if names.get(r["resource"])}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parity")
    env = terraform_env(tmp)
    with moto_server() as endpoint:
        work, main_plan = plan("parity", tmp, env, f"-var=endpoint={endpoint}")
        tf(["apply", "-input=false", "tfplan"], work, env)
        _, rds_plan = plan("parity_rds", tmp, env)
        create_rds_as_planned(rds_plan, endpoint)
        live = scan_statuses(endpoint, tmp / "scan")
    planned = {**gate_statuses(main_plan), **gate_statuses(rds_plan)}
    return planned, live


def test_the_plan_is_terraforms(both, tmp_path_factory):
    """The plans come from Terraform itself (not written by hand)."""
    planned, _ = both
    assert planned and any(name == "parity-sg-esp" for _, name in planned)


def test_every_pair_judged_on_both_paths_agrees(both):
    planned, live = both
    common = set(planned) & set(live) - set(PLAN_BLIND)
    disagreements = {k: (planned[k], live[k]) for k in sorted(common) if planned[k] != live[k]}
    assert not disagreements, disagreements
    assert len(common) >= 15, len(common)


def test_each_pair_has_the_status_it_must_have_on_both_paths(both):
    planned, live = both
    wrong = {k: (planned.get(k, "missing"), live.get(k, "missing"), want) for k, want in EXPECTED.items()
             if planned.get(k) != want or live.get(k) != want}
    assert not wrong, wrong


def test_what_a_plan_cannot_hold_is_not_evaluated_in_the_plan_and_judged_live(both):
    planned, live = both
    assert {k: (planned.get(k), live.get(k)) for k in PLAN_BLIND} == PLAN_BLIND


def test_what_only_one_path_sees_is_accounted_for(both):
    """Every pair the plan judges is judged live too (the live scan also sees what AWS
    creates by itself: default security groups and network ACLs, which carry no Name)."""
    planned, live = both
    assert set(planned) <= set(live), sorted(set(planned) - set(live))
