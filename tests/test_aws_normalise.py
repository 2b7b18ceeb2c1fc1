"""The AWS normalisers on API-shaped input for the cases the reference account cannot show
(moto lacks them) or that need every branch: rule ordering, public access through the
account block, TLS from policies and parameters, standby zones, trails, detectors, keys,
and redaction."""

import json

import pytest

from genmei.collectors.aws import redact
from genmei.collectors.aws.model import AccountRaw
from genmei.collectors.aws.normalise import account, ec2, elbv2, normalise, rds, s3

ACCOUNT, REGION = "123456789012", "ap-northeast-1"
NONE = {"Error": {"Code": "NoSuchPublicAccessBlockConfiguration", "Message": ""}}
FULL_BLOCK = {"PublicAccessBlockConfiguration": {k: True for k in (
    "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")}}


def only(resources, type_):
    [r] = [r for r in resources if r["type"] == type_]
    return r


def test_network_acl_rules_keep_their_order_and_protocol_names():
    acl = {"NetworkAclId": "acl-1", "Entries": [
        {"RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": False, "CidrBlock": "0.0.0.0/0",
         "PortRange": {"From": 22, "To": 22}},
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": False, "Ipv6CidrBlock": "::/0"},
        {"RuleNumber": 110, "Protocol": "17", "RuleAction": "allow", "Egress": True, "CidrBlock": "10.0.0.0/8",
         "PortRange": {"From": 53, "To": 53}},
        {"RuleNumber": 120, "Protocol": "1", "RuleAction": "allow", "Egress": False, "CidrBlock": "0.0.0.0/0",
         "IcmpTypeCode": {"Type": -1, "Code": -1}},
        {"RuleNumber": 130, "Protocol": "50", "RuleAction": "allow", "Egress": False, "CidrBlock": "0.0.0.0/0"}]}
    assert ec2.nacl_rules(acl) == [
        {"direction": "ingress", "action": "deny", "protocol": "tcp", "port_ranges": [{"from": 22, "to": 22}],
         "sources": ["0.0.0.0/0"], "priority": 90},
        {"direction": "ingress", "action": "allow", "protocol": "all", "port_ranges": [], "sources": ["::/0"], "priority": 100},
        {"direction": "egress", "action": "allow", "protocol": "udp", "port_ranges": [{"from": 53, "to": 53}],
         "sources": ["10.0.0.0/8"], "priority": 110},
        {"direction": "ingress", "action": "allow", "protocol": "icmp", "port_ranges": [], "sources": ["0.0.0.0/0"], "priority": 120},
        {"direction": "ingress", "action": "allow", "protocol": "50", "port_ranges": [], "sources": ["0.0.0.0/0"], "priority": 130}]


def test_security_group_sources_of_every_kind():
    rules = ec2.sg_rules({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535,
                                             "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
                                             "PrefixListIds": [{"PrefixListId": "pl-1"}], "UserIdGroupPairs": [{"GroupId": "sg-2"}]}],
                          "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]})
    assert rules == [
        {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": 0, "to": 65535}],
         "sources": ["0.0.0.0/0", "::/0", "pl-1", "sg-2"]},
        {"direction": "egress", "action": "allow", "protocol": "all", "port_ranges": [], "sources": ["0.0.0.0/0"]}]


def test_instance_addresses_interfaces_and_imds():
    i = {"InstanceId": "i-1", "State": {"Name": "running"}, "SourceDestCheck": True, "SubnetId": "subnet-1",
         "Placement": {"AvailabilityZone": "ap-northeast-1a"}, "PublicIpAddress": "203.0.113.1",
         "SecurityGroups": [{"GroupId": "sg-1"}], "MetadataOptions": {"HttpTokens": "optional"},
         "NetworkInterfaces": [{"SourceDestCheck": False, "Groups": [{"GroupId": "sg-2"}],
                                "Association": {"PublicIp": "203.0.113.1"},
                                "PrivateIpAddresses": [{"Association": {"PublicIp": "203.0.113.2"}}],
                                "Ipv6Addresses": [{"Ipv6Address": "2001:db8::1"}]}]}
    gone = {"InstanceId": "i-2", "State": {"Name": "terminated"}}
    acct = AccountRaw(ACCOUNT, regions={REGION: {"ec2:DescribeInstances": [{"Instances": [i, gone]}]}})
    r = only(normalise(acct), "compute.instance")
    assert r["attrs"] == {"public_ips": ["2001:db8::1", "203.0.113.1", "203.0.113.2"], "anti_spoofing": False,
                          "imds_v2_required": False, "subnet": "subnet-1",
                          "firewalls": [f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-1",
                                        f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-2"]}
    assert r["zones"] == ["ap-northeast-1a"]


def test_vpc_flow_logs_on_every_subnet_count_and_unknowns_stay_unknown():
    subnets = [{"SubnetId": "s-a", "VpcId": "vpc-1", "AvailabilityZone": "a"}, {"SubnetId": "s-c", "VpcId": "vpc-1", "AvailabilityZone": "c"}]
    active = [{"ResourceId": "s-a", "FlowLogStatus": "ACTIVE"}, {"ResourceId": "s-c", "FlowLogStatus": "ACTIVE"}]
    assert ec2.flow_logs_enabled("vpc-1", subnets, active) is True
    assert ec2.flow_logs_enabled("vpc-1", subnets, active[:1]) is False
    assert ec2.flow_logs_enabled("vpc-1", subnets, None) is None
    vpc = only(normalise(AccountRaw(ACCOUNT, regions={REGION: {"ec2:DescribeVpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}})),
               "network.vpc")
    assert vpc["zones"] is None and vpc["attrs"] == {"cidr": "10.0.0.0/16", "subnets": None, "flow_logs_enabled": None,
                                                     "peerings": None}


def test_peering_names_the_other_side_across_accounts_and_regions():
    conn = [{"Status": {"Code": "active"}, "RequesterVpcInfo": {"VpcId": "vpc-1", "OwnerId": ACCOUNT, "Region": REGION},
             "AccepterVpcInfo": {"VpcId": "vpc-9", "OwnerId": "999999999999", "Region": "us-east-1"}},
            {"Status": {"Code": "deleted"}, "RequesterVpcInfo": {"VpcId": "vpc-1"}, "AccepterVpcInfo": {"VpcId": "vpc-8"}}]
    acct = AccountRaw(ACCOUNT)
    assert ec2.peerings(acct, REGION, "vpc-1", conn) == ["arn:aws:ec2:us-east-1:999999999999:vpc/vpc-9"]
    assert ec2.peerings(acct, REGION, "vpc-9", conn) == [f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/vpc-1"]


@pytest.mark.parametrize("bucket_pab, account_pab, policy_public, acl_public, expected", [
    (NONE, NONE, True, False, (True, ["policy"])),
    (NONE, FULL_BLOCK, True, True, (False, [])),  # the account's block overrides the bucket's
    (FULL_BLOCK, None, True, True, (False, [])),  # fully blocked on the bucket: account unknown does not matter
    (NONE, None, True, False, (None, None)),  # account block unreadable: unknown, never "not public"
    (NONE, NONE, False, True, (True, ["acl"])),
    (NONE, NONE, False, False, (False, [])),
])
def test_bucket_public_after_the_blocks(bucket_pab, account_pab, policy_public, acl_public, expected):
    policy = {"Policy": "{}"}
    status = {"PolicyStatus": {"IsPublic": policy_public}}
    grants = [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]
    acl = {"Grants": grants if acl_public else []}
    assert s3.public_access(policy, status, acl, bucket_pab, account_pab) == expected


@pytest.mark.parametrize("statement, enforced", [
    ({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, True),
    ({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": ["s3:*"], "Condition": {"Bool": {"aws:securetransport": False}}}, True),
    ({"Effect": "Deny", "Principal": "*", "Action": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": ["false"]}}}, True),
    ({"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, False),
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}, False),
    ({"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*",
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, False),
])
def test_bucket_policy_refusing_plaintext(statement, enforced):
    assert s3.denies_plaintext({"Statement": [statement]}) is enforced
    assert s3.denies_plaintext({"Statement": statement}) is enforced  # a lone statement object


def test_bucket_keys_and_the_no_encryption_answer():
    assert s3.default_encryption({"Error": {"Code": "ServerSideEncryptionConfigurationNotFoundError"}}) == (False, None)
    acct = AccountRaw(ACCOUNT, regions={REGION: {}})
    assert s3.bucket_key_type(acct, REGION, {"SSEAlgorithm": "aws:kms"}) == "provider"
    assert s3.bucket_key_type(acct, REGION, {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/aws/s3"}) == "provider"
    assert s3.bucket_key_type(acct, REGION, {"SSEAlgorithm": "aws:kms",
                                             "KMSMasterKeyID": "arn:aws:kms:ap-northeast-1:999999999999:key/k"}) == "customer"
    assert s3.bucket_key_type(acct, REGION, {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/mine"}) is None


def test_customer_keys_only_and_rotation_where_aws_can_rotate():
    def meta(key_id, manager, spec="SYMMETRIC_DEFAULT"):
        return {"KeyMetadata": {"KeyId": key_id, "KeyManager": manager, "KeySpec": spec, "KeyState": "Enabled"}}
    raw = {"kms:ListKeys": [{"KeyId": k, "KeyArn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{k}"} for k in ("aws", "cmk", "rsa", "hidden")],
           "kms:DescribeKey": {"aws": meta("aws", "AWS"), "cmk": meta("cmk", "CUSTOMER"), "rsa": meta("rsa", "CUSTOMER", "RSA_2048")},
           "kms:GetKeyRotationStatus": {"cmk": {"KeyRotationEnabled": True, "RotationPeriodInDays": 365}},
           "kms:ListAliases": [{"AliasName": "alias/app", "TargetKeyId": "cmk"}]}
    keys = {r["name"]: r["attrs"] for r in normalise(AccountRaw(ACCOUNT, regions={REGION: raw}))}
    assert keys == {
        "app": {"managed_by": "customer", "enabled": True, "rotation_enabled": True, "rotation_period_days": 365},
        "rsa": {"managed_by": "customer", "enabled": True, "rotation_enabled": False, "rotation_period_days": None},
        # DescribeKey denied: it may be a customer key, so it is listed, unknown
        "hidden": {"managed_by": None, "enabled": None, "rotation_enabled": None, "rotation_period_days": None}}


def test_database_tls_from_parameters_per_engine():
    def params(**kv):
        return [{"ParameterName": k.replace("_dot_", "."), "ParameterValue": v} for k, v in kv.items()]
    assert rds.db_tls("postgres", params(rds_dot_force_ssl="1", ssl_min_protocol_version="TLSv1.3"))[0] == {
        "enforced": True, "min_version": "1.3"}
    assert rds.db_tls("mysql", params(require_secure_transport="ON", tls_version="TLSv1.2,TLSv1.1"))[0] == {
        "enforced": True, "min_version": "1.1"}
    assert rds.db_tls("aurora-mysql", params(require_secure_transport="0"))[0] == {"enforced": False, "min_version": None}
    assert rds.db_tls("postgres", params(ssl_min_protocol_version="TLSv1.2"))[0] is None  # force_ssl not in the group read
    assert rds.db_tls("oracle-ee", params(rds_dot_force_ssl="1"))[0] is None
    assert rds.db_tls("postgres", None)[0] is None


def test_database_zones_with_the_standby_as_aws_reports_it():
    assert rds.zones({"AvailabilityZone": "a", "MultiAZ": True, "SecondaryAvailabilityZone": "c"}) == ["a", "c"]
    assert rds.zones({"AvailabilityZone": "a", "MultiAZ": True}) is None
    assert rds.zones({"AvailabilityZone": "a", "MultiAZ": False}) == ["a"]


def test_http_listener_redirecting_to_https_takes_its_target_policy():
    https = {"Protocol": "HTTPS", "Port": 443, "SslPolicy": "p"}
    redirect = {"Protocol": "HTTP", "Port": 80, "DefaultActions": [
        {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]}
    to_http = {"Protocol": "HTTP", "Port": 81, "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTP"}}]}
    policies = {"p": {"SslProtocols": ["TLSv1.3", "TLSv1.2"]}}
    assert elbv2.listener_tls(redirect, [https, redirect], policies) == {"enforced": True, "min_version": "1.2", "policy": "p"}
    assert elbv2.listener_tls(redirect, [redirect], policies) == {"enforced": True, "min_version": None, "policy": None}
    assert elbv2.listener_tls(to_http, [to_http], policies)["enforced"] is False
    assert elbv2.listener_tls({"Protocol": "TCP", "Port": 443}, [], policies)["enforced"] is False
    assert elbv2.listener_tls({"Protocol": "TLS", "Port": 443, "SslPolicy": "old"}, [], {"old": {"SslProtocols": ["TLSv1", "TLSv1.2"]}}) == {
        "enforced": True, "min_version": "1.0", "policy": "old"}


def test_audit_log_needs_a_logging_multi_region_trail():
    t = [{"Name": "all", "TrailARN": "arn:t/all", "IsMultiRegionTrail": True, "LogFileValidationEnabled": False},
         {"Name": "one", "TrailARN": "arn:t/one", "IsMultiRegionTrail": False, "LogFileValidationEnabled": True}]
    assert account.audit_log(t, {"arn:t/all": {"IsLogging": True}, "arn:t/one": {"IsLogging": True}}) == {
        "all_regions": True, "integrity_validation": False, "trails": ["all", "one"]}
    assert account.audit_log(t, {"arn:t/all": {"IsLogging": False}})["all_regions"] is False
    assert account.audit_log(t, {}) == {"all_regions": None, "integrity_validation": None, "trails": ["all", "one"]}
    assert account.audit_log([], {}) == {"all_regions": False, "integrity_validation": False, "trails": []}
    assert account.audit_log(None, {}) is None


def test_threat_detection_is_unknown_while_a_detector_could_be_on():
    assert account.threat_detection([], {}) is False
    assert account.threat_detection(["d1", "d2"], {"d1": {"Status": "DISABLED"}}) is None
    assert account.threat_detection(["d1", "d2"], {"d1": {"Status": "DISABLED"}, "d2": {"Status": "ENABLED"}}) is True
    assert account.threat_detection(None, {}) is None


def test_a_region_with_nothing_read_has_no_region_resource():
    acct = AccountRaw(ACCOUNT, regions={REGION: {}, "ap-northeast-3": {"guardduty:ListDetectors": []}})
    [r] = normalise(acct)
    assert r["id"] == f"{ACCOUNT}/ap-northeast-3" and r["attrs"] == {"threat_detection_enabled": False,
                                                                      "default_disk_encryption": None}


def test_redaction_removes_secrets_wherever_they_are():
    import datetime

    raw = {"UserData": "c2VjcmV0", "ResponseMetadata": {"RequestId": "x"}, "NextToken": "t",
           "Nested": [{"MasterUserPassword": "p", "password_enabled": "true", "PasswordLastUsed": "2026-01-01"}],
           "Lambda": {"Environment": {"Variables": {"DB_PASSWORD": "p"}}}, "Message": "key AKIAIOSFODNN7EXAMPLE used",
           "When": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), "Blob": b"\x00"}
    out = redact.clean(raw)
    assert out == {"UserData": redact.REDACTED, "Nested": [{"MasterUserPassword": redact.REDACTED, "password_enabled": "true",
                                                             "PasswordLastUsed": "2026-01-01"}],
                   "Lambda": {"Environment": redact.REDACTED}, "Message": "key AKIA… used",
                   "When": "2026-01-02T03:04:05+00:00", "Blob": redact.REDACTED}
    json.dumps(out)
