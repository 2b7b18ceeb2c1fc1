"""The ops2 checks (GM-NET-005 a WAF in front of internet-facing load balancers, GM-LOG-003
WAF logs delivered to the audit log, GM-CAP-002 alarms on service-quota usage) through
every collector path that reads their resources other than the live AWS scan of the
reference account (tests/test_aws_reference.py): the AWS normalisers on partial reads and
failed calls, the AWS Config import (which holds no web ACL association: not evaluated,
saying why), a real Terraform plan, Azure (Application Gateways and their WAF policies,
live and imported; quota alerts not read: not evaluated, saying why) and GCP (Cloud Asset
Inventory alert policies, imported and live). GCP produces no lb.load_balancer and no
cloud but AWS a network.waf (README: what each cloud cannot hold). Each fixture
resource's status is asserted exactly."""

import json

import pytest

from conftest import AS_OF, ROOT
from gate_helpers import gate_json, statuses
from genmei.collectors.aws.model import AccountRaw
from genmei.collectors.aws.normalise import normalise as aws_normalise
from genmei.engine.cli import main

OPS2_CHECKS = ("GM-NET-005", "GM-LOG-003", "GM-CAP-002")
FIXTURES = ROOT / "tests" / "fixtures" / "ops2"
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
    assert got["front"]["attrs"] == {"scheme": "internet-facing", "kind": "application", "waf": True, "web_acl": ACL_ARN.format("web")}
    assert got["bare"]["attrs"] == {"scheme": "internet-facing", "kind": "application", "waf": False}
    assert got["inner"]["attrs"] == {"scheme": "internal", "kind": "application", "waf": False}
    assert got["tcp"]["attrs"]["kind"] == "network"
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
    # the load balancers' answers name the ACLs associated with them; a refused answer names none
    named = {LB_ARN.format("app", "a"): {"WebACL": {"ARN": ACL_ARN.format("logged")}},
             LB_ARN.format("app", "b"): {"WebACL": {"ARN": ACL_ARN.format("silent")}},
             LB_ARN.format("app", "c"): {"WebACL": {"ARN": ACL_ARN.format("denied")}},
             LB_ARN.format("app", "d"): {}, LB_ARN.format("app", "e"): {"Error": {"Code": "AccessDeniedException"}}}
    got = _by_name(_resources({"wafv2:ListWebACLs": acls, "wafv2:GetLoggingConfiguration": logging,
                               "wafv2:GetWebACLForResource": named}), "network.waf")
    assert got["logged"]["attrs"] == {"associated": True, "logging_enabled": True, "log_destinations": [
        "arn:aws:logs:ap-northeast-1:111122223333:log-group:aws-waf-logs-web"]}
    assert got["silent"]["attrs"] == {"associated": True, "logging_enabled": False, "log_destinations": []}
    assert got["empty"]["attrs"] == {"logging_enabled": False, "log_destinations": [], "not_collected": {
        "associated": "no load balancer read is associated with it; associations with other kinds of resources "
                      "(API Gateway, AppSync, Cognito, App Runner, Verified Access) are not read"}}
    assert got["denied"]["attrs"]["associated"] is True
    assert set(got["late"]["attrs"]["not_collected"]) == {"associated", "logging_enabled"}
    assert "AccessDeniedException" in got["denied"]["attrs"]["not_collected"]["logging_enabled"]
    assert "time limit" in got["late"]["attrs"]["not_collected"]["logging_enabled"]
    assert got["logged"]["id"] == ACL_ARN.format("logged") and got["logged"]["native_type"] == "AWS::WAFv2::WebACL"
    assert "LockToken" not in json.dumps(got["logged"])


def _snapshot(resources: list[dict], provider: str = "aws") -> dict:
    at = "2026-12-07T03:00:00Z"
    return {"genmei_snapshot": "1.0",
            "meta": {"provider": provider, "account": "ops2-test", "collector": {"name": "ops2 tests", "version": "1"},
                     "started_at": at, "finished_at": at, "gaps": []},
            "resources": resources}


def test_aws_statuses_through_the_engine(tmp_path, capsys):
    lbs = [_lb("front"), _lb("bare"), _lb("inner", scheme="internal"), _lb("tcp", kind="network"), _lb("denied"), _lb("edge")]
    answers = {lbs[0]["LoadBalancerArn"]: {"WebACL": {"ARN": ACL_ARN.format("logged")}}, lbs[1]["LoadBalancerArn"]: {},
               lbs[2]["LoadBalancerArn"]: {"WebACL": {"ARN": ACL_ARN.format("silent")}},
               lbs[4]["LoadBalancerArn"]: {"Error": {"Code": "AccessDeniedException", "Message": "no"}},
               lbs[5]["LoadBalancerArn"]: {"WebACL": {"ARN": ACL_ARN.format("denied")}}}
    acls = [_acl("logged"), _acl("silent"), _acl("denied"), _acl("spare")]
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
        ("GM-NET-005", lb("edge")): "PASS",
        ("GM-LOG-003", acl("logged")): "PASS", ("GM-LOG-003", acl("silent")): "FAIL", ("GM-LOG-003", acl("denied")): "NOT_EVALUATED",
        ("GM-LOG-003", acl("spare")): "NOT_EVALUATED",   # no load balancer read names it
    }
    assert found[("GM-LOG-003", acl("spare"))][1].startswith("attrs.associated was not collected: no load balancer read")
    assert "AccessDeniedException" in found[("GM-NET-005", lb("denied"))][1]
    assert found[("GM-NET-005", lb("tcp", "net"))][1] == "a Network Load Balancer cannot carry a web ACL (AWS Network Firewall is not read)"
    assert "AccessDeniedException" in found[("GM-LOG-003", acl("denied"))][1]


# --- AWS reads through boto3 with botocore's Stubber: paging and refusals -----------------

def _reader():
    from collections import Counter

    import boto3

    from genmei.collectors.aws import calls, session

    clients = session.Clients(boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION),
                              "111122223333", Counter())
    gaps = calls.Gaps()
    return clients, gaps, calls.Reader(clients, REGION, f"111122223333/{REGION}", gaps)


def test_aws_web_acls_are_read_over_every_page_and_a_refused_logging_read_is_that_acl_only():
    from botocore.stub import Stubber

    from genmei.collectors.aws.read import wafv2

    clients, gaps, r = _reader()
    summary = lambda n: {"Name": n, "Id": "0000-1111", "ARN": ACL_ARN.format(n), "LockToken": "t"}  # noqa: E731
    with Stubber(clients.client("wafv2", REGION)) as st:
        st.add_response("list_web_acls", {"WebACLs": [summary("a")], "NextMarker": "m1"}, {"Scope": "REGIONAL", "Limit": 100})
        st.add_response("list_web_acls", {"WebACLs": [summary("b")]}, {"Scope": "REGIONAL", "Limit": 100, "NextMarker": "m1"})
        st.add_response("get_logging_configuration", {"LoggingConfiguration": {
            "ResourceArn": ACL_ARN.format("a"), "LogDestinationConfigs": ["arn:aws:s3:::aws-waf-logs-a"]}}, {"ResourceArn": ACL_ARN.format("a")})
        st.add_client_error("get_logging_configuration", "AccessDeniedException", "not allowed", 400,
                            expected_params={"ResourceArn": ACL_ARN.format("b")})
        raw = wafv2.read(r)
        st.assert_no_pending_responses()
    assert [a["Name"] for a in raw["wafv2:ListWebACLs"]] == ["a", "b"] and gaps.as_list() == []
    got = _by_name(_resources(raw), "network.waf")
    assert got["a"]["attrs"] == {"logging_enabled": True, "log_destinations": ["arn:aws:s3:::aws-waf-logs-a"], "not_collected": {
        "associated": "the load balancers' web ACLs were not read (wafv2:GetWebACLForResource)"}}   # no load balancer in raw
    assert "AccessDeniedException" in got["b"]["attrs"]["not_collected"]["logging_enabled"]


def test_aws_web_acl_list_refused_is_a_gap_over_network_waf_only():
    from botocore.stub import Stubber

    from genmei.collectors.aws.read import wafv2

    clients, gaps, r = _reader()
    with Stubber(clients.client("wafv2", REGION)) as st:
        st.add_client_error("list_web_acls", "AccessDeniedException", "not allowed", 400)
        assert wafv2.read(r) == {}
    [gap] = gaps.as_list()
    assert gap["api"] == "wafv2:ListWebACLs" and gap["resource_types"] == ["network.waf"]


def test_aws_load_balancer_reads_ask_waf_for_application_load_balancers_only():
    from botocore.stub import Stubber

    from genmei.collectors.aws.read import elbv2

    clients, gaps, r = _reader()
    alb, nlb = _lb("front"), _lb("tcp", kind="network")
    with Stubber(clients.client("elbv2", REGION)) as elb, Stubber(clients.client("wafv2", REGION)) as waf:
        elb.add_response("describe_load_balancers", {"LoadBalancers": [alb, nlb]}, {})
        for lb in (alb, nlb):
            elb.add_response("describe_listeners", {"Listeners": []}, {"LoadBalancerArn": lb["LoadBalancerArn"]})
        elb.add_response("describe_tags", {"TagDescriptions": []}, {"ResourceArns": [alb["LoadBalancerArn"], nlb["LoadBalancerArn"]]})
        waf.add_client_error("get_web_acl_for_resource", "WAFUnavailableEntityException", "try later", 400,
                             expected_params={"ResourceArn": alb["LoadBalancerArn"]})
        raw = elbv2.read(r)
        elb.assert_no_pending_responses()
        waf.assert_no_pending_responses()
    assert list(raw["wafv2:GetWebACLForResource"]) == [alb["LoadBalancerArn"]] and gaps.as_list() == []
    got = _by_name(_resources(raw), "lb.load_balancer")
    assert "WAFUnavailableEntityException" in got["front"]["attrs"]["not_collected"]["waf"]
    assert got["front"]["zones"] == ["ap-northeast-1a", "ap-northeast-1c"]  # the rest of the load balancer is intact


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

    by_id = {r["id"]: r for r in normalise(read_plan(str(plan_json)))[0]["resources"]}
    _, evidence = gate_json(plan_json, "--fail-on", "none")
    found = {k: r["status"] for k, r in statuses(evidence).items() if k[0] in OPS2_CHECKS}
    assert found == {
        ("GM-NET-005", "aws_lb.front"): "PASS", ("GM-NET-005", "aws_lb.bare"): "FAIL",
        ("GM-NET-005", "aws_lb.inner"): "PASS", ("GM-NET-005", "aws_lb.tcp"): "NOT_EVALUATED",
        ("GM-LOG-003", "aws_wafv2_web_acl.logged"): "PASS", ("GM-LOG-003", "aws_wafv2_web_acl.silent"): "FAIL",
        ("GM-LOG-003", "aws_wafv2_web_acl.spare"): "NOT_EVALUATED",   # associated with nothing
    }
    assert by_id["aws_lb.front"]["attrs"]["waf"] is True and by_id["aws_lb.bare"]["attrs"]["waf"] is False
    assert by_id["aws_lb.front"]["attrs"]["kind"] == "application" and by_id["aws_lb.tcp"]["attrs"]["kind"] == "network"
    assert by_id["aws_wafv2_web_acl.silent"]["attrs"] == {"associated": True, "logging_enabled": False, "log_destinations": []}
    assert by_id["aws_wafv2_web_acl.spare"]["attrs"]["associated"] is False


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
    assert by_id["aws_wafv2_web_acl.old"]["attrs"]["not_collected"]["associated"].startswith("the web ACL exists already")


# --- GM-CAP-002: alarms on service-quota usage ------------------------------------------

def _alarm(name, *, namespace=None, expression=None, enabled=True, actions=("arn:aws:sns:ap-northeast-1:111122223333:oncall",)):
    alarm = {"AlarmName": name, "AlarmArn": f"arn:aws:cloudwatch:ap-northeast-1:111122223333:alarm:{name}",
             "ActionsEnabled": enabled, "AlarmActions": list(actions)}
    if expression:
        alarm["Metrics"] = [{"Id": "m1", "MetricStat": {"Metric": {"Namespace": "AWS/EC2", "MetricName": "X"}}},
                            {"Id": "e1", "Expression": expression}]
    else:
        alarm.update({"Namespace": namespace, "MetricName": "ResourceCount"})
    return alarm


def test_aws_quota_alarms_of_a_region():
    """An alarm on AWS/Usage or over SERVICE_QUOTA() that is enabled and notifies counts;
    a disabled, silent or scaling-only one, or one on another metric, does not."""
    alarms = [_alarm("usage", namespace="AWS/Usage"), _alarm("math", expression="(m1/service_quota(m1))*100"),
              _alarm("paused", namespace="AWS/Usage", enabled=False), _alarm("silent", namespace="AWS/Usage", actions=()),
              _alarm("cpu", namespace="AWS/EC2"),
              _alarm("scaler", namespace="AWS/Usage", actions=("arn:aws:autoscaling:ap-northeast-1:111122223333:scalingPolicy:x",))]
    ebs = {"EbsEncryptionByDefault": True}
    regions = {r["name"]: r for r in _resources({"cloudwatch:DescribeAlarms": alarms, "ec2:GetEbsEncryptionByDefault": ebs})
               if r["type"] == "cloud.region"}
    assert regions[REGION]["attrs"]["quota_alarms"] == ["math", "usage"]
    unread = [r for r in _resources({"ec2:GetEbsEncryptionByDefault": ebs}) if r["type"] == "cloud.region"][0]
    # alarms not read: the attr is absent (not collected); the run's gap names the failed call
    assert "quota_alarms" not in unread["attrs"] and "not_collected" not in unread["attrs"]


def _running(instance_id: str, zone: str) -> list[dict]:
    return [{"Instances": [{"InstanceId": instance_id, "State": {"Name": "running"}, "Placement": {"AvailabilityZone": zone}}]}]


def test_aws_quota_statuses_through_the_engine(tmp_path, capsys):
    """Regions running a VM are judged; eu-west-1 runs nothing, so no quota of it can be
    exhausted: no record."""
    ebs = {"EbsEncryptionByDefault": True}
    watched = AccountRaw(account="111122223333", regions={
        "ap-northeast-1": {"cloudwatch:DescribeAlarms": [_alarm("usage", namespace="AWS/Usage")], "ec2:GetEbsEncryptionByDefault": ebs,
                           "ec2:DescribeInstances": _running("i-tokyo", "ap-northeast-1a")},
        "ap-northeast-3": {"cloudwatch:DescribeAlarms": [_alarm("cpu", namespace="AWS/EC2")], "ec2:GetEbsEncryptionByDefault": ebs,
                           "ec2:DescribeInstances": _running("i-osaka", "ap-northeast-3a")},
        "us-east-1": {"ec2:GetEbsEncryptionByDefault": ebs, "ec2:DescribeInstances": _running("i-virginia", "us-east-1a")},
        "eu-west-1": {"cloudwatch:DescribeAlarms": [], "ec2:GetEbsEncryptionByDefault": ebs}})
    resources = [r for r in aws_normalise(watched) if r["type"] in ("cloud.region", "compute.instance")]
    assert len([r for r in resources if r["type"] == "cloud.region"]) == 4
    found = scan(_snapshot(resources), tmp_path, capsys)
    assert {k: v[0] for k, v in found.items()} == {
        ("GM-CAP-002", "111122223333/ap-northeast-1"): "PASS", ("GM-CAP-002", "111122223333/ap-northeast-3"): "FAIL",
        ("GM-CAP-002", "111122223333/us-east-1"): "NOT_EVALUATED"}
    assert found[("GM-CAP-002", "111122223333/ap-northeast-1")][1] == "1 alarm(s) watch service-quota usage and notify: usage"
    assert found[("GM-CAP-002", "111122223333/us-east-1")][1] == "attrs.quota_alarms was not collected"


def test_azure_quota_alerts_are_not_read_and_said(tmp_path, capsys):
    """Azure's quota alerts are log search alert rules, which genmei does not read: a
    subscription running a VM is NOT_EVALUATED with that reason, never PASS or FAIL; one
    running no workload has no quota to exhaust and gets no record."""
    from genmei.collectors.azure import inventory as t
    from genmei.collectors.azure.inventory import Inventory
    from genmei.collectors.azure.normalise import normalise

    busy, idle = "77777777-7777-7777-7777-777777777777", "88888888-8888-8888-8888-888888888888"
    inv = Inventory(source={"kind": "example", "ref": "tests/test_ops2_checks.py"})
    for sub in (busy, idle):
        inv.add({"id": f"/subscriptions/{sub}/providers/Microsoft.Security/pricings/VirtualMachines", "name": "VirtualMachines",
                 "type": "Microsoft.Security/pricings", "properties": {"pricingTier": "Standard"}}, inv.source)
        inv.read.update({(sub, t.PRICING), (sub, t.VM)})
    inv.add({"id": f"/subscriptions/{busy}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1", "name": "vm-1",
             "type": "Microsoft.Compute/virtualMachines", "location": "japaneast", "properties": {}}, inv.source)
    resources = [r for r in normalise(inv)[0] if r["type"] in ("cloud.region", "compute.instance")]
    assert len([r for r in resources if r["type"] == "cloud.region"]) == 2
    found = scan(_snapshot(resources, "azure"), tmp_path, capsys)
    (key, (status, reason)), = found.items()
    assert key == ("GM-CAP-002", f"/subscriptions/{busy}/providers/Microsoft.Security/pricings") and status == "NOT_EVALUATED"
    assert "log search alert rules" in reason


GCP_QUOTA_EXPECTED = {
    # an enabled quota policy with a channel / only a CPU policy, a silent and a disabled quota policy
    ("GM-CAP-002", "//compute.googleapis.com/projects/quota-watched"): "PASS",
    ("GM-CAP-002", "//compute.googleapis.com/projects/quota-unwatched"): "FAIL",
}


def _import_gcp(path, tmp_path, capsys, monkeypatch) -> tuple[dict, dict]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    snap = tmp_path / "s.json"
    code = main(["import", "gcp-cai", str(path), "--out", str(snap)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    doc = json.loads(snap.read_text())
    return doc, scan(doc, tmp_path, capsys)


def test_gcp_cai_import_quota_statuses(tmp_path, capsys, monkeypatch):
    """The fixture's two projects, each running a VM (a project running none is not judged:
    test_a_project_without_workloads_is_not_judged)."""
    path = tmp_path / "with-vms.jsonl"
    path.write_text((FIXTURES / "gcp.jsonl").read_text().rstrip("\n") + "\n"
                    + "".join(json.dumps(_instance(p)) + "\n" for p in ("quota-watched", "quota-unwatched")))
    snap, found = _import_gcp(path, tmp_path, capsys, monkeypatch)
    assert {k: v[0] for k, v in found.items()} == GCP_QUOTA_EXPECTED
    projects = {r["name"]: r for r in snap["resources"] if r["type"] == "cloud.region"}
    assert projects["quota-watched"]["attrs"]["quota_alarms"] == ["cpu-quota-80"]
    assert projects["quota-unwatched"]["attrs"]["quota_alarms"] == []


def _instance(project: str) -> dict:
    return {"name": f"//compute.googleapis.com/projects/{project}/zones/asia-northeast1-a/instances/vm-1",
            "asset_type": "compute.googleapis.com/Instance",
            "resource": {"version": "v1", "parent": "//cloudresourcemanager.googleapis.com/projects/100000000001",
                         "data": {"name": "vm-1", "id": "1", "zone": "asia-northeast1-a", "status": "RUNNING"},
                         "location": "asia-northeast1-a"}, "ancestors": ["projects/100000000001"]}


def test_a_project_without_workloads_is_not_judged(tmp_path, capsys, monkeypatch):
    """The fixture alone: alert policies and no workload in either project, so no quota of
    theirs can be exhausted — no record, neither PASS nor FAIL."""
    snap, found = _import_gcp(FIXTURES / "gcp.jsonl", tmp_path, capsys, monkeypatch)
    assert {r["name"] for r in snap["resources"] if r["type"] == "cloud.region"} == {"quota-watched", "quota-unwatched"}
    assert found == {}


def test_gcp_cai_import_without_alert_policies_is_not_evaluated(tmp_path, capsys, monkeypatch):
    """An export without alert policies cannot tell whether a quota is watched."""
    path = tmp_path / "vm-only.jsonl"
    path.write_text(json.dumps(_instance("quota-watched")) + "\n")
    _, found = _import_gcp(path, tmp_path, capsys, monkeypatch)
    (key, (status, reason)), = found.items()
    assert key == ("GM-CAP-002", "//compute.googleapis.com/projects/quota-watched") and status == "NOT_EVALUATED"
    assert "alert policies" in reason and "were not read" in reason


def test_gcp_live_quota_statuses(tmp_path):
    """`genmei scan gcp` of one project: the real AssetServiceClient lists the alert policies
    from the loopback server (the watched project's, named as the server's project): PASS;
    the same with alert policies refused: NOT_EVALUATED, never PASS or FAIL."""
    from test_gcp_collect import CLIENT_EMAIL, PROJECT, CaiServer, make_env, scan as gcp_scan
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    creds = tmp_path / "sa.json"
    creds.write_text(json.dumps({"type": "service_account", "project_id": PROJECT, "private_key_id": "k", "private_key": pem,
                                 "client_email": CLIENT_EMAIL, "client_id": "1", "token_uri": "http://127.0.0.1:9/unused"}))
    lines = [line for line in (FIXTURES / "gcp.jsonl").read_text().splitlines() if "quota-watched" in line]
    assets = [json.loads(line.replace("quota-watched", PROJECT)) for line in lines] + [_instance(PROJECT)]
    server = CaiServer(key.public_key(), assets)
    try:
        code, results, stderr = gcp_scan(server, make_env((creds, key.public_key()), tmp_path), tmp_path / "out", "--no-scc")
        asked = {t for r in server.requests for t in r["types"]}
        server.deny_types = {"monitoring.googleapis.com/AlertPolicy"}
        (tmp_path / "d").mkdir()
        code2, denied, stderr2 = gcp_scan(server, make_env((creds, key.public_key()), tmp_path / "d"), tmp_path / "out2", "--no-scc")
    finally:
        server.close()
    assert code == 0, stderr
    assert "monitoring.googleapis.com/AlertPolicy" in asked
    assert {(c, r["resource"]): r["status"] for (c, _), r in results.items() if c == "GM-CAP-002"} == {
        ("GM-CAP-002", f"//compute.googleapis.com/projects/{PROJECT}"): "PASS"}
    assert code2 == 0, stderr2
    refused = {(c, r["resource"]): (r["status"], r["reason"]) for (c, _), r in denied.items() if c == "GM-CAP-002"}
    assert refused == {("GM-CAP-002", f"//compute.googleapis.com/projects/{PROJECT}"): (
        "NOT_EVALUATED", "attrs.quota_alarms was not collected: the project's alert policies "
                         "(monitoring.googleapis.com/AlertPolicy) were not read")}


# --- Azure: Application Gateways (typed clients and Resource Graph against the loopback ARM
# server; the Resource Graph import) ------------------------------------------------------

AZ_SUB = "11111111-1111-1111-1111-111111111111"
AZ_EDGE = f"/subscriptions/{AZ_SUB}/resourceGroups/rg-edge/providers/Microsoft.Network/"
AZURE_EXPECTED = {
    # a WAF tier with an enabled WAF policy / with its own WAF configuration on / a Standard
    # tier (no WAF possible) / a WAF tier whose policy is disabled / a private-only frontend
    ("GM-NET-005", AZ_EDGE + "applicationGateways/agw-waf-policy"): "PASS",
    ("GM-NET-005", AZ_EDGE + "applicationGateways/agw-waf-config"): "PASS",
    ("GM-NET-005", AZ_EDGE + "applicationGateways/agw-standard"): "FAIL",
    ("GM-NET-005", AZ_EDGE + "applicationGateways/agw-waf-paused"): "FAIL",
    ("GM-NET-005", AZ_EDGE + "applicationGateways/agw-internal"): "PASS",
}


def _azure_world() -> dict:
    return json.loads((FIXTURES / "azure-world.json").read_text())


def _net005(snapshot: dict, tmp_path, capsys) -> dict:
    return {k: v[0] for k, v in scan(snapshot, tmp_path, capsys).items() if k[0] == "GM-NET-005"}


@pytest.mark.parametrize("inventory", ["arm", "graph"])
def test_azure_live_application_gateway_statuses(inventory, tmp_path, capsys):
    from azure_support import collect, serve

    with serve(tmp_path / "arm", _azure_world()) as server:
        snapshot = collect(server, inventory=inventory)
        assert server.writes() == []
    assert snapshot["meta"]["gaps"] == []
    assert _net005(snapshot, tmp_path, capsys) == AZURE_EXPECTED
    gateways = {r["name"]: r for r in snapshot["resources"] if r["type"] == "lb.load_balancer"}
    assert gateways["agw-waf-policy"]["attrs"] == {"scheme": "internet-facing", "waf": True, "web_acl": AZ_EDGE + (
        "ApplicationGatewayWebApplicationFirewallPolicies/wafp-on")}
    assert gateways["agw-waf-policy"]["zones"] == ["japaneast-1", "japaneast-2", "japaneast-3"]
    assert gateways["agw-waf-config"]["zones"] is None  # no zones named: not known
    assert gateways["agw-internal"]["attrs"] == {"scheme": "internal", "waf": False}
    if inventory == "arm":
        calls = snapshot["meta"]["api_calls"]
        assert calls["network.application_gateways.list_all"] >= 1
        assert calls["network.web_application_firewall_policies.list_all"] >= 1


def test_azure_waf_policies_unreadable_leave_only_the_policy_gateways_unknown(tmp_path, capsys):
    """WAF policies denied: a gateway that names one is NOT_EVALUATED, saying why; the
    others are judged as before, and the gap is over lb.load_balancer."""
    from azure_support import collect, serve

    denied = [{"method": "GET", "path": f"/subscriptions/{AZ_SUB}/providers/microsoft.network/applicationgatewaywebapplicationfirewallpolicies",
               "status": 403, "code": "AuthorizationFailed"}]
    with serve(tmp_path / "arm", _azure_world(), faults=denied) as server:
        snapshot = collect(server, inventory="arm")
    assert [(g["api"], g["resource_types"]) for g in snapshot["meta"]["gaps"]] == [
        ("web_application_firewall_policies.list_all", ["lb.load_balancer"])]
    found = {k: v for k, v in scan(snapshot, tmp_path, capsys).items() if k[0] == "GM-NET-005"}
    for name in ("agw-waf-policy", "agw-waf-paused"):
        status, reason = found.pop(("GM-NET-005", AZ_EDGE + f"applicationGateways/{name}"))
        assert status == "NOT_EVALUATED" and "WAF policy was not read" in reason
    gap = [k for k in found if k[1].startswith("gap:")]
    assert len(gap) == 1 and found.pop(gap[0])[0] == "NOT_EVALUATED"
    assert {k: v[0] for k, v in found.items()} == {k: s for k, s in AZURE_EXPECTED.items()
                                                   if "waf-policy" not in k[1] and "waf-paused" not in k[1]}


def test_azure_graph_import_application_gateway_statuses(tmp_path, capsys, monkeypatch):
    """The same world as Resource Graph rows (`az graph query` output), imported offline;
    without the WAF policy rows the gateways that name one are not evaluated."""
    rows = [{**r, "type": r["type"].lower(), "resourceGroup": "rg-edge", "subscriptionId": AZ_SUB} for r in _azure_world()["resources"]]
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def imported(data):
        path, snap = tmp_path / "graph.json", tmp_path / "s.json"
        path.write_text(json.dumps({"data": data, "count": len(data), "total_records": len(data)}))
        code = main(["import", "azure-graph", str(path), "--out", str(snap)])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        return _net005(json.loads(snap.read_text()), tmp_path, capsys)

    assert imported(rows) == AZURE_EXPECTED
    kept = [r for r in rows if "firewallpolicies" not in r["type"]]
    found = imported(kept)
    assert {k for k, s in found.items() if s == "NOT_EVALUATED"} == {
        ("GM-NET-005", AZ_EDGE + "applicationGateways/agw-waf-policy"), ("GM-NET-005", AZ_EDGE + "applicationGateways/agw-waf-paused")}
