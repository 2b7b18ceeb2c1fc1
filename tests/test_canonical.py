"""The canonical layer on its own (collectors/canonical): the one constructor, the one
redactor, and the typed builders every path shares — firewall rules, TLS, keys, zones and
the S3 policy reader."""

import datetime
import json
import math

import pytest
import yaml

from conftest import AS_OF, DEMO_SNAPSHOT, ROOT
from inproc import run_cli
from genmei.collectors.canonical import definitions, firewall, keys, redact, s3, tls, zones
from genmei.collectors.canonical.resource import UndeclaredAttr, resource
from genmei.collectors.canonical.values import UNKNOWN, ShapeError


# --- the constructor ------------------------------------------------------------------

def test_the_constructor_drops_what_is_not_known_and_lists_what_is_known_after_apply():
    r = resource("db.instance", "db-1", "aws", "AWS::RDS::DBInstance", {"kind": "api"},
                 {"storage_encrypted": True, "public": None, "tls": {"enforced": UNKNOWN, "min_version": None},
                  "multi_az": UNKNOWN}, zones=UNKNOWN, name="db AKIAIOSFODNN7EXAMPLE", tags={"db_password": "x"},
                 raw={"MasterUserPassword": "p"})
    assert r["attrs"] == {"storage_encrypted": True}
    assert r["unknown"] == ["attrs.multi_az", "attrs.tls.enforced", "zones"]
    assert r["name"] == "db AKIA[REDACTED]" and r["tags"] == {"db_password": "[REDACTED]"}
    assert r["raw"] == {"MasterUserPassword": "[REDACTED]"} and "zones" not in r


def test_an_undeclared_attr_or_type_is_a_defect():
    with pytest.raises(UndeclaredAttr, match="storage_encryption"):
        resource("db.instance", "d", "aws", "x", {}, {"storage_encryption": True})
    with pytest.raises(UndeclaredAttr):
        resource("db.instances", "d", "aws", "x", {}, {})


def test_the_generated_schema_is_up_to_date():
    assert definitions.main(["--check"]) == 0, "run python -m genmei.collectors.canonical.definitions --write"


def test_every_type_the_checks_read_is_defined():
    declared = definitions.declared_attrs()
    for t, spec in yaml.safe_load((ROOT / "mappings" / "resource-types.yaml").read_text())["types"].items():
        assert spec["description"] and t in declared


# --- the redactor ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("key AKIAIOSFODNN7EXAMPLE used", "key AKIA[REDACTED] used"),
    ("role ASIAXXXXXXXXXXXXXXXX", "role ASIA[REDACTED]"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = [REDACTED]"),
    ("export DB_PASSWORD=hunter2 && run", "export DB_PASSWORD=[REDACTED] && run"),
    ('{"api_key": "abc123"}', '{"api_key": "[REDACTED]"}'),
    ("postgres://admin:s3cret@db.example.com/app", "postgres://admin:[REDACTED]@db.example.com/app"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "[REDACTED]"),
    ("token ghp_0123456789abcdefghijABCDEFGHIJ0123456789", "token [REDACTED]"),
    ("xoxb-1234567890-abcdefghijkl", "[REDACTED]"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "[REDACTED]"),
    ("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc==", "[REDACTED]"),
    ("https://a.blob.core.windows.net/c?sv=2022&sig=abc", "[REDACTED]"),
    # what is not a secret stays
    ("The security token included in the request is invalid", "The security token included in the request is invalid"),
    ("not authorized to perform: secretsmanager:GetSecretValue", "not authorized to perform: secretsmanager:GetSecretValue"),
    ("sg-0123 allows 0.0.0.0/0", "sg-0123 allows 0.0.0.0/0"),
])
def test_credential_formats_are_replaced_in_text(text, expected):
    assert redact.text(text) == expected


def test_tags_under_secret_looking_keys_are_replaced():
    out = redact.tags({"password": "p", "db_password": "p", "API_TOKEN": "t", "private_key": "k", "Credentials": "c",
                       "Name": "web AKIAIOSFODNN7EXAMPLE", "owner": "team-a", "token_type": "bearer", "password_enabled": "x"})
    assert out == {"password": "[REDACTED]", "db_password": "[REDACTED]", "API_TOKEN": "[REDACTED]",
                   "private_key": "[REDACTED]", "Credentials": "[REDACTED]", "Name": "web AKIA[REDACTED]",
                   "owner": "team-a", "token_type": "bearer", "password_enabled": "x"}


def test_raw_is_cleaned_of_secrets_and_keeps_the_settings_genmei_reads():
    raw = {"UserData": "c2VjcmV0", "ResponseMetadata": {"RequestId": "x"}, "NextToken": "t",
           "Nested": [{"MasterUserPassword": "p", "password_enabled": "true", "PasswordLastUsed": "2026-01-01",
                       "access_key_1_active": "true", "SecretArn": "arn:aws:secretsmanager:x"}],
           "Tags": [{"Key": "db_password", "Value": "p"}, {"Key": "Name", "Value": "web"}],
           "Lambda": {"Environment": {"Variables": {"DB_PASSWORD": "p"}}}, "Message": "key AKIAIOSFODNN7EXAMPLE used",
           "When": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), "Blob": b"\x00",
           "properties": {"adminPassword": "x", "disablePasswordAuthentication": True, "connectionStrings": [{"value": "a"}],
                          "publicKeys": [{"keyData": "ssh-rsa AAA"}], "diskEncryptionKey": {"kmsKeyName": "k"}},
           "metadata": {"items": [{"key": "enable-oslogin", "value": "TRUE"}, {"key": "startup-script", "value": "pw=1"}]},
           "masterAuth": {"password": "p", "clientKey": "k", "username": "admin"}}
    out = redact.raw(raw)
    assert out == {
        "UserData": "[REDACTED]",
        "Nested": [{"MasterUserPassword": "[REDACTED]", "password_enabled": "true", "PasswordLastUsed": "2026-01-01",
                    "access_key_1_active": "true", "SecretArn": "arn:aws:secretsmanager:x"}],
        "Tags": [{"Key": "db_password", "Value": "[REDACTED]"}, {"Key": "Name", "Value": "web"}],
        "Lambda": {"Environment": "[REDACTED]"}, "Message": "key AKIA[REDACTED] used",
        "When": "2026-01-02T03:04:05+00:00", "Blob": "[REDACTED]",
        "properties": {"adminPassword": "[REDACTED]", "disablePasswordAuthentication": True, "connectionStrings": "[REDACTED]",
                       "publicKeys": [{"keyData": "ssh-rsa AAA"}], "diskEncryptionKey": {"kmsKeyName": "k"}},
        "metadata": {"items": [{"key": "enable-oslogin", "value": "TRUE"}, {"key": "startup-script", "value": "[REDACTED]"}]},
        "masterAuth": {"password": "[REDACTED]", "clientKey": "[REDACTED]", "username": "admin"}}


# --- firewall rules ---------------------------------------------------------------------

@pytest.mark.parametrize("given, canonical", [
    ("-1", "all"), (-1, "all"), ("*", "all"), ("Any", "all"), ("6", "tcp"), ("Tcp", "tcp"), (17, "udp"),
    ("1", "icmp"), ("58", "icmpv6"), ("icmp6", "icmpv6"), ("50", "esp"), ("Esp", "esp"), ("51", "ah"), ("47", "gre"),
    ("ipip", "ipip"), ("132", "sctp"), ("99", "99"),
])
def test_protocols_are_named_one_way(given, canonical):
    assert firewall.protocol(given) == canonical


@pytest.mark.parametrize("proto, ranges, expected", [
    ("tcp", [(22, 22)], [{"from": 22, "to": 22}]),
    ("tcp", [(0, 65535)], []),                  # every port, written as such
    ("tcp", None, []),
    ("50", [(0, 0)], []),                       # ESP has no ports: the 0s the API wants mean nothing
    ("icmp", [(8, 8)], []),                    # ICMP type/code are no ports
    ("-1", [(0, 0)], []),
    ("udp", [(53, 53), (3000, 4000)], [{"from": 53, "to": 53}, {"from": 3000, "to": 4000}]),
])
def test_only_protocols_with_ports_carry_port_ranges(proto, ranges, expected):
    assert firewall.rule("ingress", "allow", proto, ranges, ["0.0.0.0/0"])["port_ranges"] == expected


def test_the_checks_read_ports_only_for_the_protocols_with_ports(tmp_path):
    """Every IANA protocol number 0-255, as the canonical builder names it (a keyword, or
    the number where the table has none), in a rule from anywhere to port 22, judged by
    the real checks: SSH is exposed (GM-ADMIN-001 and GM-NET-001 FAIL) exactly when the
    protocol has ports (WITH_PORTS) or is every protocol — the builder and
    policies/lib/genmei.rego `portless` agree on every protocol."""
    demo = json.loads(DEMO_SNAPSHOT.read_text())
    names = sorted({firewall.protocol(n) for n in range(256)} | {"all"})
    doc = {"genmei_snapshot": demo["genmei_snapshot"], "meta": {**demo["meta"], "gaps": []}, "resources": [
        resource("network.firewall", f"sg-{name}", "aws", "AWS::EC2::SecurityGroup", {"kind": "api", "ref": "test"},
                 {"rules": [firewall.rule("ingress", "allow", name, [(22, 22)], ["0.0.0.0/0"])]},
                 account=demo["meta"]["account"], region=demo["meta"]["regions"][0], name=name)
        for name in names]}
    (tmp_path / "snapshot.json").write_text(json.dumps(doc))
    code, out, err = run_cli("scan", "--snapshot", tmp_path / "snapshot.json", "--format", "json", "--fail-on", "none",
                             "--no-store", "--as-of", AS_OF)
    assert code == 0, err
    status = {(r["check"], r["resource"]): r["status"] for r in json.loads(out)["results"]}
    exposed = {name for name in names if firewall.has_ports(name) or name == "all"}
    assert exposed == {"all", "tcp", "udp", "sctp", "dccp", "udplite"}
    assert len(names) == 257   # one name per number, and all
    for check in ("GM-ADMIN-001", "GM-NET-001"):
        assert {name: status[(check, f"sg-{name}")] for name in names} == {
            name: "FAIL" if name in exposed else "PASS" for name in names}, check


@pytest.mark.parametrize("bad", [math.inf, 1e99999, 22.5, "ssh", True, None, 70000, -1, [22], {"p": 22}])
def test_a_port_of_the_wrong_shape_is_refused(bad):
    with pytest.raises(ShapeError):
        firewall.port_range(bad, 22)


@pytest.mark.parametrize("kwargs", [
    {"direction": "Sideways"}, {"direction": 1}, {"action": "permit"}, {"proto": ""}, {"proto": "TCP/IP"},
    {"sources": "0.0.0.0/0"}, {"sources": [{"cidr": "x"}]}, {"priority": "high"},
])
def test_a_rule_of_the_wrong_shape_is_refused(kwargs):
    base = {"direction": "inbound", "action": "Allow", "proto": "tcp", "ranges": [(22, 22)], "sources": ["*"], "priority": 100}
    with pytest.raises(ShapeError):
        firewall.rule(**{**base, **kwargs})


def test_port_specs_as_azure_and_google_write_them():
    assert firewall.port_specs(["22", "1000-2000", 443]) == [(22, 22), (1000, 2000), (443, 443)]
    assert firewall.port_specs(["*"]) is None
    for bad in (["http"], ["90-80"], ["70000"], [{"a": 1}]):
        with pytest.raises(ShapeError):
            firewall.port_specs(bad)


def test_internet_ranges_of_database_firewalls():
    assert firewall.covers_internet("0.0.0.0", "255.255.255.255") and firewall.covers_internet("0.0.0.0", "127.255.255.255")
    assert not firewall.covers_internet("0.0.0.0", "0.0.0.0") and not firewall.covers_internet("10.0.0.0", "10.255.255.255")
    assert not firewall.covers_internet("x", "y")


# --- TLS ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, version", [
    ("TLSv1.2", "1.2"), ("TLS1_2", "1.2"), ("TLS_1_3", "1.3"), ("tls1_0", "1.0"), ("TLSv1", "1.0"), ("1.1", "1.1"),
    ("SSLv3", "SSLv3"), (None, None), ("", None),
])
def test_tls_versions_are_written_one_way(name, version):
    assert tls.version(name) == version


def test_rds_tls_is_read_per_engine_family():
    assert tls.rds_tls("postgres", {"rds.force_ssl": "1", "ssl_min_protocol_version": "TLSv1.3"}) == {"enforced": True, "min_version": "1.3"}
    assert tls.rds_tls("aurora-postgresql14", {"rds.force_ssl": "0"}) == {"enforced": False}
    assert tls.rds_tls("mariadb", {"require_secure_transport": "ON", "tls_version": "TLSv1.2,TLSv1.1"}) == {"enforced": True, "min_version": "1.1"}
    assert tls.rds_tls("mysql8.0", {"rds.force_ssl": "1"}) is None           # PostgreSQL's parameter forces nothing on MySQL
    assert tls.rds_tls("postgres", {"require_secure_transport": "1"}) is None   # and MySQL's nothing on PostgreSQL
    assert tls.rds_tls("oracle-ee", {"rds.force_ssl": "1"}) is None
    assert tls.rds_tls("postgres", {"rds.force_ssl": UNKNOWN}) == {"enforced": UNKNOWN}
    assert tls.rds_tls("postgres", None) is None


def test_elb_policy_names():
    assert tls.elb_policy_min_tls("ELBSecurityPolicy-TLS13-1-2-2021-06") == "1.2"
    assert tls.elb_policy_min_tls("ELBSecurityPolicy-2016-08") == "1.0"
    assert tls.elb_policy_min_tls("my-custom-policy") is None


# --- keys and encryption at rest ---------------------------------------------------------

@pytest.mark.parametrize("spec, usage, origin, store, supported", [
    (None, None, None, None, True), ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS", None, True),
    ("RSA_2048", "ENCRYPT_DECRYPT", None, None, False), ("ECC_NIST_P256", "SIGN_VERIFY", None, None, False),
    ("HMAC_256", "GENERATE_VERIFY_MAC", None, None, False), (None, None, "EXTERNAL", None, False),
    (None, None, None, "cks-123", False), (UNKNOWN, None, None, None, UNKNOWN),
])
def test_which_aws_keys_aws_can_rotate(spec, usage, origin, store, supported):
    assert keys.aws_rotation_supported(spec, usage, origin, store) is supported


def test_a_key_that_cannot_rotate_has_no_rotation_setting():
    attrs = keys.kms_key(managed_by="customer", rotation_enabled=False, rotation_period_days=90, rotation_supported=False,
                         key_usage="SIGN_VERIFY")
    assert attrs["rotation_enabled"] is None and attrs["rotation_period_days"] is None and attrs["key_usage"] == "sign_verify"


def test_rds_storage_encrypted_when_unset():
    assert keys.rds_storage_encrypted(None, engine="mysql") is False
    assert keys.rds_storage_encrypted(True, engine="mysql") is True
    assert keys.rds_storage_encrypted(None, engine="postgres", snapshot_identifier="snap-1") is UNKNOWN
    assert keys.rds_storage_encrypted(None, engine="mysql", replicate_source_db="db-1") is UNKNOWN
    assert keys.rds_storage_encrypted(None, engine="aurora-postgresql") is UNKNOWN
    assert keys.rds_storage_encrypted(None, engine=UNKNOWN) is UNKNOWN


def test_zones():
    assert zones.zones(["c", "a", "a"]) == ["a", "c"] and zones.zones("a") == ["a"] and zones.zones(None) is None
    assert zones.zones(["a", UNKNOWN]) is UNKNOWN
    assert zones.azure("Japan East", ["1", 2]) == ["japaneast-1", "japaneast-2"]
    assert zones.database("a", True, "c") == ["a", "c"]
    assert zones.database("a", True, None) == ["a", zones.STANDBY_UNREPORTED]   # Multi-AZ: two zones, one unnamed
    assert zones.database(None, False, planned=True) == [zones.CHOSEN_AT_APPLY]
    assert zones.database(None, True, planned=True) == [zones.CHOSEN_AT_APPLY, zones.STANDBY_AT_APPLY]
    with pytest.raises(ShapeError):
        zones.zones({"a": 1})


# --- the S3 policy reader -------------------------------------------------------------------

DENY_PLAINTEXT = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


@pytest.mark.parametrize("statement, enforced", [
    (DENY_PLAINTEXT, True),
    ({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": ["s3:*"], "Condition": {"Bool": {"aws:securetransport": False}}}, True),
    ({"Effect": "Deny", "Principal": "*", "Action": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": ["false"]}}}, True),
    ({"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, False),
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}, False),
    ({"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*",
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, False),
])
def test_the_policy_refuses_plaintext(statement, enforced):
    assert s3.read_policy({"Statement": [statement]}).denies_plaintext is enforced
    assert s3.read_policy({"Statement": statement}).denies_plaintext is enforced   # a lone statement object


@pytest.mark.parametrize("statement, public", [
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}, True),
    ({"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:GetObject"}, True),
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}, False),
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}, False),
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}}, None),
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"StringLike": {"aws:PrincipalOrgID": "*"}}}, None),
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"StringLike": {"aws:UserAgent": "curl*"}}}, None),
    ({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:GetObject"}, False),
    ({"Effect": "Deny", "Principal": "*", "Action": "s3:*"}, False),
])
def test_what_the_policy_makes_public(statement, public):
    assert s3.policy_exposure([{"Statement": [statement]}])[0] is public
    assert s3.policy_exposure([{"Statement": [statement]}], aws_says_public=True)[0] is True   # AWS's own verdict
    assert s3.policy_exposure(None)[0] is None and s3.policy_exposure([])[0] is False


def test_bucket_tls_floor():
    floor = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.3"}}}
    assert s3.bucket_tls([{"Statement": [DENY_PLAINTEXT, floor]}]) == {"enforced": True, "min_version": "1.3", "policy": "aws:SecureTransport deny"}
    assert s3.bucket_tls([{"Statement": [DENY_PLAINTEXT]}]) == {"enforced": True, "min_version": "1.2", "policy": "aws:SecureTransport deny"}
    assert s3.bucket_tls([]) == {"enforced": False, "min_version": "1.2"}   # no policy: plaintext accepted
    assert s3.bucket_tls(None) is None and s3.bucket_tls([], unknown=True) == {"enforced": UNKNOWN}


def test_public_after_the_public_access_block():
    grant = (True, ["x"])
    assert s3.public(grant, (False, []), True, False) == (False, [])
    assert s3.public(grant, (False, []), False, False) == (True, ["x"])
    assert s3.public(grant, (False, []), None, False) == (None, None)          # block not read: not proven public
    assert s3.public(grant, (False, []), UNKNOWN, False) == (UNKNOWN, None)
    assert s3.public((False, []), (True, ["acl"]), True, False) == (True, ["acl"])
    assert s3.public((None, []), (False, []), False, False) == (None, None)


def test_default_encryption_is_sse_s3_at_least():
    def key_of(ref):
        return "customer" if "key/" in ref else None
    assert s3.default_encryption([], key_of) == (True, "provider")
    assert s3.default_encryption([("AES256", None)], key_of) == (True, "provider")
    assert s3.default_encryption([("aws:kms", "arn:aws:kms:r:1:key/k")], key_of) == (True, "customer")
    assert s3.default_encryption(UNKNOWN, key_of) == (True, UNKNOWN)
    assert s3.default_encryption(None, key_of) == (None, None)
