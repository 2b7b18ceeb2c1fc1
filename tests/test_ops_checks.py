"""The ops checks (GM-CAP-001 autoscaling within limits, GM-MON-001 alarms that notify,
GM-NET-004 empty default security groups) through every collector path that reads their
resources other than the live AWS scan of the reference account (tests/test_aws_reference.py):
the AWS Config import, the AWS normalisers on partial reads, Terraform plans, Azure (typed
clients against the loopback ARM server, and the Resource Graph import) and GCP (Cloud
Asset Inventory, live and imported). Each fixture resource's status is asserted exactly."""

import json
import subprocess
import sys

import pytest

from conftest import AS_OF, ROOT
from genmei.collectors.aws.model import AccountRaw
from genmei.collectors.aws.normalise import normalise as aws_normalise
from genmei.engine.cli import main

FIXTURES = ROOT / "tests" / "fixtures" / "ops"
OPS_CHECKS = ("GM-CAP-001", "GM-MON-001", "GM-MON-002", "GM-NET-004")


def import_and_scan(kind: str, files, tmp_path, capsys, monkeypatch) -> tuple[dict, dict]:
    """(snapshot, {(check, resource id): status}) of `genmei import KIND FILES` then a scan."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    snap = tmp_path / "s.json"
    code = main(["import", kind, *map(str, files), "--out", str(snap)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(snap.read_text()), scan_statuses(snap, capsys)


def scan_statuses(snap, capsys) -> dict:
    code = main(["scan", "--snapshot", str(snap), "--format", "json", "--fail-on", "none", "--as-of", AS_OF, "--no-store"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    found = {}
    for r in json.loads(captured.out)["results"]:
        if r["check"] in OPS_CHECKS:
            assert (r["check"], r["resource"]) not in found, r
            found[(r["check"], r["resource"])] = r["status"]
    return found


# --- AWS Config import -----------------------------------------------------------------

AWS_ARN = "arn:aws:{}:ap-northeast-1:111122223333:{}"


def test_aws_config_import_statuses(tmp_path, capsys, monkeypatch):
    snap, found = import_and_scan("aws-config", [FIXTURES / "aws-config.json"], tmp_path, capsys, monkeypatch)
    groups = {r["name"]: r for r in snap["resources"] if r["type"] == "compute.instance_group"}
    api, worker = groups["api"]["id"], groups["worker"]["id"]
    assert groups["api"]["attrs"] == {"min_size": 2, "max_size": 8, "desired_capacity": 2, "autoscaling": True,
                                      "scaling_policies": ["api-cpu-60"], "load_balancers": []}  # (res2: GM-RES-003)
    assert groups["api"]["source"]["kind"] == "aws_config"
    alarm = lambda n: AWS_ARN.format("cloudwatch", f"alarm:{n}")  # noqa: E731
    vpc = lambda v: AWS_ARN.format("ec2", f"vpc/{v}")  # noqa: E731
    gap = "gap:111122223333/global:config:configuration items"
    assert found == {
        ("GM-CAP-001", api): "PASS", ("GM-CAP-001", worker): "FAIL",
        ("GM-MON-002", alarm("api-cpu-high")): "PASS", ("GM-MON-002", alarm("worker-cpu-high")): "FAIL",
        ("GM-MON-002", alarm("paused-alarm")): "FAIL",
        # three alarms that notify or could; the target-tracking alarm only drives scaling
        ("GM-MON-001", "111122223333"): "PASS",
        ("GM-MON-001", gap): "NOT_EVALUATED",  # Config holds no account-wide settings: still said
        ("GM-NET-004", vpc("vpc-0clean")): "PASS", ("GM-NET-004", vpc("vpc-0open")): "FAIL",
    }
    # the default group's own rule names it "self"; the CIDR rule beside it is what FAILs
    open_vpc = next(r for r in snap["resources"] if r["id"] == vpc("vpc-0open"))
    assert [x["sources"] for x in open_vpc["attrs"]["default_firewall_rules"] if x["direction"] == "ingress"] == [
        ["self"], ["198.51.100.0/24"]]
    account = next(r for r in snap["resources"] if r["type"] == "cloud.account")
    assert account["attrs"]["metric_alarms"] == 3
    assert not any("TargetTracking" in r["id"] for r in snap["resources"])


def test_aws_config_groups_without_policy_items_are_not_evaluated(tmp_path, capsys, monkeypatch):
    """A recorder that does not record AWS::AutoScaling::ScalingPolicy leaves every group's
    policies unknown: NOT_EVALUATED with the reason, never FAIL (nor PASS)."""
    items = json.loads((FIXTURES / "aws-config.json").read_text())["configurationItems"]
    kept = [i for i in items if i["resourceType"] != "AWS::AutoScaling::ScalingPolicy"]
    (tmp_path / "no-policies.json").write_text(json.dumps({"configurationItems": kept}))
    snap, found = import_and_scan("aws-config", [tmp_path / "no-policies.json"], tmp_path, capsys, monkeypatch)
    groups = [r for r in snap["resources"] if r["type"] == "compute.instance_group"]
    assert len(groups) == 2
    for g in groups:
        assert found[("GM-CAP-001", g["id"])] == "NOT_EVALUATED"
        assert "autoscaling:DescribePolicies" in g["attrs"]["not_collected"]["autoscaling"]


# --- AWS normalisers on partial reads ----------------------------------------------------

def _acct(regions: dict) -> AccountRaw:
    return AccountRaw(account="123456789012", regions=regions)


def _by_type(resources, t):
    return [r for r in resources if r["type"] == t]


def test_aws_policies_not_read_leave_autoscaling_unknown():
    group = {"AutoScalingGroupName": "g", "AutoScalingGroupARN": "arn:g", "MinSize": 1, "MaxSize": 4,
             "DesiredCapacity": 1, "AvailabilityZones": ["ap-northeast-1a"]}
    [r] = _by_type(aws_normalise(_acct({"ap-northeast-1": {"autoscaling:DescribeAutoScalingGroups": [group]}})),
                   "compute.instance_group")
    assert "autoscaling" not in r["attrs"] and r["attrs"]["max_size"] == 4
    # a disabled policy does not scale
    raw = {"autoscaling:DescribeAutoScalingGroups": [group],
           "autoscaling:DescribePolicies": [{"AutoScalingGroupName": "g", "PolicyName": "off", "Enabled": False}]}
    [r] = _by_type(aws_normalise(_acct({"ap-northeast-1": raw})), "compute.instance_group")
    assert r["attrs"]["autoscaling"] is False and r["attrs"]["scaling_policies"] == []


def test_aws_alarm_count_is_unknown_when_a_region_was_not_read():
    alarm = {"AlarmName": "a", "AlarmArn": "arn:a", "ActionsEnabled": True, "AlarmActions": ["arn:aws:sns:x:1:t"]}
    trails = {"cloudtrail:DescribeTrails": []}
    acct = _acct({"ap-northeast-1": {"cloudwatch:DescribeAlarms": [alarm]}, "ap-northeast-3": {}})
    acct.global_.update(trails)
    [account] = _by_type(aws_normalise(acct), "cloud.account")
    assert "metric_alarms" not in account["attrs"]
    assert "ap-northeast-3" in account["attrs"]["not_collected"]["metric_alarms"]
    acct = _acct({"ap-northeast-1": {"cloudwatch:DescribeAlarms": [alarm]}, "ap-northeast-3": {"cloudwatch:DescribeAlarms": []}})
    acct.global_.update(trails)
    [account] = _by_type(aws_normalise(acct), "cloud.account")
    assert account["attrs"]["metric_alarms"] == 1


def test_aws_alarm_targets_are_the_notifying_actions():
    alarm = {"AlarmName": "a", "AlarmArn": "arn:a", "ActionsEnabled": True,
             "AlarmActions": ["arn:aws:automate:ap-northeast-1:ec2:reboot", "arn:aws:sns:ap-northeast-1:1:ops"],
             "OKActions": ["arn:aws:sns:ap-northeast-1:1:ops"],
             "Metrics": [{"Id": "m1", "MetricStat": {"Metric": {"Namespace": "AWS/Usage", "MetricName": "ResourceCount"}}}]}
    reboot_only = {"AlarmName": "b", "AlarmArn": "arn:b", "ActionsEnabled": True,
                   "AlarmActions": ["arn:aws:automate:ap-northeast-1:ec2:reboot"]}
    raw = {"cloudwatch:DescribeAlarms": [alarm, reboot_only]}
    alarms = {r["name"]: r["attrs"] for r in _by_type(aws_normalise(_acct({"ap-northeast-1": raw})), "monitoring.alarm")}
    assert alarms["a"] == {"enabled": True, "notification_targets": ["arn:aws:sns:ap-northeast-1:1:ops"],
                           "metric": "AWS/Usage/ResourceCount"}
    assert "b" not in alarms  # an EC2 action acts on the instance: not a monitoring alarm (GM-MON-002 does not judge it)


def test_aws_default_security_group_not_read_is_said():
    vpc = {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}
    [r] = _by_type(aws_normalise(_acct({"ap-northeast-1": {"ec2:DescribeVpcs": [vpc]}})), "network.vpc")
    assert r["attrs"]["not_collected"] == {"default_firewall_rules": "the security groups were not read"}
    raw = {"ec2:DescribeVpcs": [vpc], "ec2:DescribeSecurityGroups": [
        {"GroupId": "sg-2", "GroupName": "default", "VpcId": "vpc-other", "IpPermissions": [], "IpPermissionsEgress": []}]}
    [r] = _by_type(aws_normalise(_acct({"ap-northeast-1": raw})), "network.vpc")
    assert "not among the security groups read" in r["attrs"]["not_collected"]["default_firewall_rules"]



def test_aws_default_security_group_names_itself_self():
    """The group's own id as a source is "self" (GM-NET-004 tells its members from anyone
    outside); another group, a CIDR or a prefix list is kept as read."""
    own = {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-1", "UserId": "1"}, {"GroupId": "sg-9"}]}
    ssh = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "198.51.100.0/24"}],
           "PrefixListIds": [{"PrefixListId": "pl-1"}]}
    raw = {"ec2:DescribeVpcs": [{"VpcId": "vpc-1"}], "ec2:DescribeSecurityGroups": [
        {"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1", "IpPermissions": [own, ssh], "IpPermissionsEgress": []}]}
    [r] = _by_type(aws_normalise(_acct({"ap-northeast-1": raw})), "network.vpc")
    assert [x["sources"] for x in r["attrs"]["default_firewall_rules"]] == [["self", "sg-9"], ["198.51.100.0/24", "pl-1"]]

# --- Terraform: a real plan of tests/fixtures/tf/ops --------------------------------------

def test_terraform_plan_statuses(tmp_path):
    """`genmei gate` on the plan Terraform writes for tests/fixtures/tf/ops (the provider from
    the local mirror; CI machines carry both, as for tests/test_parity.py)."""
    from test_parity import _missing, plan, terraform_env

    if _missing():
        pytest.skip(_missing())
    _, plan_json = plan("ops", tmp_path, terraform_env(tmp_path))
    from genmei.collectors.terraform.plan import read_plan
    from genmei.collectors.terraform.snapshot import normalise

    doc, report = normalise(read_plan(str(plan_json)))
    by_id = {r["id"]: r for r in doc["resources"]}
    proc = subprocess.run(
        [sys.executable, "-m", "genmei.engine.cli", "gate", str(plan_json), "--format", "json",
         "--fail-on", "none", "--as-of", AS_OF], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    found = {(r["check"], r["resource"]): r["status"] for r in json.loads(proc.stdout)["results"] if r["check"] in OPS_CHECKS}
    assert found == {
        ("GM-CAP-001", "aws_autoscaling_group.api"): "PASS", ("GM-CAP-001", "aws_autoscaling_group.worker"): "FAIL",
        ("GM-MON-002", "aws_cloudwatch_metric_alarm.api_cpu_high"): "PASS",
        ("GM-MON-002", "aws_cloudwatch_metric_alarm.worker_silent"): "FAIL",
        # adopted and written with no rule / left with the rules AWS gives a new VPC (only the
        # group's own members admitted) / adopted admitting SSH from a CIDR
        ("GM-NET-004", "aws_vpc.clean"): "PASS", ("GM-NET-004", "aws_vpc.fresh"): "PASS",
        ("GM-NET-004", "aws_vpc.open"): "FAIL",
    }
    assert by_id["aws_autoscaling_group.api"]["attrs"]["scaling_policies"] == ["ops-api-cpu-60"]
    assert by_id["aws_cloudwatch_metric_alarm.api_cpu_high"]["attrs"]["notification_targets"] == ["aws_sns_topic.oncall"]
    assert by_id["aws_vpc.clean"]["attrs"]["default_firewall"] == "aws_default_security_group.clean"
    # the policy of a group outside the plan and the alarm that only scales are said, not dropped
    said = "\n".join(report["not_judged"]["configures a resource that cannot be judged with it"])
    assert "aws_autoscaling_policy.worker_step" in said and "aws_cloudwatch_metric_alarm.worker_scale_out" in said


def test_terraform_existing_group_and_vpc_are_not_guessed():
    """A group or VPC the plan does not create may have policies or a default group managed
    outside the plan: not collected, with the reason."""
    from genmei.collectors.terraform.snapshot import normalise

    def change(address, rtype, after, actions=("no-op",)):
        return {"address": address, "mode": "managed", "type": rtype, "name": address.split(".")[1],
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": list(actions), "before": after, "after": after, "after_unknown": {}}}
    doc = {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [
        change("aws_autoscaling_group.old", "aws_autoscaling_group",
               {"name": "old", "min_size": 1, "max_size": 4, "desired_capacity": 1, "availability_zones": ["ap-northeast-1a"]}),
        change("aws_vpc.old", "aws_vpc", {"cidr_block": "10.0.0.0/16", "id": "vpc-1"}),
    ]}
    snap, _ = normalise(_plan(doc))
    by_id = {r["id"]: r for r in snap["resources"]}
    assert by_id["aws_autoscaling_group.old"]["attrs"]["not_collected"]["autoscaling"].startswith("the group exists already")
    assert "aws_default_security_group" in by_id["aws_vpc.old"]["attrs"]["not_collected"]["default_firewall_rules"]


def _plan(doc):
    import tempfile

    from genmei.collectors.terraform.plan import read_plan

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(doc, f)
    return read_plan(f.name)


# --- Azure: typed clients and Resource Graph against the loopback ARM server; the import ---

AZ_RG = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ops/providers/"
AZURE_EXPECTED = {
    # autoscale on CPU within 2-10 / a fixed capacity of 3 / an autoscale setting that is disabled
    ("GM-CAP-001", AZ_RG + "Microsoft.Compute/virtualMachineScaleSets/vmss-web"): "PASS",
    ("GM-CAP-001", AZ_RG + "Microsoft.Compute/virtualMachineScaleSets/vmss-batch"): "FAIL",
    ("GM-CAP-001", AZ_RG + "Microsoft.Compute/virtualMachineScaleSets/vmss-paused"): "FAIL",
    # an action group with an e-mail receiver / one with no receiver / a disabled rule
    ("GM-MON-002", AZ_RG + "Microsoft.Insights/metricAlerts/alert-cpu"): "PASS",
    ("GM-MON-002", AZ_RG + "Microsoft.Insights/metricAlerts/alert-silent"): "FAIL",
    ("GM-MON-002", AZ_RG + "Microsoft.Insights/metricAlerts/alert-disabled"): "FAIL",
    ("GM-MON-001", "/subscriptions/11111111-1111-1111-1111-111111111111"): "PASS",
}


def _azure_world() -> dict:
    return json.loads((FIXTURES / "azure-world.json").read_text())


@pytest.mark.parametrize("inventory", ["arm", "graph"])
def test_azure_live_statuses(inventory, tmp_path, capsys):
    from azure_support import collect, serve

    with serve(tmp_path / "arm", _azure_world()) as server:
        snapshot = collect(server, inventory=inventory)
        assert server.writes() == []
    assert snapshot["meta"]["gaps"] == []
    (tmp_path / "s.json").write_text(json.dumps(snapshot))
    assert scan_statuses(tmp_path / "s.json", capsys) == AZURE_EXPECTED
    groups = {r["name"]: r for r in snapshot["resources"] if r["type"] == "compute.instance_group"}
    assert groups["vmss-web"]["attrs"] == {"desired_capacity": 2, "autoscaling": True, "scaling_policies": ["as-web"],
                                           "min_size": 2, "max_size": 10,  # the fixture has no network profile (res2: GM-RES-003)
                                           "not_collected": {"load_balancers": "the scale set's record holds no network profile"}}
    assert groups["vmss-web"]["zones"] == ["japaneast-1", "japaneast-2", "japaneast-3"]
    assert groups["vmss-batch"]["attrs"]["max_size"] == 3
    alarm = next(r for r in snapshot["resources"] if r["name"] == "alert-cpu")
    assert alarm["attrs"]["notification_targets"] == [AZ_RG + "microsoft.insights/actionGroups/ag-oncall"]
    assert "hunter2" not in json.dumps(snapshot) and "ZXhwb3J0IERCX1BBU1NXT1JEPWh1bnRlcjI=" not in json.dumps(snapshot)
    if inventory == "arm":
        calls = snapshot["meta"]["api_calls"]
        assert calls["monitor.metric_alerts.list_by_subscription"] >= 1 and calls["monitor.action_groups.list_by_subscription_id"] >= 1


def test_azure_alert_rules_unreadable_are_not_evaluated(tmp_path, capsys):
    """Alert rules and action groups denied: no alarm, the subscription's count not
    collected, and a gap over monitoring.alarm — never a PASS, never a silent FAIL."""
    from azure_support import collect, serve

    denied = [{"method": "GET", "path": f"/subscriptions/11111111-1111-1111-1111-111111111111/providers/microsoft.insights/{kind}",
               "status": 403, "code": "AuthorizationFailed"} for kind in ("metricalerts", "autoscalesettings")]
    with serve(tmp_path / "arm", _azure_world(), faults=denied) as server:
        snapshot = collect(server, inventory="arm")
    assert {g["api"] for g in snapshot["meta"]["gaps"]} == {"metric_alerts.list_by_subscription",
                                                            "autoscale_settings.list_by_subscription"}
    (tmp_path / "s.json").write_text(json.dumps(snapshot))
    found = scan_statuses(tmp_path / "s.json", capsys)
    assert set(found.values()) == {"NOT_EVALUATED"}
    assert found[("GM-MON-001", "/subscriptions/11111111-1111-1111-1111-111111111111")] == "NOT_EVALUATED"
    assert sum(1 for check, _ in found if check == "GM-CAP-001") == 3 + 1  # three scale sets and the gap


def test_azure_graph_import_statuses(tmp_path, capsys, monkeypatch):
    """The same world as Resource Graph rows (`az graph query` output), imported offline."""
    rows = [{**r, "type": r["type"].lower(), "resourceGroup": "rg-ops",
             "subscriptionId": "11111111-1111-1111-1111-111111111111"} for r in _azure_world()["resources"]]
    (tmp_path / "graph.json").write_text(json.dumps({"data": rows, "count": len(rows), "total_records": len(rows)}))
    snap, found = import_and_scan("azure-graph", [tmp_path / "graph.json"], tmp_path, capsys, monkeypatch)
    assert found == AZURE_EXPECTED
    # without autoscale-setting rows the export cannot tell: not collected, never FAIL
    kept = [r for r in rows if r["type"] != "microsoft.insights/autoscalesettings"]
    (tmp_path / "graph.json").write_text(json.dumps({"data": kept, "count": len(kept), "total_records": len(kept)}))
    _, found = import_and_scan("azure-graph", [tmp_path / "graph.json"], tmp_path, capsys, monkeypatch)
    assert {s for (c, _), s in found.items() if c == "GM-CAP-001"} == {"NOT_EVALUATED"}


# --- GCP: Cloud Asset Inventory, live (the real client against the loopback server) and imported ---

GCP_EXPECTED = {
    # an autoscaler ON within 2-10 / no autoscaler (fixed at 3) / an autoscaler switched OFF
    ("GM-CAP-001", "//compute.googleapis.com/projects/genmei-demo/zones/asia-northeast1-a/instanceGroupManagers/mig-web"): "PASS",
    ("GM-CAP-001", "//compute.googleapis.com/projects/genmei-demo/zones/asia-northeast1-a/instanceGroupManagers/mig-batch"): "FAIL",
    ("GM-CAP-001", "//compute.googleapis.com/projects/genmei-demo/regions/asia-northeast1/instanceGroupManagers/mig-api"): "FAIL",
    # a notification channel / none / a disabled policy
    ("GM-MON-002", "//monitoring.googleapis.com/projects/genmei-demo/alertPolicies/1001"): "PASS",
    ("GM-MON-002", "//monitoring.googleapis.com/projects/genmei-demo/alertPolicies/1002"): "FAIL",
    ("GM-MON-002", "//monitoring.googleapis.com/projects/genmei-demo/alertPolicies/1003"): "FAIL",
}


def test_gcp_cai_import_statuses(tmp_path, capsys, monkeypatch):
    snap, found = import_and_scan("gcp-cai", [FIXTURES / "gcp.jsonl"], tmp_path, capsys, monkeypatch)
    assert found == GCP_EXPECTED
    groups = {r["name"]: r for r in snap["resources"] if r["type"] == "compute.instance_group"}
    assert groups["mig-web"]["attrs"] == {"desired_capacity": 2, "autoscaling": True, "scaling_policies": ["as-web"],
                                          "min_size": 2, "max_size": 10,  # no backend services in the fixture (res2: GM-RES-003)
                                          "not_collected": {"load_balancers": "the project's backend services (compute.googleapis.com/"
                                                                              "BackendService, RegionBackendService) were not read"}}
    assert groups["mig-api"]["zones"] == ["asia-northeast1-a", "asia-northeast1-b", "asia-northeast1-c"]
    # an export without the autoscalers cannot tell which groups scale
    lines = [line for line in (FIXTURES / "gcp.jsonl").read_text().splitlines() if "compute.googleapis.com/Autoscaler" not in line]
    (tmp_path / "no-autoscalers.jsonl").write_text("\n".join(lines) + "\n")
    _, found = import_and_scan("gcp-cai", [tmp_path / "no-autoscalers.jsonl"], tmp_path, capsys, monkeypatch)
    assert {s for (c, _), s in found.items() if c == "GM-CAP-001"} == {"NOT_EVALUATED"}


def test_gcp_live_statuses(tmp_path):
    """`genmei scan gcp`: the real AssetServiceClient lists each asset type (paged) from the
    loopback server; the same statuses as the import."""
    from test_gcp_collect import CaiServer, make_env, scan
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    creds = tmp_path / "sa.json"
    creds.write_text(json.dumps({"type": "service_account", "project_id": "genmei-demo", "private_key_id": "k", "private_key": pem,
                                 "client_email": "genmei-reader@genmei-demo.iam.gserviceaccount.com", "client_id": "1",
                                 "token_uri": "http://127.0.0.1:9/unused"}))
    assets = [json.loads(line) for line in (FIXTURES / "gcp.jsonl").read_text().splitlines()]
    server = CaiServer(key.public_key(), assets)
    try:
        code, results, stderr = scan(server, make_env((creds, key.public_key()), tmp_path), tmp_path / "out", "--no-scc")
        asked = {t for r in server.requests for t in r["types"]}
        server.deny_types = {"compute.googleapis.com/Autoscaler", "monitoring.googleapis.com/AlertPolicy"}
        (tmp_path / "d").mkdir()
        code2, denied, stderr2 = scan(server, make_env((creds, key.public_key()), tmp_path / "d"), tmp_path / "out2", "--no-scc")
    finally:
        server.close()
    assert code == 0, stderr
    found = {(c, r["resource"]): r["status"] for (c, _), r in results.items() if c in OPS_CHECKS}
    assert found == GCP_EXPECTED
    assert {"compute.googleapis.com/Autoscaler", "compute.googleapis.com/InstanceGroupManager",
            "monitoring.googleapis.com/AlertPolicy"} <= asked
    # refused: the groups' scaling unknown, the alert policies a gap — NOT_EVALUATED, never PASS or FAIL
    assert code2 == 0, stderr2
    ops = {k: r["status"] for k, r in denied.items() if k[0] in OPS_CHECKS}
    assert set(ops.values()) == {"NOT_EVALUATED"} and ("GM-CAP-001", "mig-web") in ops
    assert any(c == "GM-MON-002" and r["resource"].startswith("gap:") for (c, _), r in denied.items())


def test_alarms_that_only_act_on_instances_or_groups_are_not_monitoring_alarms():
    """EC2 recover/reboot/stop actions and scaling policies act instead of telling anyone:
    such alarms are neither judged by GM-MON-002 nor counted by GM-MON-001; one that also
    notifies is an alarm like any other."""
    from genmei.collectors.aws.normalise.cloudwatch import monitoring_alarms
    recover = {"AlarmName": "recover", "AlarmActions": ["arn:aws:automate:ap-northeast-1:ec2:recover"]}
    reboot = {"AlarmName": "reboot", "AlarmActions": ["arn:aws:swf:ap-northeast-1:111122223333:action/actions/AWS_EC2.InstanceId.Reboot/1.0"]}
    scale = {"AlarmName": "scale", "AlarmActions": ["arn:aws:autoscaling:ap-northeast-1:111122223333:scalingPolicy:x:autoScalingGroupName/a:policyName/p"]}
    told = {"AlarmName": "told", "AlarmActions": ["arn:aws:automate:ap-northeast-1:ec2:stop", "arn:aws:sns:ap-northeast-1:111122223333:ops"]}
    silent = {"AlarmName": "silent", "AlarmActions": []}
    assert [a["AlarmName"] for a in monitoring_alarms([recover, reboot, scale, told, silent])] == ["told", "silent"]
