"""The ops2 checks (GM-NET-005 a WAF in front of internet-facing load balancers, GM-LOG-003
WAF logs delivered to the audit log) through every collector path that reads their
resources other than the live AWS scan of the reference account (tests/test_aws_reference.py):
the AWS normalisers on partial reads and failed calls, the AWS Config import (which holds
no web ACL association: not evaluated, saying why) and a real Terraform plan. Azure and GCP
produce no lb.load_balancer or network.waf (README: what each cloud cannot hold). Each
fixture resource's status is asserted exactly."""

import json
import subprocess
import sys

import pytest

from conftest import AS_OF
from genmei.collectors.aws.model import AccountRaw
from genmei.collectors.aws.normalise import normalise as aws_normalise
from genmei.engine.cli import main

OPS2_CHECKS = ("GM-NET-005", "GM-LOG-003")
REGION = "ap-northeast-1"
LB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/{}/{}/0123456789abcdef"
ACL_ARN = "arn:aws:wafv2:ap-northeast-1:111122223333:regional/webacl/{}/0000-1111"


def _lb(name, kind="application", scheme="internet-facing"):
    return {"LoadBalancerArn": LB_ARN.format("app" if kind == "application" else "net", name), "LoadBalancerName": name,
            "Type": kind, "Scheme": scheme, "AvailabilityZones": [{"ZoneName": "ap-northeast-1a"}, {"ZoneName": "ap-northeast-1c"}]}


def _acl(name):
    return {"Name": name, "Id": "0000-1111", "ARN": ACL_ARN.format(name), "LockToken": "lock-token-never-kept"}


def _resources(region_raw: dict) -> list[dict]:
    acct = AccountRaw(account="111122223333", regions={REGION: region_raw})
    return aws_normalise(acct)


def _by_name(resources, ctype):
    return {r["name"]: r for r in resources if r["type"] == ctype}


def scan(snapshot: dict, tmp_path, capsys) -> dict:
    """{(check, resource id): status} of the ops2 checks on a snapshot."""
    path = tmp_path / "s.json"
    path.write_text(json.dumps(snapshot))
    code = main(["scan", "--snapshot", str(path), "--format", "json", "--fail-on", "none", "--as-of", AS_OF, "--no-store"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    found = {}
    for r in json.loads(captured.out)["results"]:
        if r["check"] in OPS2_CHECKS:
            assert (r["check"], r["resource"]) not in found, r
            found[(r["check"], r["resource"])] = (r["status"], r["reason"])
    return found


# --- AWS normalisers: every answer the two WAF calls can give ---------------------------

def test_aws_web_acl_of_each_load_balancer():
    lbs = [_lb("front"), _lb("bare"), _lb("inner", scheme="internal"), _lb("tcp", kind="network"),
           _lb("denied"), _lb("late")]
    answers = {lbs[0]["LoadBalancerArn"]: {"WebACL": {"ARN": ACL_ARN.format("web"), "Name": "web"}},
               lbs[1]["LoadBalancerArn"]: {}, lbs[2]["LoadBalancerArn"]: {},
               lbs[4]["LoadBalancerArn"]: {"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}},
               lbs[5]["LoadBalancerArn"]: None}
    got = _by_name(_resources({"elbv2:DescribeLoadBalancers": lbs, "wafv2:GetWebACLForResource": answers}), "lb.load_balancer")
    assert got["front"]["attrs"] == {"scheme": "internet-facing", "waf": True, "web_acl": ACL_ARN.format("web")}
    assert got["bare"]["attrs"] == {"scheme": "internet-facing", "waf": False}
    assert got["inner"]["attrs"] == {"scheme": "internal", "waf": False}
    assert got["tcp"]["attrs"]["not_collected"]["waf"].startswith("a Network Load Balancer cannot carry an AWS WAF web ACL")
    assert "AccessDeniedException" in got["denied"]["attrs"]["not_collected"]["waf"]
    assert "time limit" in got["late"]["attrs"]["not_collected"]["waf"]
    assert "waf" not in got["denied"]["attrs"] and "waf" not in got["late"]["attrs"]


def test_aws_web_acl_never_read_is_said():
    """Raw data without the association (the AWS Config import) leaves the WAF unknown, saying why."""
    got = _by_name(_resources({"elbv2:DescribeLoadBalancers": [_lb("front")]}), "lb.load_balancer")
    assert "an AWS Config item of a load balancer does not hold it" in got["front"]["attrs"]["not_collected"]["waf"]


def test_aws_web_acl_logging_answers():
    acls = [_acl("logged"), _acl("silent"), _acl("denied"), _acl("late"), _acl("empty")]
    logging = {ACL_ARN.format("logged"): {"LoggingConfiguration": {
                   "ResourceArn": ACL_ARN.format("logged"),
                   "LogDestinationConfigs": ["arn:aws:logs:ap-northeast-1:111122223333:log-group:aws-waf-logs-web"]}},
               ACL_ARN.format("silent"): {"Error": {"Code": "WAFNonexistentItemException", "Message": "no config"}},
               ACL_ARN.format("denied"): {"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}},
               ACL_ARN.format("late"): None,
               ACL_ARN.format("empty"): {"LoggingConfiguration": {"ResourceArn": ACL_ARN.format("empty"), "LogDestinationConfigs": []}}}
    got = _by_name(_resources({"wafv2:ListWebACLs": acls, "wafv2:GetLoggingConfiguration": logging}), "network.waf")
    assert got["logged"]["attrs"] == {"logging_enabled": True, "log_destinations": [
        "arn:aws:logs:ap-northeast-1:111122223333:log-group:aws-waf-logs-web"]}
    assert got["silent"]["attrs"] == {"logging_enabled": False, "log_destinations": []}
    assert got["empty"]["attrs"] == {"logging_enabled": False, "log_destinations": []}
    assert "AccessDeniedException" in got["denied"]["attrs"]["not_collected"]["logging_enabled"]
    assert "time limit" in got["late"]["attrs"]["not_collected"]["logging_enabled"]
    assert got["logged"]["id"] == ACL_ARN.format("logged") and got["logged"]["native_type"] == "AWS::WAFv2::WebACL"
    assert "LockToken" not in json.dumps(got["logged"])


def test_aws_statuses_through_the_engine(tmp_path, capsys):
    lbs = [_lb("front"), _lb("bare"), _lb("inner", scheme="internal"), _lb("tcp", kind="network"), _lb("denied")]
    answers = {lbs[0]["LoadBalancerArn"]: {"WebACL": {"ARN": ACL_ARN.format("web")}}, lbs[1]["LoadBalancerArn"]: {},
               lbs[2]["LoadBalancerArn"]: {}, lbs[4]["LoadBalancerArn"]: {"Error": {"Code": "AccessDeniedException", "Message": "no"}}}
    acls = [_acl("logged"), _acl("silent"), _acl("denied")]
    logging = {ACL_ARN.format("logged"): {"LoggingConfiguration": {"LogDestinationConfigs": ["arn:aws:s3:::aws-waf-logs-x"]}},
               ACL_ARN.format("silent"): {"Error": {"Code": "WAFNonexistentItemException", "Message": "none"}},
               ACL_ARN.format("denied"): {"Error": {"Code": "AccessDeniedException", "Message": "no"}}}
    resources = _resources({"elbv2:DescribeLoadBalancers": lbs, "wafv2:GetWebACLForResource": answers,
                            "wafv2:ListWebACLs": acls, "wafv2:GetLoggingConfiguration": logging})
    at = "2026-12-07T03:00:00Z"
    snapshot = {"genmei_snapshot": "1.0",
                "meta": {"provider": "aws", "account": "111122223333", "collector": {"name": "ops2 tests", "version": "1"},
                         "started_at": at, "finished_at": at, "gaps": []},
                "resources": [r for r in resources if r["type"] in ("lb.load_balancer", "network.waf")]}
    found = scan(snapshot, tmp_path, capsys)
    status = {k: v[0] for k, v in found.items()}
    lb, acl = (lambda n, k="app": LB_ARN.format(k, n)), ACL_ARN.format  # noqa: E731
    assert status == {
        ("GM-NET-005", lb("front")): "PASS", ("GM-NET-005", lb("bare")): "FAIL", ("GM-NET-005", lb("inner")): "PASS",
        ("GM-NET-005", lb("tcp", "net")): "NOT_EVALUATED", ("GM-NET-005", lb("denied")): "NOT_EVALUATED",
        ("GM-LOG-003", acl("logged")): "PASS", ("GM-LOG-003", acl("silent")): "FAIL", ("GM-LOG-003", acl("denied")): "NOT_EVALUATED",
    }
    assert "AccessDeniedException" in found[("GM-NET-005", lb("denied"))][1]
    assert "AccessDeniedException" in found[("GM-LOG-003", acl("denied"))][1]


# --- Terraform: a real plan of tests/fixtures/tf/ops2 -------------------------------------

def test_terraform_plan_statuses(tmp_path):
    """`genmei gate` on the plan Terraform writes for tests/fixtures/tf/ops2 (the provider from
    the local mirror, as for tests/test_parity.py)."""
    from test_parity import _missing, plan, terraform_env

    if _missing():
        pytest.skip(_missing())
    _, plan_json = plan("ops2", tmp_path, terraform_env(tmp_path))
    from genmei.collectors.terraform.plan import read_plan
    from genmei.collectors.terraform.snapshot import normalise

    doc, _ = normalise(read_plan(str(plan_json)))
    by_id = {r["id"]: r for r in doc["resources"]}
    proc = subprocess.run(
        [sys.executable, "-m", "genmei.engine.cli", "gate", str(plan_json), "--format", "json",
         "--fail-on", "none", "--as-of", AS_OF], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    found = {(r["check"], r["resource"]): r["status"] for r in json.loads(proc.stdout)["results"] if r["check"] in OPS2_CHECKS}
    assert found == {
        ("GM-NET-005", "aws_lb.front"): "PASS", ("GM-NET-005", "aws_lb.bare"): "FAIL",
        ("GM-NET-005", "aws_lb.inner"): "PASS", ("GM-NET-005", "aws_lb.tcp"): "NOT_EVALUATED",
        ("GM-LOG-003", "aws_wafv2_web_acl.logged"): "PASS", ("GM-LOG-003", "aws_wafv2_web_acl.silent"): "FAIL",
    }
    assert by_id["aws_lb.front"]["attrs"]["waf"] is True and by_id["aws_lb.bare"]["attrs"]["waf"] is False
    assert by_id["aws_wafv2_web_acl.silent"]["attrs"] == {"logging_enabled": False, "log_destinations": []}


def test_terraform_existing_load_balancer_and_web_acl_are_not_guessed(tmp_path):
    """A load balancer or web ACL the plan does not create may be associated or logging
    outside the plan: not collected, with the reason."""
    from genmei.collectors.terraform.plan import read_plan
    from genmei.collectors.terraform.snapshot import normalise

    def change(address, rtype, after):
        return {"address": address, "mode": "managed", "type": rtype, "name": address.split(".")[1],
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["no-op"], "before": after, "after": after, "after_unknown": {}}}
    doc = {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [
        change("aws_lb.old", "aws_lb", {"name": "old", "internal": False, "load_balancer_type": "application",
                                        "arn": "arn:aws:elasticloadbalancing:ap-northeast-1:1:loadbalancer/app/old/1"}),
        change("aws_wafv2_web_acl.old", "aws_wafv2_web_acl", {"name": "old", "scope": "REGIONAL",
                                                              "arn": ACL_ARN.format("old")}),
    ]}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    snap, _ = normalise(read_plan(str(path)))
    by_id = {r["id"]: r for r in snap["resources"]}
    assert by_id["aws_lb.old"]["attrs"]["not_collected"]["waf"].startswith("the load balancer exists already")
    assert by_id["aws_wafv2_web_acl.old"]["attrs"]["not_collected"]["logging_enabled"].startswith("the web ACL exists already")
