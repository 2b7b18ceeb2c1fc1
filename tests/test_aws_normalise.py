"""The AWS normalisers on API-shaped input for the cases the reference account cannot show
(moto lacks them) or that need every branch: rule ordering, public access through the
account block, TLS from policies and parameters, standby zones, trails, detectors and
keys. (Redaction and the shared builders: tests/test_canonical.py.)"""


import pytest

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
        # ESP has no ports: the rule exposes none (the checks treat it as portless)
        {"direction": "ingress", "action": "allow", "protocol": "esp", "port_ranges": [], "sources": ["0.0.0.0/0"], "priority": 130}]


def test_security_group_sources_of_every_kind():
    rules = ec2.sg_rules({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535,
                                             "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
                                             "PrefixListIds": [{"PrefixListId": "pl-1"}], "UserIdGroupPairs": [{"GroupId": "sg-2"}]}],
                          "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]})
    assert rules == [  # 0-65535 is every port: written as such
        {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [],
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
    assert vpc["zones"] is None and vpc["attrs"] == {   # the rest not collected, saying why where a collector can
        "cidr": "10.0.0.0/16", "not_collected": {"default_firewall_rules": "the security groups were not read"}}


def test_peering_names_the_other_side_across_accounts_and_regions():
    conn = [{"Status": {"Code": "active"}, "RequesterVpcInfo": {"VpcId": "vpc-1", "OwnerId": ACCOUNT, "Region": REGION},
             "AccepterVpcInfo": {"VpcId": "vpc-9", "OwnerId": "999999999999", "Region": "us-east-1"}},
            {"Status": {"Code": "deleted"}, "RequesterVpcInfo": {"VpcId": "vpc-1"}, "AccepterVpcInfo": {"VpcId": "vpc-8"}}]
    acct = AccountRaw(ACCOUNT)
    assert ec2.peerings(acct, REGION, "vpc-1", conn) == ["arn:aws:ec2:us-east-1:999999999999:vpc/vpc-9"]
    assert ec2.peerings(acct, REGION, "vpc-9", conn) == [f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/vpc-1"]


@pytest.mark.parametrize("bucket_pab, account_pab, policy_public, acl_public, expected", [
    (NONE, NONE, True, False, (True, ["bucket policy (AWS policy status: public)"])),
    (NONE, FULL_BLOCK, True, True, (False, [])),  # the account's block overrides the bucket's
    (FULL_BLOCK, None, True, True, (False, [])),  # fully blocked on the bucket: account unknown does not matter
    (NONE, None, True, False, (None, None)),  # account block unreadable: unknown, never "not public"
    (NONE, NONE, False, True, (True, ["ACL grant to AllUsers"])),
    (NONE, NONE, False, False, (False, [])),
])
def test_bucket_public_after_the_blocks(bucket_pab, account_pab, policy_public, acl_public, expected):
    policy = {"Policy": "{}"}
    status = {"PolicyStatus": {"IsPublic": policy_public}}
    grants = [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]
    acl = {"Grants": grants if acl_public else []}
    assert s3.public_access(policy, status, acl, bucket_pab, account_pab) == expected


def test_bucket_keys_and_the_no_encryption_answer():
    """S3 encrypts every bucket (SSE-S3) since 2023: "no configuration" is SSE-S3, by AWS's key."""
    acct = AccountRaw(ACCOUNT, regions={REGION: {}})
    def enc(rules):
        return {"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": r} for r in rules]}}
    def bucket(encryption):
        raw = AccountRaw(ACCOUNT, global_={"s3:ListBuckets": [{"Name": "b", "BucketRegion": REGION}]},
                         regions={REGION: {"s3:GetBucketEncryption": {"b": encryption}}})
        a = only(normalise(raw), "storage.bucket")["attrs"]
        return a.get("default_encryption"), a.get("key_type")
    assert bucket({"Error": {"Code": "ServerSideEncryptionConfigurationNotFoundError"}}) == (True, "provider")
    assert bucket(enc([{"SSEAlgorithm": "aws:kms"}])) == (True, "provider")
    assert bucket(enc([{"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/aws/s3"}])) == (True, "provider")
    assert bucket(enc([{"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:ap-northeast-1:999999999999:key/k"}])) == (True, "customer")
    assert bucket(enc([{"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/mine"}])) == (True, None)   # key not read
    assert bucket(None) == (None, None)   # not read: not collected
    assert acct.regions == {REGION: {}}


def test_bucket_tags_read_or_why_not():
    """A bucket's tags declare its DR scope (GM-DR-001): no tag set is read as no tags; an
    error leaves them unread, saying why, and the tags empty."""
    def bucket(tagging):
        raw = AccountRaw(ACCOUNT, global_={"s3:ListBuckets": [{"Name": "b", "BucketRegion": REGION}]},
                         regions={REGION: {"s3:GetBucketTagging": {"b": tagging}}})
        r = only(normalise(raw), "storage.bucket")
        return r["tags"], r["attrs"].get("not_collected", {}).get("tags")
    assert bucket({"TagSet": [{"Key": "genmei-dr", "Value": "required"}]}) == ({"genmei-dr": "required"}, None)
    assert bucket({"Error": {"Code": "NoSuchTagSet", "Message": ""}}) == ({}, None)
    assert bucket({"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}) == ({}, "AccessDenied")


def test_customer_keys_only_and_rotation_where_aws_can_rotate():
    def meta(key_id, manager, spec="SYMMETRIC_DEFAULT", usage="ENCRYPT_DECRYPT", origin="AWS_KMS"):
        return {"KeyMetadata": {"KeyId": key_id, "KeyManager": manager, "KeySpec": spec, "KeyUsage": usage,
                                "Origin": origin, "KeyState": "Enabled"}}
    names = ("aws", "cmk", "rsa", "hmac", "imported", "hidden")
    raw = {"kms:ListKeys": [{"KeyId": k, "KeyArn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{k}"} for k in names],
           "kms:DescribeKey": {"aws": meta("aws", "AWS"), "cmk": meta("cmk", "CUSTOMER"),
                               "rsa": meta("rsa", "CUSTOMER", "RSA_2048", "SIGN_VERIFY"),
                               "hmac": meta("hmac", "CUSTOMER", "HMAC_256", "GENERATE_VERIFY_MAC"),
                               "imported": meta("imported", "CUSTOMER", origin="EXTERNAL")},
           "kms:GetKeyRotationStatus": {"cmk": {"KeyRotationEnabled": True, "RotationPeriodInDays": 365}},
           "kms:ListAliases": [{"AliasName": "alias/app", "TargetKeyId": "cmk"}]}
    keys = {r["name"]: r["attrs"] for r in normalise(AccountRaw(ACCOUNT, regions={REGION: raw}))}
    symmetric = {"key_spec": "SYMMETRIC_DEFAULT", "key_usage": "encrypt_decrypt", "origin": "AWS_KMS"}
    assert keys == {
        "app": {"managed_by": "customer", "enabled": True, "rotation_enabled": True, "rotation_period_days": 365,
                "rotation_supported": True, **symmetric},
        # AWS cannot rotate these: no rotation_enabled (GM-KMS-001 does not judge them)
        "rsa": {"managed_by": "customer", "enabled": True, "rotation_supported": False, "key_spec": "RSA_2048",
                "key_usage": "sign_verify", "origin": "AWS_KMS"},
        "hmac": {"managed_by": "customer", "enabled": True, "rotation_supported": False, "key_spec": "HMAC_256",
                 "key_usage": "mac", "origin": "AWS_KMS"},
        "imported": {"managed_by": "customer", "enabled": True, "rotation_supported": False, **symmetric, "origin": "EXTERNAL"},
        # DescribeKey denied: it may be a customer key, so it is listed, unknown
        "hidden": {}}


def test_database_tls_from_parameters_per_engine():
    def params(**kv):
        return [{"ParameterName": k.replace("_dot_", "."), "ParameterValue": v} for k, v in kv.items()]
    assert rds.db_tls("postgres", params(rds_dot_force_ssl="1", ssl_min_protocol_version="TLSv1.3"))[0] == {
        "enforced": True, "min_version": "1.3"}
    assert rds.db_tls("mysql", params(require_secure_transport="ON", tls_version="TLSv1.2,TLSv1.1"))[0] == {
        "enforced": True, "min_version": "1.1"}
    assert rds.db_tls("aurora-mysql", params(require_secure_transport="0"))[0] == {"enforced": False}
    # a parameter of another engine family forces nothing
    assert rds.db_tls("mysql", params(rds_dot_force_ssl="1"))[0] is None
    assert rds.db_tls("sqlserver-se", params(rds_dot_force_ssl="1", rds_dot_tls10="disabled", rds_dot_tls11="disabled"))[0] == {
        "enforced": True, "min_version": "1.2"}
    assert rds.db_tls("postgres", params(ssl_min_protocol_version="TLSv1.2"))[0] is None  # force_ssl not in the group read
    assert rds.db_tls("oracle-ee", params(rds_dot_force_ssl="1"))[0] is None
    assert rds.db_tls("postgres", None)[0] is None


def test_database_zones_with_the_standby_as_aws_reports_it():
    assert rds.zones({"AvailabilityZone": "a", "MultiAZ": True, "SecondaryAvailabilityZone": "c"}) == ["a", "c"]
    # Multi-AZ keeps a standby in another zone: two zones, even when its name is not reported
    assert rds.zones({"AvailabilityZone": "a", "MultiAZ": True}) == ["a", "standby zone (not reported)"]
    assert rds.zones({"AvailabilityZone": "a", "MultiAZ": False}) == ["a"]
    assert rds.zones({"MultiAZ": True}) is None


def test_http_listener_redirecting_to_https_takes_its_target_policy():
    https = {"Protocol": "HTTPS", "Port": 443, "SslPolicy": "p"}
    redirect = {"Protocol": "HTTP", "Port": 80, "DefaultActions": [
        {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]}
    to_http = {"Protocol": "HTTP", "Port": 81, "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTP"}}]}
    policies = {"p": {"SslProtocols": ["TLSv1.3", "TLSv1.2"]}}
    assert elbv2.listener_tls(redirect, [https, redirect], policies) == {"enforced": True, "min_version": "1.2", "policy": "p"}
    assert elbv2.listener_tls(redirect, [redirect], policies) == {"enforced": True}
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
    assert r["id"] == f"{ACCOUNT}/ap-northeast-3" and r["attrs"] == {"threat_detection_enabled": False}
