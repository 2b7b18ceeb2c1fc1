"""Small snapshots, attestations files and scans for the judgement and report tests: real
files through the real CLI, built in a few lines per case."""

import hashlib
import json
from pathlib import Path

import yaml

from conftest import AS_OF
from genmei.engine.catalog import load_catalog
from reporting import cli

CATALOG = load_catalog()
BASIC = [r["id"] for r in CATALOG.basic_statement_risks]


def snapshot(tmp_path: Path, resources: list[dict], name="snapshot.json", gaps=()) -> Path:
    doc = {"genmei_snapshot": "1.0",
           "meta": {"provider": "aws", "account": "123456789012", "regions": ["ap-northeast-1"],
                    "collector": {"name": "test", "version": "1"}, "started_at": "2026-11-20T01:00:00Z",
                    "finished_at": "2026-11-20T01:00:01Z", "gaps": list(gaps)},
           "resources": resources}
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False))
    return path


def resource(rid, rtype, native, name=None, **attrs):
    return {"id": rid, "type": rtype, "provider": "aws", "native_type": native, "account": "123456789012",
            "region": "ap-northeast-1", "name": name or rid.rsplit("/", 1)[-1], "tags": {}, "attrs": attrs,
            "source": {"kind": "example"}}


def volume(encrypted, name="data"):
    return resource(f"arn:aws:ec2:ap-northeast-1:123456789012:volume/vol-{name}", "compute.disk", "AWS::EC2::Volume",
                    name=name, encrypted=encrypted)


def bucket(public, name="assets"):
    return resource(f"arn:aws:s3:::{name}", "storage.bucket", "AWS::S3::Bucket", name=name, public=public,
                    public_via=["policy"] if public else [], default_encryption=True,
                    tls={"enforced": True, "min_version": "1.2"},
                    # replicated to another region, unversioned: GM-DR-001 and GM-DEL-001 pass
                    cross_region_copy=True, copy_regions=["ap-northeast-3"], versioning=False)


def user(mfa, name="bob"):
    return resource(f"arn:aws:iam::123456789012:user/{name}", "iam.user", "AWS::IAM::User", name=name,
                    console_access=True, mfa_enabled=mfa)


def firewall(name, port, sources=("0.0.0.0/0",)):
    return resource(f"arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-{name}", "network.firewall",
                    "AWS::EC2::SecurityGroup", name=name,
                    rules=[{"direction": "ingress", "action": "allow", "protocol": "tcp",
                            "port_ranges": [{"from": port, "to": port}], "sources": list(sources)}])


def scan(tmp_path: Path, snap: Path, *extra, out="out") -> tuple[int, str, str, dict]:
    d = tmp_path / out
    code, stdout, stderr = cli("scan", "--snapshot", snap, "--as-of", AS_OF, "--fail-on", "none", "--no-store",
                               "--out", d, *extra)
    ev = json.loads((d / "evidence.json").read_text()) if (d / "evidence.json").exists() else {}
    return code, stdout, stderr, ev


def write_attestations(tmp_path: Path, records: list[dict], name="attestations.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"attestations": records}, allow_unicode=True, sort_keys=False))
    return path


def attestation(item=None, part=None, kind="manual", on="2026-10-01", expires="2027-09-30", **more):
    rec = {"item": item} if item else {"part": part}
    rec.update(kind=kind, statement="手順を運用している", attested_by="情報セキュリティ委員会", attested_on=on,
               evidence_ref="ISMS-PRC-001", expires=expires)
    if kind == "inherited":
        rec["report"] = {"name": "AWS SOC 2 Type II", "period": {"from": "2025-10-01", "to": "2026-03-31"}}
    rec.update(more)
    return rec


def resum(directory: Path) -> None:
    """Recompute SHA256SUMS, as someone editing the evidence would."""
    names = [line.split("  ", 1)[1] for line in (directory / "SHA256SUMS").read_text().splitlines()]
    (directory / "SHA256SUMS").write_text("".join(
        f"{hashlib.sha256((directory / n).read_bytes()).hexdigest()}  {n}\n" for n in sorted(names)))


def all_o_attestations(tmp_path: Path, parts=("governance", "management", "basic_controls"), omit=(), extra=()) -> Path:
    """An attestation of the right kind for every H01–M11 item but `omit`, for the given
    parts, and the `extra` records."""
    records = []
    for item_id in dict.fromkeys(i for r in BASIC for i in CATALOG.risk_items(r)):
        item = CATALOG.items[item_id]
        if item["evidence"] == "automated" or item_id in omit:
            continue
        review = {"reviewed_by": "内部監査室"} if item.get("attestation_review") else {}
        records.append(attestation(item_id, kind="inherited" if item["evidence"] == "inherited" else "manual", **review))
    records += [attestation(part=p, reviewed_by="内部監査室") for p in parts]
    return write_attestations(tmp_path, records + list(extra))
