"""The reference account: a realistic two-region AWS account (Tokyo for production, Osaka
for disaster recovery) seeded into a local moto server, so that `make demo` and the tests
run the real collector against real boto3 calls.

Every kind of resource genmei reads comes as a compliant twin and a non-compliant one
(tests/test_aws_reference.py lists the status each check must give each resource). Seeding
writes, so it only ever talks to a server on this machine's loopback interface, with dummy
credentials of its own, whatever the environment says.

Where moto differs from AWS the seed avoids the difference rather than relying on it:
every encrypted volume, database and bucket names its KMS key (moto would create a
customer-managed "aws/ebs" key), and instances take security groups at the top level.
One difference remains visible, and the README says so: moto's credential report has no
<root_account> row (root MFA is NOT_EVALUATED). Two more are read as AWS behaves: moto
does not name a Multi-AZ database's standby zone, which is in another zone whatever its
name (two zones: GM-AVL-001 PASS), and it answers "no encryption configuration" for a
bucket without one, where S3 applies SSE-S3 to every bucket since 2023 (GM-STO-001 PASS).
"""

import argparse
import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field

from .session import loopback_host

ACCOUNT = "123456789012"  # moto's default account
TOKYO, OSAKA = "ap-northeast-1", "ap-northeast-3"
REGIONS = (TOKYO, OSAKA)
OPEN = "0.0.0.0/0"
# Values that must never reach a snapshot or evidence: seeded as user data and passwords.
USER_DATA_SECRET = "genmei-seeded-userdata-DB_PASSWORD=hunter2-9f3a"
DB_PASSWORD = "genmei-seeded-db-password-7c1e"
CONSOLE_PASSWORD = "genmei-seeded-console-password-4b8d!"
# A credential someone left in a tag (an access key id, in AWS's format): masked, as
# tag values under secret-looking keys are replaced, in every snapshot and evidence file.
TAGGED_ACCESS_KEY_ID = "AKIAGENMEISEEDTAG0001"


@dataclass
class Seeded:
    endpoint: str
    secrets: list[str] = field(default_factory=list)  # every secret value the seed handed to AWS


def refuse_unless_loopback(endpoint: str) -> None:
    if not loopback_host(endpoint):
        raise SystemExit(f"reference account: refusing to seed {endpoint!r}: only a local emulator on loopback")


class _Seed:
    def __init__(self, endpoint: str):
        import boto3

        refuse_unless_loopback(endpoint)
        self.endpoint = endpoint
        self.session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                     aws_session_token=None, region_name=TOKYO)
        self.out = Seeded(endpoint, [USER_DATA_SECRET, DB_PASSWORD, CONSOLE_PASSWORD, TAGGED_ACCESS_KEY_ID])

    def client(self, service, region=TOKYO):
        return self.session.client(service, region_name=region, endpoint_url=self.endpoint)


def _tags(name, **extra):
    return [{"Key": "Name", "Value": name}] + [{"Key": k, "Value": v} for k, v in extra.items()]


def _spec(kind, name, **extra):
    return [{"ResourceType": kind, "Tags": _tags(name, **extra)}]


def _name_default_vpc(ec2):
    """Keep the default VPC, as most accounts do, and name it and its network ACL."""
    for vpc in ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]:
        ec2.create_tags(Resources=[vpc["VpcId"]], Tags=_tags("default-vpc"))
        _name_defaults(ec2, vpc["VpcId"], "default-vpc")


def _name_defaults(ec2, vpc, name) -> str:
    """Every VPC comes with a default network ACL (allow all) and security group: name
    them; return the ACL's id."""
    by_vpc = [{"Name": "vpc-id", "Values": [vpc]}]
    acl = ec2.describe_network_acls(Filters=by_vpc + [{"Name": "default", "Values": ["true"]}])["NetworkAcls"][0]
    ec2.create_tags(Resources=[acl["NetworkAclId"]], Tags=_tags(f"{name}-acl"))
    for sg in ec2.describe_security_groups(Filters=by_vpc + [{"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]:
        ec2.create_tags(Resources=[sg["GroupId"]], Tags=_tags(f"{name}-default-sg"))
    return acl["NetworkAclId"]


def _vpc(ec2, name, cidr, subnets, region):
    vpc = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=_spec("vpc", name))["Vpc"]["VpcId"]
    ids = [ec2.create_subnet(VpcId=vpc, CidrBlock=block, AvailabilityZone=f"{region}{az}",
                             TagSpecifications=_spec("subnet", f"{name}-{az}"))["Subnet"]["SubnetId"]
           for az, block in subnets]
    return vpc, ids, _name_defaults(ec2, vpc, name)


def _sg(ec2, vpc, name, ingress):
    sg = ec2.create_security_group(GroupName=name, Description=f"{name} (reference account)", VpcId=vpc,
                                   TagSpecifications=_spec("security-group", name))["GroupId"]
    if ingress:
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=ingress)
    return sg


def _tcp(port, *cidrs, to=None):
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": to or port,
            "IpRanges": [{"CidrIp": c} for c in cidrs if ":" not in c],
            "Ipv6Ranges": [{"CidrIpv6": c} for c in cidrs if ":" in c]}


def _restrict_acl(ec2, acl, internal):
    """Admit the web from anywhere and everything from inside; SSH from outside denied first."""
    ec2.replace_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
                                  CidrBlock=OPEN, PortRange={"From": 443, "To": 443})
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=50, Protocol="6", RuleAction="deny", Egress=False,
                                 CidrBlock=OPEN, PortRange={"From": 22, "To": 22})
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=110, Protocol="6", RuleAction="allow", Egress=False,
                                 CidrBlock=OPEN, PortRange={"From": 80, "To": 80})
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=120, Protocol="-1", RuleAction="allow", Egress=False,
                                 CidrBlock=internal)


def _instance(ec2, name, subnet, sg, key, imds, user_data=None):
    ebs = {"VolumeSize": 8, "Encrypted": True, "KmsKeyId": key} if key else {"VolumeSize": 8}
    i = ec2.run_instances(ImageId="ami-0a1b2c3d4e5f60718", InstanceType="t3.micro", MinCount=1, MaxCount=1,
                          SubnetId=subnet, SecurityGroupIds=[sg], UserData=user_data or "",
                          MetadataOptions={"HttpTokens": imds, "HttpEndpoint": "enabled"},
                          BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": ebs}],
                          TagSpecifications=_spec("instance", name) + _spec("volume", f"{name}-root"))
    return i["Instances"][0]["InstanceId"]


def _root_volume(ec2, instance_name) -> str:
    found = ec2.describe_volumes(Filters=[{"Name": "tag:Name", "Values": [f"{instance_name}-root"]}])["Volumes"]
    return found[0]["VolumeId"]


def _snapshot(ec2, volume, name) -> None:
    """A completed snapshot, as AWS Backup or Data Lifecycle Manager would leave (taken now)."""
    ec2.create_snapshot(VolumeId=volume, Description=f"{name} (reference account)", TagSpecifications=_spec("snapshot", name))


def _key(kms, alias, rotate):
    key = kms.create_key(Description=f"{alias} (reference account)")["KeyMetadata"]
    kms.create_alias(AliasName=f"alias/{alias}", TargetKeyId=key["KeyId"])
    if rotate:
        kms.enable_key_rotation(KeyId=key["KeyId"])
    return key["Arn"]


def _tokyo(seed: _Seed, audit_bucket_arn: str) -> dict:
    ec2, kms = seed.client("ec2"), seed.client("kms")
    _name_default_vpc(ec2)
    prod_key, legacy_key = _key(kms, "prod-data", True), _key(kms, "legacy", False)
    prod, (prod_a, prod_c), prod_acl = _vpc(ec2, "prod", "10.10.0.0/16", [("a", "10.10.1.0/24"), ("c", "10.10.2.0/24")], TOKYO)
    legacy, (legacy_a,), _ = _vpc(ec2, "legacy", "10.20.0.0/16", [("a", "10.20.1.0/24")], TOKYO)
    _restrict_acl(ec2, prod_acl, "10.10.0.0/16")
    quarantine = ec2.create_network_acl(VpcId=legacy, TagSpecifications=_spec("network-acl", "legacy-quarantine"))
    q = quarantine["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(NetworkAclId=q, RuleNumber=10, Protocol="-1", RuleAction="deny", Egress=False, CidrBlock=OPEN)
    ec2.create_network_acl_entry(NetworkAclId=q, RuleNumber=100, Protocol="-1", RuleAction="allow", Egress=False, CidrBlock=OPEN)
    # Routing and gateways: part of the VPC's evidence.
    igw = ec2.create_internet_gateway(TagSpecifications=_spec("internet-gateway", "prod-igw"))["InternetGateway"]
    ec2.attach_internet_gateway(InternetGatewayId=igw["InternetGatewayId"], VpcId=prod)
    rt = ec2.create_route_table(VpcId=prod, TagSpecifications=_spec("route-table", "prod-public"))["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock=OPEN, GatewayId=igw["InternetGatewayId"])
    ec2.associate_route_table(RouteTableId=rt, SubnetId=prod_a)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.create_nat_gateway(SubnetId=prod_a, AllocationId=eip, TagSpecifications=_spec("natgateway", "prod-nat"))
    peering = ec2.create_vpc_peering_connection(VpcId=prod, PeerVpcId=legacy)["VpcPeeringConnection"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=peering["VpcPeeringConnectionId"])
    ec2.create_flow_logs(ResourceIds=[prod], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3",
                         LogDestination=audit_bucket_arn)

    web_alb = _sg(ec2, prod, "web-alb", [_tcp(443, OPEN, "::/0"), _tcp(80, OPEN, "::/0")])
    app = _sg(ec2, prod, "app", [_tcp(22, "10.10.0.0/16"),
                                 {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": web_alb}]}])
    bastion = _sg(ec2, legacy, "bastion-open", [_tcp(22, OPEN), _tcp(3389, OPEN)])
    _sg(ec2, legacy, "db-open", [_tcp(5432, OPEN)])

    web_1 = _instance(ec2, "web-1", prod_a, app, prod_key, "required", USER_DATA_SECRET)
    legacy_1 = _instance(ec2, "legacy-1", legacy_a, bastion, None, "optional", USER_DATA_SECRET)
    ec2.modify_instance_attribute(InstanceId=legacy_1, SourceDestCheck={"Value": False})  # a hand-made NAT box
    app_data = ec2.create_volume(AvailabilityZone=f"{TOKYO}a", Size=100, Encrypted=True, KmsKeyId=prod_key,
                                 TagSpecifications=_spec("volume", "app-data"))["VolumeId"]
    # Backups (GM-BAK-002): the production volumes have a snapshot; the legacy ones none.
    _snapshot(ec2, app_data, "app-data-daily")
    _snapshot(ec2, _root_volume(ec2, "web-1"), "web-1-root-daily")
    ec2.create_volume(AvailabilityZone=f"{TOKYO}a", Size=100, TagSpecifications=_spec(
        "volume", "legacy-data", db_password=DB_PASSWORD, **{"deploy-note": f"uses key {TAGGED_ACCESS_KEY_ID}"}))
    ec2.enable_ebs_encryption_by_default()
    ec2.modify_ebs_default_kms_key_id(KmsKeyId=prod_key)
    seed.client("guardduty").create_detector(Enable=True)
    return {"prod": prod, "legacy": legacy, "prod_subnets": [prod_a, prod_c], "legacy_subnets": [legacy_a], "web_alb": web_alb,
            "prod_key": prod_key, "legacy_key": legacy_key, "instances": {"web-1": web_1, "legacy-1": legacy_1}}


def _databases(seed: _Seed, net: dict) -> None:
    rds = seed.client("rds")
    rds.create_db_parameter_group(DBParameterGroupName="prod-pg16", DBParameterGroupFamily="postgres16",
                                  Description="TLS 1.2+ only")
    rds.modify_db_parameter_group(DBParameterGroupName="prod-pg16", Parameters=[
        {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "pending-reboot"},
        {"ParameterName": "ssl_min_protocol_version", "ParameterValue": "TLSv1.2", "ApplyMethod": "pending-reboot"}])
    rds.create_db_parameter_group(DBParameterGroupName="legacy-mysql80", DBParameterGroupFamily="mysql8.0",
                                  Description="defaults kept")
    rds.modify_db_parameter_group(DBParameterGroupName="legacy-mysql80", Parameters=[
        {"ParameterName": "require_secure_transport", "ParameterValue": "OFF", "ApplyMethod": "immediate"}])
    common = {"DBInstanceClass": "db.t3.medium", "AllocatedStorage": 20, "MasterUsername": "admin_user",
              "MasterUserPassword": DB_PASSWORD}
    rds.create_db_instance(DBInstanceIdentifier="prod-db", Engine="postgres", EngineVersion="16.4", MultiAZ=True,
                           StorageEncrypted=True, KmsKeyId=net["prod_key"], PubliclyAccessible=False,
                           BackupRetentionPeriod=14, DBParameterGroupName="prod-pg16", **common)
    rds.create_db_instance(DBInstanceIdentifier="legacy-db", Engine="mysql", EngineVersion="8.0.39", MultiAZ=False,
                           AvailabilityZone=f"{TOKYO}a", StorageEncrypted=False, PubliclyAccessible=True,
                           BackupRetentionPeriod=1, DBParameterGroupName="legacy-mysql80", **common)


def _load_balancers(seed: _Seed, net: dict) -> None:
    elb = seed.client("elbv2")
    cert = seed.client("acm").request_certificate(DomainName="www.example.jp")["CertificateArn"]
    web = elb.create_load_balancer(Name="web", Subnets=net["prod_subnets"], SecurityGroups=[net["web_alb"]],
                                   Scheme="internet-facing", Type="application", Tags=_tags("web"))["LoadBalancers"][0]
    tg = elb.create_target_group(Name="web-app", Protocol="HTTP", Port=8080, VpcId=net["prod"])["TargetGroups"][0]
    forward = [{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}]
    net["web_target_group"] = tg["TargetGroupArn"]   # the web tier's auto scaling group joins it (GM-RES-003)
    elb.create_listener(LoadBalancerArn=web["LoadBalancerArn"], Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": cert}],
                        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06", DefaultActions=forward)
    elb.create_listener(LoadBalancerArn=web["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[
        {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])
    elb.create_listener(LoadBalancerArn=web["LoadBalancerArn"], Protocol="HTTP", Port=8080, DefaultActions=forward)
    nlb = elb.create_load_balancer(Name="legacy-nlb", Subnets=net["legacy_subnets"], Scheme="internet-facing",
                                   Type="network")["LoadBalancers"][0]
    tcp = elb.create_target_group(Name="legacy-tcp", Protocol="TCP", Port=443, VpcId=net["prod"])["TargetGroups"][0]
    net["legacy_target_group"] = tcp["TargetGroupArn"]   # the fixed-size group joins it (GM-RES-003)
    elb.create_listener(LoadBalancerArn=nlb["LoadBalancerArn"], Protocol="TLS", Port=443, Certificates=[{"CertificateArn": cert}],
                        SslPolicy="ELBSecurityPolicy-2016-08",
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": tcp["TargetGroupArn"]}])


def _clusters(seed: _Seed, net: dict) -> None:
    eks = seed.client("eks")
    role = f"arn:aws:iam::{ACCOUNT}:role/eks-cluster"
    for name, public, private, cidrs in (("prod-eks", False, True, None), ("legacy-eks", True, False, [OPEN]),
                                         ("ops-eks", True, True, ["203.0.113.0/24"])):
        vpc = {"subnetIds": net["prod_subnets"], "endpointPublicAccess": public, "endpointPrivateAccess": private}
        if cidrs:
            vpc["publicAccessCidrs"] = cidrs
        eks.create_cluster(name=name, roleArn=role, resourcesVpcConfig=vpc, tags={"Name": name})


def _capacity_and_monitoring(seed: _Seed, net: dict) -> None:
    """Twins for GM-CAP-001, GM-MON-001 and GM-NET-004: a web tier that scales on CPU
    within 2–6 instances, a legacy application group fixed at one instance with no scaling
    policy (FAIL) and a batch group parked at size 0 (NOT_EVALUATED); an alarm that pages the on-call
    topic and one that tells no one; the prod VPC's default security group emptied, the
    legacy VPC's admitting SSH from the peered prod network (every other default group keeps
    the rules AWS gives it, which admit only the group's own members)."""
    ec2, asg, cw = seed.client("ec2"), seed.client("autoscaling"), seed.client("cloudwatch")
    template = ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={
        "ImageId": "ami-0a1b2c3d4e5f60718", "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
    # Sized down to no running instance (the emulator would launch untagged ones whose own
    # results would vary by run; it accepts a desired capacity below the minimum, which AWS
    # does not); the limits and policies are what the checks read.
    for name, low, high, subnets in (("web-asg", 2, 6, net["prod_subnets"]), ("legacy-app", 1, 1, net["legacy_subnets"]),
                                     ("batch-fixed", 0, 0, net["legacy_subnets"])):
        asg.create_auto_scaling_group(AutoScalingGroupName=name, MinSize=low, MaxSize=high, DesiredCapacity=0,
                                      LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"},
                                      VPCZoneIdentifier=",".join(subnets), Tags=[
                                          {"Key": "Name", "Value": name, "PropagateAtLaunch": False}])
    asg.put_scaling_policy(AutoScalingGroupName="web-asg", PolicyName="web-cpu-50", PolicyType="TargetTrackingScaling",
                           TargetTrackingConfiguration={"TargetValue": 50.0, "PredefinedMetricSpecification": {
                               "PredefinedMetricType": "ASGAverageCPUUtilization"}})
    topic = seed.client("sns").create_topic(Name="ops-oncall")["TopicArn"]
    common = {"Namespace": "AWS/EC2", "Statistic": "Average", "Period": 300, "EvaluationPeriods": 2,
              "ComparisonOperator": "GreaterThanThreshold"}
    cw.put_metric_alarm(AlarmName="web-cpu-high", MetricName="CPUUtilization", Threshold=80.0, AlarmActions=[topic],
                        Dimensions=[{"Name": "AutoScalingGroupName", "Value": "web-asg"}], **common)
    cw.put_metric_alarm(AlarmName="legacy-status-check", MetricName="StatusCheckFailed", Threshold=0.0, **common)
    default = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [net["prod"]]},
                                                    {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
    if default["IpPermissions"]:
        ec2.revoke_security_group_ingress(GroupId=default["GroupId"], IpPermissions=default["IpPermissions"])
    if default["IpPermissionsEgress"]:
        ec2.revoke_security_group_egress(GroupId=default["GroupId"], IpPermissions=default["IpPermissionsEgress"])
    legacy_default = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [net["legacy"]]},
                                                           {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
    ec2.authorize_security_group_ingress(GroupId=legacy_default["GroupId"], IpPermissions=[_tcp(22, "10.10.0.0/16")])


def _load_distribution(seed: _Seed, net: dict) -> None:
    """Twins for GM-RES-003: the web tier (at least two instances) joins the web load
    balancer's target group; the legacy application group, fixed at one instance, joins the
    legacy NLB's — a load-balanced group that is not redundant (FAIL) — and so does the batch
    group parked at size 0, which can run nothing to spread load over (NOT_EVALUATED)."""
    asg = seed.client("autoscaling")
    asg.attach_load_balancer_target_groups(AutoScalingGroupName="web-asg", TargetGroupARNs=[net["web_target_group"]])
    for name in ("legacy-app", "batch-fixed"):
        asg.attach_load_balancer_target_groups(AutoScalingGroupName=name, TargetGroupARNs=[net["legacy_target_group"]])


def _web_application_firewalls(seed: _Seed, net: dict) -> None:
    """Twins for GM-NET-005 and GM-LOG-003 (ops2): the web ALB behind a web ACL that logs to
    CloudWatch Logs, a second internet-facing ALB (promo) with no WAF in front, an internal
    staging ALB behind a web ACL that logs nothing, and a spare web ACL associated with nothing
    (legacy-nlb, a Network Load Balancer, cannot carry a web ACL)."""
    elb, waf = seed.client("elbv2"), seed.client("wafv2")
    web = elb.describe_load_balancers(Names=["web"])["LoadBalancers"][0]["LoadBalancerArn"]
    elb.create_load_balancer(Name="promo", Subnets=net["prod_subnets"], SecurityGroups=[net["web_alb"]],
                             Scheme="internet-facing", Type="application", Tags=_tags("promo"))
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True}
    acls = {name: waf.create_web_acl(Name=name, Scope="REGIONAL", DefaultAction={"Allow": {}}, Rules=[],
                                     VisibilityConfig={**visibility, "MetricName": name})["Summary"]["ARN"]
            for name in ("web-waf", "staging-waf", "spare-waf")}
    waf.associate_web_acl(WebACLArn=acls["web-waf"], ResourceArn=web)
    staging = elb.create_load_balancer(Name="staging", Subnets=net["prod_subnets"], SecurityGroups=[net["web_alb"]],
                                       Scheme="internal", Type="application", Tags=_tags("staging"))
    waf.associate_web_acl(WebACLArn=acls["staging-waf"], ResourceArn=staging["LoadBalancers"][0]["LoadBalancerArn"])
    group = "aws-waf-logs-web"
    seed.client("logs").create_log_group(logGroupName=group)
    waf.put_logging_configuration(LoggingConfiguration={
        "ResourceArn": acls["web-waf"], "LogDestinationConfigs": [f"arn:aws:logs:{TOKYO}:{ACCOUNT}:log-group:{group}"]})


def _quota_alarms(seed: _Seed) -> None:
    """Twins for GM-CAP-002 (ops2): Tokyo alarms at 80% of its On-Demand vCPU quota, as the
    Service Quotas console creates it (usage over SERVICE_QUOTA), paging the on-call topic;
    Osaka watches no quota."""
    topic = seed.client("sns").create_topic(Name="ops-oncall")["TopicArn"]
    usage = {"Namespace": "AWS/Usage", "MetricName": "ResourceCount", "Dimensions": [
        {"Name": "Service", "Value": "EC2"}, {"Name": "Resource", "Value": "vCPU"}, {"Name": "Type", "Value": "Resource"},
        {"Name": "Class", "Value": "Standard/OnDemand"}]}
    seed.client("cloudwatch").put_metric_alarm(
        AlarmName="ec2-vcpu-quota-80", AlarmActions=[topic], EvaluationPeriods=1, Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold", Metrics=[
            {"Id": "usage", "MetricStat": {"Metric": usage, "Period": 300, "Stat": "Maximum"}, "ReturnData": False},
            {"Id": "percent", "Expression": "(usage/SERVICE_QUOTA(usage))*100", "ReturnData": True}])


def _osaka(seed: _Seed, audit_bucket_arn: str) -> None:
    ec2 = seed.client("ec2", OSAKA)
    _name_default_vpc(ec2)
    dr_key = _key(seed.client("kms", OSAKA), "dr", True)
    dr, (dr_a, dr_b), dr_acl = _vpc(ec2, "dr", "10.30.0.0/16", [("a", "10.30.1.0/24"), ("b", "10.30.2.0/24")], OSAKA)
    # One NAT gateway per zone (GM-RES-002 PASS), where Tokyo's prod VPC has a single one.
    for subnet, az in ((dr_a, "a"), (dr_b, "b")):
        eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
        ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eip, TagSpecifications=_spec("natgateway", f"dr-nat-{az}"))
    _restrict_acl(ec2, dr_acl, "10.30.0.0/16")
    ec2.create_flow_logs(ResourceIds=[dr], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3",
                         LogDestination=audit_bucket_arn)
    _sg(ec2, dr, "dr-ssh-world", [_tcp(22, "::/0")])
    dr_app = _sg(ec2, dr, "dr-app", [_tcp(443, OPEN)])
    _instance(ec2, "dr-standby", dr_a, dr_app, dr_key, "required")
    dr_data = ec2.create_volume(AvailabilityZone=f"{OSAKA}a", Size=50, Encrypted=True, KmsKeyId=dr_key,
                                TagSpecifications=_spec("volume", "dr-data"))["VolumeId"]
    _snapshot(ec2, dr_data, "dr-data-daily")
    _snapshot(ec2, _root_volume(ec2, "dr-standby"), "dr-standby-root-daily")
    ec2.create_volume(AvailabilityZone=f"{OSAKA}a", Size=50,
                      TagSpecifications=_spec("volume", "dr-scratch", env="dev", waiver="EXC-2026-101"))
    # EBS encryption by default stays off in Osaka; GuardDuty is set up but suspended.
    seed.client("guardduty", OSAKA).create_detector(Enable=False)


# The tag declaring a bucket in disaster-recovery scope (policies/params.yaml dr_scope_tag).
DR_SCOPE = {"Key": "genmei-dr", "Value": "required"}


def _buckets(seed: _Seed, keys: dict) -> str:
    s3 = seed.client("s3")
    deny_plaintext = {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    audit = "genmei-ref-audit-logs"
    s3.create_bucket(Bucket=audit, CreateBucketConfiguration={"LocationConstraint": TOKYO})
    s3.put_bucket_encryption(Bucket=audit, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
        "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": keys["prod_key"]}}]})
    s3.put_public_access_block(Bucket=audit, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_policy(Bucket=audit, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {**deny_plaintext, "Resource": [f"arn:aws:s3:::{audit}", f"arn:aws:s3:::{audit}/*"]}]}))
    s3.put_bucket_tagging(Bucket=audit, Tagging={"TagSet": [{"Key": "purpose", "Value": "audit"}]})
    # Public web assets: a public-read ACL, no policy. (On AWS the bucket would still get
    # SSE-S3 by default, and genmei reads moto's "no configuration" as that.)
    assets = "genmei-ref-public-assets"
    s3.create_bucket(Bucket=assets, CreateBucketConfiguration={"LocationConstraint": TOKYO})
    s3.put_bucket_acl(Bucket=assets, ACL="public-read")
    # …declared in DR scope, but copied nowhere (GM-DR-001 FAIL).
    s3.put_bucket_tagging(Bucket=assets, Tagging={"TagSet": [DR_SCOPE]})
    # DR backups in Osaka: SSE-S3, but a policy that lets anyone read.
    backup = "genmei-ref-dr-backup"
    s3o = seed.client("s3", OSAKA)
    s3o.create_bucket(Bucket=backup, CreateBucketConfiguration={"LocationConstraint": OSAKA})
    s3o.put_bucket_encryption(Bucket=backup, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
        "SSEAlgorithm": "AES256"}}]})
    s3o.put_bucket_policy(Bucket=backup, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{backup}/*"}]}))
    # …and versioned with no rule deleting old versions: deleted backups stay for ever (GM-DEL-001 FAIL).
    s3o.put_bucket_versioning(Bucket=backup, VersioningConfiguration={"Status": "Enabled"})
    _replicated_pair(s3, s3o, deny_plaintext)
    return f"arn:aws:s3:::{audit}"


def _replicated_pair(s3, s3o, deny_plaintext) -> None:
    """Order data in Tokyo, declared in DR scope and replicated whole to Osaka (GM-DR-001 PASS
    for both: each is the other region's copy), versioned with previous versions deleted after 90 days
    (GM-DEL-001 PASS); private and TLS-only like the audit logs."""
    expire_old_versions = {"Rules": [{"ID": "old-versions", "Status": "Enabled", "Filter": {"Prefix": ""},
                                      "NoncurrentVersionExpiration": {"NoncurrentDays": 90}}]}
    for client, name, region in ((s3, "genmei-ref-orders", TOKYO), (s3o, "genmei-ref-orders-replica", OSAKA)):
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
        client.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        client.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {**deny_plaintext, "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]}]}))
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        client.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration=expire_old_versions)
    s3.put_bucket_replication(Bucket="genmei-ref-orders", ReplicationConfiguration={
        "Role": f"arn:aws:iam::{ACCOUNT}:role/s3-replication",
        "Rules": [{"ID": "to-osaka", "Status": "Enabled", "Priority": 1, "Filter": {"Prefix": ""},
                   "DeleteMarkerReplication": {"Status": "Enabled"},
                   "Destination": {"Bucket": "arn:aws:s3:::genmei-ref-orders-replica"}}]})
    s3.put_bucket_tagging(Bucket="genmei-ref-orders", Tagging={"TagSet": [DR_SCOPE]})


def _identity(seed: _Seed) -> None:
    iam = seed.client("iam")
    for user, console, mfa, key in (("alice", True, True, False), ("bob", True, False, False), ("ci-deploy", False, False, True)):
        iam.create_user(UserName=user, Tags=[{"Key": "team", "Value": "platform"}])
        if console:
            iam.create_login_profile(UserName=user, Password=CONSOLE_PASSWORD)
        if mfa:
            serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=user)["VirtualMFADevice"]["SerialNumber"]
            iam.enable_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321")
        if key:
            seed.out.secrets.append(iam.create_access_key(UserName=user)["AccessKey"]["SecretAccessKey"])


def _trails(seed: _Seed) -> None:
    trail = seed.client("cloudtrail")
    trail.create_trail(Name="org-audit", S3BucketName="genmei-ref-audit-logs", IsMultiRegionTrail=True,
                       EnableLogFileValidation=True)
    trail.start_logging(Name="org-audit")
    seed.client("cloudtrail", OSAKA).create_trail(Name="osaka-local", S3BucketName="genmei-ref-audit-logs")


# --- vulnerability management and configuration recording (vuln) ---------------------

def _finding(n: int, instance: str, severity: str, days_old: int, cve: str, package: str, kind="PACKAGE_VULNERABILITY") -> dict:
    """An Inspector finding as ListFindings returns it (times in epoch seconds), first
    observed `days_old` days before now."""
    import time

    first = int(time.time()) - days_old * 86400
    return {"findingArn": f"arn:aws:inspector2:{TOKYO}:{ACCOUNT}:finding/{n:032x}", "awsAccountId": ACCOUNT, "type": kind,
            "title": f"{cve} - {package}", "description": f"{cve} in {package} (reference account)", "severity": severity,
            "status": "ACTIVE", "firstObservedAt": first, "lastObservedAt": int(time.time()), "updatedAt": int(time.time()),
            "remediation": {"recommendation": {"text": f"Update {package}"}},
            "resources": [{"type": "AWS_EC2_INSTANCE", "id": instance, "partition": "aws", "region": TOKYO}],
            "packageVulnerabilityDetails": {"vulnerabilityId": cve, "source": "NVD",
                                            "vulnerablePackages": [{"name": package, "version": "0"}]},
            "fixAvailable": "YES"}


def _vulnerability_management(seed: _Seed, instances: dict) -> None:
    """Tokyo: Inspector scans EC2; web-1 has findings within their SLA, legacy-1 a critical
    and a high one long overdue (and a network-reachability finding, not a software one).
    Osaka: Inspector is off. AWS Config records every type in Tokyo, only instances in
    Osaka. (Systems Manager's patch compliance and inventory are not emulated by moto:
    the demo shows them as a gap, and tests/test_aws_vulnerability.py covers them.)"""
    import urllib.request

    seed.client("inspector2").enable(accountIds=[ACCOUNT], resourceTypes=["EC2", "ECR"])
    seed.client("inspector2", OSAKA).disable(accountIds=[ACCOUNT], resourceTypes=["EC2", "ECR", "LAMBDA"])
    web, legacy = instances["web-1"], instances["legacy-1"]
    found = [_finding(1, web, "HIGH", 5, "CVE-2026-0001", "openssl"), _finding(2, web, "MEDIUM", 200, "CVE-2025-0002", "curl"),
             _finding(3, legacy, "CRITICAL", 45, "CVE-2024-6387", "openssh"), _finding(4, legacy, "HIGH", 40, "CVE-2025-0004", "glibc"),
             _finding(5, legacy, "MEDIUM", 10, "-", "port 22", kind="NETWORK_REACHABILITY")]
    body = json.dumps({"results": [found], "account_id": ACCOUNT, "region": TOKYO}).encode()
    req = urllib.request.Request(f"{seed.endpoint}/moto-api/static/inspector2/findings-results", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30):
        pass
    for region, group in ((TOKYO, {"allSupported": True, "includeGlobalResourceTypes": True}),
                          (OSAKA, {"allSupported": False, "includeGlobalResourceTypes": False,
                                   "resourceTypes": ["AWS::EC2::Instance"]})):
        config = seed.client("config", region)
        config.put_configuration_recorder(ConfigurationRecorder={
            "name": "default", "roleARN": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
            "recordingGroup": group})
        config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "genmei-ref-audit-logs"})
        config.start_configuration_recorder(ConfigurationRecorderName="default")


def _site_to_site_vpn(seed: _Seed, net: dict) -> None:
    """GM-VPN-001 (more): a VPN connection from the prod VPC's gateway to the head office.
    moto reports no tunnel telemetry (VgwTelemetry), so the demo shows it NOT_EVALUATED,
    saying why; the PASS and FAIL of both tunnels up or one are in tests/test_vpn_redundancy.py
    (recorded response shapes). Its customer gateway configuration holds pre-shared keys,
    which the reader drops (tests/test_aws_reference.py checks no secret is kept)."""
    ec2 = seed.client("ec2")
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65000,
                                      TagSpecifications=_spec("customer-gateway", "head-office"))["CustomerGateway"]["CustomerGatewayId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1", TagSpecifications=_spec("vpn-gateway", "prod-vgw"))["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpcId=net["prod"], VpnGatewayId=vgw)
    ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw,
                              TagSpecifications=_spec("vpn-connection", "head-office-vpn"))


def seed(endpoint: str) -> Seeded:
    """Seed the reference account into the moto server at `endpoint` (loopback only)."""
    s = _Seed(endpoint)
    keys = {"prod_key": _key(s.client("kms"), "audit-logs", True)}
    audit_bucket = _buckets(s, keys)
    net = _tokyo(s, audit_bucket)
    _databases(s, net)
    _load_balancers(s, net)
    _clusters(s, net)
    _capacity_and_monitoring(s, net)
    _load_distribution(s, net)
    _web_application_firewalls(s, net)
    _quota_alarms(s)
    _osaka(s, audit_bucket)
    _vulnerability_management(s, net["instances"])
    _site_to_site_vpn(s, net)
    _identity(s)
    _trails(s)
    return s.out


@contextlib.contextmanager
def moto_server():
    """A moto server on 127.0.0.1 (a free port), quiet, without moto's ~1,300 default AMIs."""
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    from moto.server import ThreadedMotoServer

    # CRITICAL: an operation moto does not implement (Systems Manager compliance) is a 500
    # whose traceback werkzeug would log; genmei records it as a gap.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def scan_environment(endpoint: str, environ=None) -> dict:
    """A copy of the environment in which `genmei scan aws` reads the local server and
    nothing else: its endpoint, dummy credentials, no AWS profile or config of the user's."""
    refuse_unless_loopback(endpoint)
    env = {k: v for k, v in (os.environ if environ is None else environ).items()
           if k not in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")}
    env.update({"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": TOKYO, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                "AWS_EC2_METADATA_DISABLED": "true"})
    return env


HERE = os.path.dirname(os.path.abspath(__file__))
DEMO_ARGS = ("--regions", ",".join(REGIONS), "--fail-on", "none",
             "--attestations", os.path.join(HERE, "..", "..", "mappings", "examples", "attestations.yaml"),
             "--exceptions", os.path.join(HERE, "reference-exceptions.yaml"))


def demo_scan(endpoint: str, out, *extra: str, env: dict | None = None, capture: bool = False):
    """`genmei scan aws` over the reference account at `endpoint`, exactly as `make demo`
    runs it, in a child process with scan_environment() (plus `env`)."""
    return subprocess.run([sys.executable, "-m", "genmei.engine.cli", "scan", "aws", *DEMO_ARGS, "--out", str(out), *extra],
                          env={**scan_environment(endpoint), **(env or {})}, capture_output=capture, text=True,
                          timeout=600, check=False)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m genmei.collectors.aws.reference_account",
                                description="Seed the reference account into a local moto server and scan it with `genmei scan aws`.")
    p.add_argument("--out", default="out/demo", help="evidence directory (default: out/demo)")
    p.add_argument("--store", help="scan history to record the run in (default: genmei's own default)")
    p.add_argument("--serve", action="store_true", help="after the scan, keep the server running until Ctrl-C")
    args = p.parse_args(argv)
    with moto_server() as endpoint:
        seed(endpoint)
        code = demo_scan(endpoint, args.out, *(["--store", args.store] if args.store else [])).returncode
        if args.serve:
            print(f"reference account served at {endpoint} (AWS_ENDPOINT_URL); Ctrl-C to stop", file=sys.stderr)
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
    return code


if __name__ == "__main__":
    sys.exit(main())
