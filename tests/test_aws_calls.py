"""The AWS calls where moto is not faithful enough to test them: paging over several pages,
throttling that outlasts the retries, AccessDenied on one item, the credential report's
polling, regions and accounts, the read-only guard. botocore's Stubber answers instead of
a server; nothing leaves the machine."""

import re
import socket
from collections import Counter
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from genmei.collectors.aws import calls, run, session
from genmei.collectors.aws.model import ALL_TYPES, REGIONAL_TYPES, AccountRaw
from genmei.collectors.aws.normalise import normalise
from genmei.collectors.aws.read import iam, kms, s3
from genmei.engine.errors import InputError

REGION, ACCOUNT = "ap-northeast-1", "123456789012"


# One boto3 session for the module: loading service models is the slow part.
SESSION = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)


@pytest.fixture
def clients():
    return session.Clients(SESSION, ACCOUNT, Counter())


def stub(clients, service, region=REGION) -> Stubber:
    s = Stubber(clients.client(service, region))
    s.activate()
    return s


def reader(clients, gaps=None, region=REGION):
    return calls.Reader(clients, region, f"{ACCOUNT}/{region}", gaps or calls.Gaps())


def sg(i):
    return {"GroupId": f"sg-{i:04d}", "GroupName": f"g{i}", "IpPermissions": [], "IpPermissionsEgress": []}


def test_every_page_is_read(clients):
    with stub(clients, "ec2") as st:
        st.add_response("describe_security_groups", {"SecurityGroups": [sg(1), sg(2)], "NextToken": "p2"}, {})
        st.add_response("describe_security_groups", {"SecurityGroups": [sg(3)], "NextToken": "p3"}, {"NextToken": "p2"})
        st.add_response("describe_security_groups", {"SecurityGroups": [sg(4)]}, {"NextToken": "p3"})
        items = reader(clients).list("ec2:DescribeSecurityGroups", "SecurityGroups", ("network.firewall",))
        st.assert_no_pending_responses()
    assert [x["GroupId"] for x in items] == ["sg-0001", "sg-0002", "sg-0003", "sg-0004"]
    assert clients.calls["ec2:DescribeSecurityGroups"] == 3


def test_a_failed_page_makes_the_whole_list_a_gap(clients):
    gaps = calls.Gaps()
    with stub(clients, "ec2") as st:
        st.add_response("describe_flow_logs", {"FlowLogs": [{"FlowLogId": "fl-1"}], "NextToken": "p2"}, {})
        st.add_client_error("describe_flow_logs", "RequestLimitExceeded", "Request limit exceeded.", 503)
        assert reader(clients, gaps).list("ec2:DescribeFlowLogs", "FlowLogs", ("network.vpc",)) is None
    assert gaps.as_list() == [{"scope": f"{ACCOUNT}/{REGION}", "service": "ec2", "api": "ec2:DescribeFlowLogs",
                               "resource_types": ["network.vpc"], "error_code": "RequestLimitExceeded",
                               "message": "Request limit exceeded."}]


def test_throttling_beyond_the_retries_is_a_gap_and_hides_the_keys(clients):
    gaps = calls.Gaps()
    with stub(clients, "kms") as st:
        st.add_response("list_aliases", {"Aliases": []}, {})
        st.add_client_error("list_keys", "ThrottlingException", "Rate exceeded", 400)
        raw = kms.read(reader(clients, gaps))
    acct = AccountRaw(account=ACCOUNT, regions={REGION: raw})
    assert not [r for r in normalise(acct) if r["type"] == "kms.key"]
    [gap] = gaps.as_list()
    assert (gap["api"], gap["error_code"], gap["resource_types"]) == ("kms:ListKeys", "ThrottlingException", ["kms.key"])


def test_retries_are_adaptive(clients):
    retries = clients.client("ec2", REGION).meta.config.retries
    assert retries["mode"] == "adaptive" and retries["total_max_attempts"] == session.MAX_ATTEMPTS == 5
    config = clients.client("ec2", REGION).meta.config
    assert (config.connect_timeout, config.read_timeout) == (session.CONNECT_TIMEOUT, session.READ_TIMEOUT)
    probe = clients.client("sts", REGION, probe=True).meta.config
    assert probe.retries["total_max_attempts"] == 2 and probe.read_timeout == session.PROBE_READ_TIMEOUT


def test_access_denied_on_one_bucket_leaves_only_that_unknown(clients):
    gaps = calls.Gaps()
    with stub(clients, "s3") as st:
        for name in ("bkt-denied", "bkt-fine"):
            if name == "bkt-denied":
                st.add_client_error("get_bucket_encryption", "AccessDenied", "Access Denied", 403, expected_params={"Bucket": name})
            else:
                st.add_response("get_bucket_encryption", {"ServerSideEncryptionConfiguration": {"Rules": [
                    {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}, {"Bucket": name})
            st.add_client_error("get_public_access_block", "NoSuchPublicAccessBlockConfiguration", "none", 404, expected_params={"Bucket": name})
            st.add_client_error("get_bucket_policy", "NoSuchBucketPolicy", "none", 404, expected_params={"Bucket": name})
            st.add_response("get_bucket_acl", {"Grants": []}, {"Bucket": name})
            st.add_client_error("get_bucket_tagging", "NoSuchTagSet", "none", 404, expected_params={"Bucket": name})
            # the answers S3 gives a bucket without replication, versioning or lifecycle rules
            st.add_client_error("get_bucket_replication", "ReplicationConfigurationNotFoundError", "none", 404,
                                expected_params={"Bucket": name})
            st.add_response("get_bucket_versioning", {}, {"Bucket": name})
            st.add_client_error("get_bucket_lifecycle_configuration", "NoSuchLifecycleConfiguration", "none", 404,
                                expected_params={"Bucket": name})
        raw = s3.read_buckets(reader(clients, gaps), ["bkt-denied", "bkt-fine"])
    acct = AccountRaw(account=ACCOUNT, regions={REGION: raw}, global_={
        "s3:ListBuckets": [{"Name": n, "BucketRegion": REGION} for n in ("bkt-denied", "bkt-fine")],
        "s3control:GetPublicAccessBlock": {"Error": {"Code": "NoSuchPublicAccessBlockConfiguration", "Message": ""}}})
    buckets = {r["name"]: r["attrs"] for r in normalise(acct)}
    assert buckets["bkt-denied"].get("default_encryption") is None and buckets["bkt-fine"]["default_encryption"] is True
    assert buckets["bkt-denied"]["public"] is False and buckets["bkt-denied"]["tls"] == {"enforced": False, "min_version": "1.2"}
    assert (buckets["bkt-fine"]["cross_region_copy"], buckets["bkt-fine"]["versioning"], buckets["bkt-fine"]["versions_expire"]) == (
        False, False, False)
    [gap] = gaps.as_list()
    assert gap["api"] == "s3:GetBucketEncryption" and gap["error_code"] == "AccessDenied" and "bkt-denied" in gap["message"]


def test_many_failures_of_one_api_make_one_gap():
    gaps = calls.Gaps()
    for i in range(8):
        gaps.add("a/r", "s3:GetBucketAcl", ["storage.bucket"], "AccessDenied", "Access Denied", f"b{i}")
    [gap] = gaps.as_list()
    assert gap["message"] == "Access Denied [for b0, b1, b2, b3, b4, … (8 in all)]"


def test_credential_report_is_polled_until_complete(clients, monkeypatch):
    waits = []
    monkeypatch.setattr(iam, "sleep", waits.append)
    report = b"user,arn,password_enabled,mfa_active,access_key_1_active,access_key_2_active\n" \
             b"<root_account>,arn:aws:iam::123456789012:root,not_supported,false,true,false\n" \
             b"dev,arn:aws:iam::123456789012:user/dev,true,false,false,false\n"
    with stub(clients, "iam") as st:
        st.add_response("list_users", {"Users": []}, {})
        st.add_response("generate_credential_report", {"State": "STARTED"}, {})
        st.add_response("generate_credential_report", {"State": "INPROGRESS"}, {})
        st.add_response("generate_credential_report", {"State": "COMPLETE"}, {})
        st.add_response("get_credential_report", {"Content": report, "ReportFormat": "text/csv"}, {})
        raw = iam.read(reader(clients))
        st.assert_no_pending_responses()
    assert waits == [0.25, 0.5]
    by_type = {r["type"]: r for r in normalise(AccountRaw(account=ACCOUNT, global_=raw))}
    assert by_type["cloud.account"]["attrs"]["root_mfa_enabled"] is False
    assert by_type["cloud.account"]["attrs"]["root_access_keys_present"] is True


def test_credential_report_denied_to_generate_is_still_read(clients, monkeypatch):
    gaps = calls.Gaps()
    monkeypatch.setattr(iam, "sleep", lambda s: pytest.fail("no wait after a denial"))
    with stub(clients, "iam") as st:
        st.add_response("list_users", {"Users": []}, {})
        st.add_client_error("generate_credential_report", "AccessDenied", "denied", 403)
        st.add_response("get_credential_report", {"Content": b"user,arn\n"}, {})
        raw = iam.read(reader(clients, gaps))
    assert "iam:GetCredentialReport" in raw and gaps.as_list() == []


def test_only_reads_are_sent(clients):
    ec2 = clients.client("ec2", REGION)
    with pytest.raises(session.ReadOnlyViolation, match="ec2:TerminateInstances"):
        ec2.terminate_instances(InstanceIds=["i-0123456789abcdef0"])
    with pytest.raises(session.ReadOnlyViolation):
        clients.client("s3", REGION).put_bucket_policy(Bucket="b", Policy="{}")
    assert clients.calls == Counter()  # refused before being counted or sent
    assert set(session.ALLOWED_WRITES) == {"iam:GenerateCredentialReport", "sts:AssumeRole"}
    assert set(session.ALLOWED_WRITES) <= session.ALLOWED_OPERATIONS


@pytest.fixture
def listening(monkeypatch):
    """AWS_ENDPOINT_URL at a loopback socket that counts the connections made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.1)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{sock.getsockname()[1]}")
    yield sock
    sock.close()


def connections(sock) -> int:
    n = 0
    while True:
        try:
            conn, _ = sock.accept()
        except (socket.timeout, BlockingIOError):
            return n
        conn.close()
        n += 1


@pytest.mark.parametrize("service, method, params", [
    ("secretsmanager", "get_secret_value", {"SecretId": "prod/db"}),
    ("ssm", "get_parameter", {"Name": "/prod/db/password", "WithDecryption": True}),
    ("ssm", "get_parameters", {"Names": ["/prod/db/password"], "WithDecryption": True}),
    ("s3", "get_object", {"Bucket": "b", "Key": "k"}),
    ("ec2", "get_password_data", {"InstanceId": "i-0123456789abcdef0"}),
    ("ec2", "describe_instance_attribute", {"InstanceId": "i-0123456789abcdef0", "Attribute": "userData"}),
    ("lambda", "get_function_configuration", {"FunctionName": "f"}),
])
def test_reads_of_secrets_are_refused_before_they_are_sent(listening, service, method, params):
    """Read-looking operations that return secrets or user data are not on the allow-list:
    refused before any connection is made (the endpoint counts none) or any call counted."""
    clients = session.Clients(boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing"), ACCOUNT, Counter())
    with pytest.raises(session.ReadOnlyViolation, match="not one of the read operations genmei makes"):
        getattr(clients.client(service, REGION), method)(**params)
    assert clients.calls == Counter() and connections(listening) == 0


def test_every_api_the_reads_name_exists_in_botocore_and_is_allowed():
    """A misspelt operation ("DescribeSslPolicies") would only fail against AWS; one left off
    the allow-list would be refused."""
    source = "".join(p.read_text() for p in (Path(run.__file__).parent / "read").glob("*.py"))
    source += Path(run.__file__).read_text()
    known = SESSION.get_available_services()
    apis = {a for a in re.findall(r'"([a-z0-9]+:[A-Z][A-Za-z]+)"', source) if a.split(":")[0] in known}
    assert len(apis) > 30
    for api in apis:
        service, op = api.split(":")
        assert op in SESSION._session.get_service_model(service).operation_names, api
    assert apis | {"sts:GetCallerIdentity"} == set(session.ALLOWED_OPERATIONS), set(session.ALLOWED_OPERATIONS) ^ apis


def regions_response(*pairs):
    return {"Regions": [{"RegionName": r, "OptInStatus": s} for r, s in pairs]}


def test_all_regions_are_the_enabled_ones(clients):
    with stub(clients, "ec2") as st:
        st.add_response("describe_regions", regions_response((REGION, "opt-in-not-required"), ("ap-east-1", "not-opted-in"),
                                                             ("ap-northeast-3", "opted-in")), {"AllRegions": True})
        assert run._regions(run.Options(), clients, REGION, calls.Gaps()) == [REGION, "ap-northeast-3"]


def test_a_named_region_not_enabled_is_a_gap(clients):
    gaps = calls.Gaps()
    with stub(clients, "ec2") as st:
        st.add_response("describe_regions", regions_response((REGION, "opt-in-not-required"), ("ap-east-1", "not-opted-in")),
                        {"AllRegions": True})
        assert run._regions(run.Options(regions=(REGION, "ap-east-1")), clients, REGION, gaps) == [REGION]
    [gap] = gaps.as_list()
    assert gap["scope"] == f"{ACCOUNT}/ap-east-1" and gap["error_code"] == "OptInRequired"
    assert gap["resource_types"] == sorted(REGIONAL_TYPES)


def test_an_unknown_region_is_a_usage_error(clients):
    with stub(clients, "ec2") as st:
        st.add_response("describe_regions", regions_response((REGION, "opt-in-not-required")), {"AllRegions": True})
        with pytest.raises(InputError, match="unknown region.*ap-northeast-9"):
            run._regions(run.Options(regions=("ap-northeast-9",)), clients, REGION, calls.Gaps())


def test_an_account_whose_role_cannot_be_assumed_is_a_gap(clients):
    gaps = calls.Gaps()
    creds = {"AccessKeyId": "ASIAEXAMPLEEXAMPLE00", "SecretAccessKey": "s", "SessionToken": "t",
             "Expiration": "2030-01-01T00:00:00Z"}
    with stub(clients, "sts") as st:
        st.add_client_error("assume_role", "AccessDenied", "not authorized to perform: sts:AssumeRole", 403,
                            expected_params={"RoleArn": "arn:aws:iam::111111111111:role/Audit", "RoleSessionName": "genmei-audit"})
        st.add_response("assume_role", {"Credentials": creds}, {"RoleArn": "arn:aws:iam::222222222222:role/Audit",
                                                                  "RoleSessionName": "genmei-audit"})
        opts = run.Options(accounts=(ACCOUNT, "111111111111", "222222222222"), role_name="Audit")
        found = run._accounts(opts, clients, REGION, "aws", gaps)
    assert [a for a, _ in found] == [ACCOUNT, "222222222222"]
    assert found[0][1] is clients and found[1][1].account == "222222222222"
    [gap] = gaps.as_list()
    assert gap["scope"] == "111111111111/global" and gap["api"] == "sts:AssumeRole"
    assert gap["resource_types"] == list(ALL_TYPES) and gap["error_code"] == "AccessDenied"


def test_other_accounts_need_a_role(clients):
    with pytest.raises(InputError, match="--role-name"):
        run._accounts(run.Options(accounts=("111111111111",)), clients, REGION, "aws", calls.Gaps())


class Captured(Exception):
    pass


def sent_url(client, call) -> str:
    """The URL a call would be sent to, caught just before sending."""
    def capture(request, **_):
        raise Captured(request.url)

    client.meta.events.register_first("before-send", capture)
    with pytest.raises(Captured) as caught:
        call(client)
    return caught.value.args[0]


def test_s3control_account_label_is_dropped_only_on_an_ip_endpoint(clients, monkeypatch):
    get = lambda c: c.get_public_access_block(AccountId=ACCOUNT)  # noqa: E731
    assert sent_url(clients.client("s3control", REGION), get).startswith(f"https://{ACCOUNT}.s3-control.{REGION}.amazonaws.com/")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    local = session.Clients(boto3.Session(aws_access_key_id="t", aws_secret_access_key="t"), ACCOUNT, Counter())
    assert sent_url(local.client("s3control", REGION), get).startswith("http://127.0.0.1:9/v20180820/configuration/publicAccessBlock")


def test_the_endpoint_is_recorded_without_credentials():
    assert run._endpoint("http://user:pass@127.0.0.1:5000") == "http://127.0.0.1:5000"
    assert run._endpoint("https://sts.ap-northeast-1.amazonaws.com") == "AWS public endpoints"
