"""bench/peers.py compares findings and reports peers honestly. The peers themselves are
not installed here (`make bench-peers` does that, outside CI): these tests feed the
comparison results in the shapes genmei, Prowler's OCSF output and checkov's JSON have,
and check that a peer that cannot be installed or run is reported as failed, with no figure."""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import peers  # noqa: E402

ACCT = "arn:aws:ec2:ap-northeast-1:123456789012"
LB = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/abc"


def result(check, resource, status, rtype, name="", reason="why", region="ap-northeast-1", ref=None):
    return {"check": check, "resource": resource, "status": status, "resource_type": rtype, "resource_name": name,
            "reason": reason, "region": region, "source": {"kind": "plan", "ref": ref} if ref else None}


def ocsf(check, uid, status, name="", region="ap-northeast-1"):
    return {"metadata": {"event_code": check}, "status_code": status, "status_detail": f"{name} {status}",
            "resources": [{"uid": uid, "region": region, "name": name}]}


def overlap(topic):
    return next(o for o in peers.OVERLAP_PROWLER if o.topic == topic)


def buckets(o, genmei_results, findings, side=peers.prowler_side):
    c = peers.compare(peers.genmei_side(genmei_results, o), side(findings, o))
    return {k: sorted(peers.label(x) for x in v) for k, v in c.items()}


def test_security_groups_compared_per_arn_and_acls_kept_apart():
    sg = f"{ACCT}:security-group/sg-"
    genmei_results = [
        result("GM-ADMIN-001", sg + "1", "FAIL", "network.firewall", "open"),
        result("GM-ADMIN-001", sg + "2", "PASS", "network.firewall", "closed"),
        result("GM-ADMIN-001", sg + "3", "WAIVED", "network.firewall", "waived"),   # genmei found it
        result("GM-ADMIN-001", sg + "4", "NOT_EVALUATED", "network.firewall", "unknown"),
        result("GM-ADMIN-001", f"{ACCT}:network-acl/acl-1", "FAIL", "network.firewall", "acl"),
    ]
    p22 = "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22"
    p3389 = "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389"
    findings = peers.prowler_findings([
        ocsf(p22, sg + "1", "FAIL", "open"), ocsf(p3389, sg + "1", "PASS", "open"),
        ocsf(p22, sg + "2", "FAIL", "closed"),
        ocsf(p22, sg + "3", "FAIL", "waived"),
        ocsf(p22, sg + "4", "PASS", "unknown"),
        ocsf(p22, sg + "5", "PASS", "only-prowler"),
    ])
    got = buckets(overlap("admin ports open to the internet (security groups)"), genmei_results, findings)
    assert got == {"both_fail": ["open (ap-northeast-1)", "waived (ap-northeast-1)"], "both_pass": [],
                   "only_peer": ["closed (ap-northeast-1)"], "only_genmei": [],
                   "other": ["only-prowler (ap-northeast-1)", "unknown (ap-northeast-1)"]}


def test_listeners_roll_up_to_their_load_balancer():
    genmei_results = [result("GM-TLS-001", f"{LB.replace(':loadbalancer/', ':listener/')}/l1", "PASS", "lb.listener", "web:443"),
                      result("GM-TLS-001", f"{LB.replace(':loadbalancer/', ':listener/')}/l2", "FAIL", "lb.listener", "web:8080"),
                      result("GM-TLS-001", "arn:aws:rds:ap-northeast-1:123456789012:db:x", "FAIL", "db.instance", "x")]
    findings = peers.prowler_findings([ocsf("elbv2_ssl_listeners", LB, "FAIL", "web"),
                                       ocsf("elbv2_insecure_ssl_ciphers", LB, "PASS", "web")])
    got = buckets(overlap("TLS on load-balancer listeners"), genmei_results, findings)
    assert got["both_fail"] == ["web (ap-northeast-1)"] and sum(map(len, got.values())) == 1


def test_an_only_peer_failure_counts_against_genmei_until_judged():
    o = overlap("world-open rules (security groups)")
    sg = f"{ACCT.replace('ap-northeast-1', 'ap-northeast-3')}:security-group/sg-9"
    genmei_results = [result("GM-NET-001", sg, "PASS", "network.firewall", "dr-app", region="ap-northeast-3")]
    findings = peers.prowler_findings([ocsf("ec2_securitygroup_allow_ingress_from_internet_to_any_port", sg, "FAIL",
                                            "dr-app", region="ap-northeast-3")])
    (case,) = peers.compare(peers.genmei_side(genmei_results, o), peers.prowler_side(findings, o))["only_peer"]
    assert peers.verdict(peers.JUDGED_PROWLER, o, case).startswith(peers.CLEARED)   # investigated: port 443
    assert peers.verdict((), o, case) == "not investigated"
    _, misses = peers.comparison([o], (), genmei_results, findings, peers.prowler_side, "Prowler")
    assert misses == [{"topic": o.topic, "name": "dr-app (ap-northeast-3)", "verdict": "not investigated"}]


def test_checkov_results_keyed_by_plan_address():
    o = next(o for o in peers.OVERLAP_CHECKOV if o.topic == "unencrypted volumes")
    genmei_results = [result("GM-ENC-001", "aws_instance.web.root_block_device", "FAIL", "compute.disk", ref="aws_instance.web"),
                      result("GM-ENC-001", "aws_ebs_volume.v", "PASS", "compute.disk", ref="aws_ebs_volume.v")]
    report = {"check_type": "terraform_plan", "results": {
        "passed_checks": [{"check_id": "CKV_AWS_3", "resource": "aws_ebs_volume.v", "check_name": "EBS encrypted"}],
        "failed_checks": [{"check_id": "CKV_AWS_8", "resource": "aws_instance.web", "resource_address": "aws_instance.web",
                           "check_name": "instance EBS encrypted"},
                          {"check_id": "CKV_AWS_16", "resource": "aws_db_instance.d", "check_name": "RDS encrypted"}]}}
    got = buckets(o, genmei_results, peers.checkov_findings(report), peers.checkov_side)
    assert got["both_fail"] == ["aws_instance.web"] and got["both_pass"] == ["aws_ebs_volume.v"]
    assert sum(map(len, got.values())) == 2   # CKV_AWS_16 belongs to another overlap


def test_a_peer_that_cannot_be_installed_is_reported_failed_without_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(peers, "PEERS_DIR", tmp_path)
    prowler = peers.install("prowler", str(tmp_path / "no-such-python"), lambda message: None)
    checkov = peers.install("checkov", str(tmp_path / "no-such-python"), lambda message: None)
    assert prowler.failed and prowler.exe is None and checkov.failed
    genmei_run = peers.Run(wall=5.0, cpu=3.0, code=0, stdout="", stderr="")
    acct = {"genmei": [genmei_run], "prowler": [], "prowler_failed": prowler.failed, "regions": ("ap-northeast-1",),
            "genmei_results": [], "resources": 1, "api_calls": 1}
    plan = {"plans": [{"label": "p", "resources": 1, "genmei": [genmei_run], "checkov": [], "genmei_results": []}],
            "checkov_failed": checkov.failed}
    text = peers.render({"prowler": prowler, "checkov": checkov}, acct, plan, argparse.Namespace(runs=1), (0.0, 0.0))
    assert "- prowler: **FAILED**" in text and "- checkov: **FAILED**" in text
    assert "| Prowler | — | **FAILED** | — |" in text and "| p | 1 | 5.00 | 3.00 | **FAILED** | — | — |" in text
    assert "| account scan ≥ 10× faster than Prowler | Prowler failed | ≥ 10× | — |" in text
    assert "| gate faster than checkov on that plan | checkov failed | faster | — |" in text
    assert "Prowler / genmei" not in text and "Overlapping checks" not in text
