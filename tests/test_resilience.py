"""The resilience and deletion checks (GM-RES-001 automatic failover, GM-DR-001 copies in
another region, GM-DEL-001 deleted data erased in bounded time) through every path that
reads their attributes other than the live AWS collector (tests/test_aws_reference.py
and tests/test_parity.py run that against moto): the one builder (collectors/canonical/
copies.py), AWS Config items, Terraform plans of the three providers, Azure ARM JSON and
Cloud Asset Inventory assets — each with the exact status of every resource."""

import json

import pytest

from gate_helpers import gate_json, statuses
from genmei.collectors.canonical import copies
from genmei.collectors.canonical.values import UNKNOWN
from test_gate_coverage import change, config, plan, ref

# --- the builder -----------------------------------------------------------------------


def test_cross_region_from_destination_regions():
    assert copies.cross_region("ap-northeast-1", ["ap-northeast-3"]) == (True, ["ap-northeast-3"])
    assert copies.cross_region("ap-northeast-1", ["ap-northeast-1"]) == (False, [])
    assert copies.cross_region("ap-northeast-1", []) == (False, [])
    assert copies.cross_region("ap-northeast-1", None) == (None, None)          # not read
    assert copies.cross_region("ap-northeast-1", [None]) == (None, None)        # another account's bucket
    assert copies.cross_region("ap-northeast-1", [None, "us-east-1"]) == (True, ["us-east-1"])  # one known copy is enough
    assert copies.cross_region("ap-northeast-1", [UNKNOWN]) == (UNKNOWN, UNKNOWN)
    assert copies.cross_region(UNKNOWN, ["ap-northeast-1"]) == (UNKNOWN, UNKNOWN)
    assert copies.cross_region(None, ["ap-northeast-3"]) == (None, None)      # the bucket's own region unknown
    assert copies.cross_region(None, []) == (False, [])


@pytest.mark.parametrize("sku, geo", [("Standard_GRS", True), ("Standard_RAGZRS", True), ("Standard_LRS", False),
                                      ("Premium_ZRS", False), ("Standard_GZRS", True), (None, None), ("odd", None)])
def test_azure_redundancy(sku, geo):
    assert copies.azure_geo_redundant(sku) is geo


def test_gcs_location_type():
    assert copies.gcs_multi_region("dual-region") is True and copies.gcs_multi_region("multi-region") is True
    assert copies.gcs_multi_region("region") is False and copies.gcs_multi_region(None) is None


def test_expiry_counts_enabled_whole_bucket_rules_only():
    assert copies.expiry(None) == (None, None)
    assert copies.expiry([]) == (False, None)
    assert copies.expiry([(True, True, 30), (True, True, 10)]) == (True, 10)
    assert copies.expiry([(False, True, 30)]) == (False, None)        # disabled
    assert copies.expiry([(True, False, 30)]) == (False, None)        # a prefix or tag filter
    assert copies.expiry([(True, True, None)]) == (False, None)       # a rule for something else
    assert copies.expiry([(UNKNOWN, True, 30)]) == (UNKNOWN, UNKNOWN)
    assert copies.expiry([(UNKNOWN, True, 30), (True, True, 5)]) == (True, 5)


# --- Terraform plans -------------------------------------------------------------------

PROVIDERS = {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "ap-northeast-1"}}},
             "aws.osaka": {"name": "aws", "alias": "osaka", "expressions": {"region": {"constant_value": "ap-northeast-3"}}}}


def osaka(c: dict) -> dict:
    return {**c, "provider_config_key": "aws.osaka"}


def tokyo(c: dict) -> dict:
    return {**c, "provider_config_key": "aws"}


def with_providers(path):
    doc = json.loads(path.read_text())
    doc["configuration"]["provider_config"] = PROVIDERS
    path.write_text(json.dumps(doc))
    return path


def rule(status="Enabled", days=None, prefix=""):
    return {"id": "r", "status": status, "prefix": "", "filter": [{"and": [], "prefix": prefix, "tag": [],
                                                                     "object_size_greater_than": None, "object_size_less_than": None}],
            "noncurrent_version_expiration": [{"noncurrent_days": days}] if days else [], "expiration": []}


def test_aws_plan_replication_versions_and_failover(tmp_path):
    bucket_unknown = {"id": True, "arn": True, "region": True}
    changes = [
        change("aws_s3_bucket.primary", {"bucket": "primary"}, bucket_unknown),
        change("aws_s3_bucket.replica", {"bucket": "replica"}, bucket_unknown),
        change("aws_s3_bucket.same_region", {"bucket": "same-region", "tags": {"genmei-dr": "required"}}, bucket_unknown),
        change("aws_s3_bucket.local_copy", {"bucket": "local-copy"}, bucket_unknown),
        change("aws_s3_bucket_replication_configuration.primary",
               {"rule": [{"id": "all", "status": "Enabled", "prefix": "", "filter": [], "destination": [{"bucket": None}]}]},
               {"id": True, "bucket": True, "rule": [{"destination": [{"bucket": True}]}]}),
        change("aws_s3_bucket_replication_configuration.same_region",
               {"rule": [{"id": "all", "status": "Enabled", "prefix": "", "filter": [], "destination": [{"bucket": None}]}]},
               {"id": True, "bucket": True, "rule": [{"destination": [{"bucket": True}]}]}),
        change("aws_s3_bucket_versioning.primary", {"versioning_configuration": [{"status": "Enabled"}]}, {"id": True, "bucket": True}),
        change("aws_s3_bucket_lifecycle_configuration.primary", {"rule": [rule(days=60)]}, {"id": True, "bucket": True}),
        change("aws_s3_bucket_versioning.replica", {"versioning_configuration": [{"status": "Enabled"}]}, {"id": True, "bucket": True}),
        change("aws_s3_bucket_lifecycle_configuration.replica", {"rule": [rule(days=30, prefix="logs/")]}, {"id": True, "bucket": True}),
        change("aws_db_instance.ha", {"identifier": "ha", "engine": "postgres", "multi_az": True, "storage_encrypted": True}),
        change("aws_db_instance.single", {"identifier": "single", "engine": "mysql", "multi_az": False, "storage_encrypted": True}),
        change("aws_db_instance.aurora", {"identifier": "aurora-1", "engine": "aurora-postgresql", "multi_az": False}),
    ]
    configs = [
        tokyo(config("aws_s3_bucket.primary")), osaka(config("aws_s3_bucket.replica")), tokyo(config("aws_s3_bucket.same_region")),
        tokyo(config("aws_s3_bucket.local_copy")),
        config("aws_s3_bucket_replication_configuration.primary", bucket=ref("aws_s3_bucket.primary"),
               rule=[{"destination": [{"bucket": {"references": ["aws_s3_bucket.replica.arn", "aws_s3_bucket.replica"]}}]}]),
        config("aws_s3_bucket_replication_configuration.same_region", bucket=ref("aws_s3_bucket.same_region"),
               rule=[{"destination": [{"bucket": {"references": ["aws_s3_bucket.local_copy.arn", "aws_s3_bucket.local_copy"]}}]}]),
        config("aws_s3_bucket_versioning.primary", bucket=ref("aws_s3_bucket.primary")),
        config("aws_s3_bucket_lifecycle_configuration.primary", bucket=ref("aws_s3_bucket.primary")),
        osaka(config("aws_s3_bucket_versioning.replica", bucket=ref("aws_s3_bucket.replica"))),
        osaka(config("aws_s3_bucket_lifecycle_configuration.replica", bucket=ref("aws_s3_bucket.replica"))),
        config("aws_db_instance.ha"), config("aws_db_instance.single"), config("aws_db_instance.aurora"),
    ]
    _, evidence = gate_json(with_providers(plan(tmp_path, changes, configs)))
    got = {k: v["status"] for k, v in statuses(evidence).items() if k[0] in ("GM-DR-001", "GM-DEL-001", "GM-RES-001")}
    assert got == {
        ("GM-DR-001", "aws_s3_bucket.primary"): "PASS",         # replicated to the Osaka provider's bucket
        ("GM-DR-001", "aws_s3_bucket.replica"): "PASS",         # the copy, in Osaka, of a Tokyo bucket
        ("GM-DR-001", "aws_s3_bucket.same_region"): "FAIL",     # declared in DR scope; a copy in the same region
        ("GM-DR-001", "aws_s3_bucket.local_copy"): "NOT_EVALUATED",  # neither declared in DR scope nor copied
        ("GM-DEL-001", "aws_s3_bucket.primary"): "PASS",        # previous versions deleted after 60 days
        ("GM-DEL-001", "aws_s3_bucket.replica"): "FAIL",        # only logs/ expires: the rest is kept
        ("GM-DEL-001", "aws_s3_bucket.same_region"): "PASS",    # a new bucket without versioning
        ("GM-DEL-001", "aws_s3_bucket.local_copy"): "PASS",
        ("GM-RES-001", "aws_db_instance.ha"): "PASS", ("GM-RES-001", "aws_db_instance.single"): "FAIL",
        ("GM-RES-001", "aws_db_instance.aurora"): "NOT_EVALUATED",  # the cluster's instances decide
    }
    primary = statuses(evidence)[("GM-DR-001", "aws_s3_bucket.primary")]
    assert primary["evidence"]["copy_regions"] == ["ap-northeast-3"]


def test_azure_and_google_plans(tmp_path):
    changes = [
        change("azurerm_storage_account.geo", {"name": "geo", "account_replication_type": "RAGZRS", "location": "japaneast",
                                               "blob_properties": [{"versioning_enabled": True, "delete_retention_policy": [{"days": 30}]}]}),
        change("azurerm_storage_management_policy.geo", {"rule": [{"name": "old", "enabled": True, "filters": [{"prefix_match": [], "blob_types": ["blockBlob"]}],
                                                                   "actions": [{"version": [{"delete_after_days_since_creation": 90}]}]}]}),
        change("azurerm_storage_account.local", {"name": "local", "account_replication_type": "LRS", "location": "japaneast",
                                                 "tags": {"genmei-dr": "required"},
                                                 "blob_properties": [{"versioning_enabled": True, "delete_retention_policy": [{"days": 400}]}]}),
        change("azurerm_mssql_server.sql", {"name": "sql", "location": "japaneast", "public_network_access_enabled": False}),
        change("azurerm_postgresql_flexible_server.ha", {"name": "ha", "location": "japaneast", "zone": "1",
                                                          "high_availability": [{"mode": "SameZone", "standby_availability_zone": "1"}]}),
        change("azurerm_postgresql_flexible_server.single", {"name": "single", "location": "japaneast", "zone": "1", "high_availability": []}),
        change("google_storage_bucket.dual", {"name": "dual", "location": "ASIA1", "versioning": [{"enabled": True}],
                                              "lifecycle_rule": [{"action": [{"type": "Delete"}], "condition": [{"days_since_noncurrent_time": 30}]}]}),
        change("google_storage_bucket.regional", {"name": "regional", "location": "ASIA-NORTHEAST1", "versioning": [{"enabled": True}],
                                                  "labels": {"genmei-dr": "required"},
                                                  "lifecycle_rule": [{"action": [{"type": "Delete"}], "condition": [{"num_newer_versions": 3}]}]}),
        change("google_sql_database_instance.regional", {"name": "r", "database_version": "POSTGRES_16",
                                                         "settings": [{"availability_type": "REGIONAL"}]}),
        change("google_sql_database_instance.zonal", {"name": "z", "database_version": "POSTGRES_16",
                                                      "settings": [{"availability_type": "ZONAL", "location_preference": [{"zone": "asia-northeast1-a"}]}]}),
    ]
    configs = [config("azurerm_storage_account.geo"), config("azurerm_storage_account.local"),
               config("azurerm_storage_management_policy.geo", storage_account_id=ref("azurerm_storage_account.geo"))]
    # the default DR scope key (genmei-dr) is one GCP labels accept too
    _, evidence = gate_json(plan(tmp_path, changes, configs))
    got = {k: v["status"] for k, v in statuses(evidence).items() if k[0] in ("GM-DR-001", "GM-DEL-001", "GM-RES-001")}
    assert got == {
        ("GM-DR-001", "azurerm_storage_account.geo"): "PASS", ("GM-DR-001", "azurerm_storage_account.local"): "FAIL",
        ("GM-DEL-001", "azurerm_storage_account.geo"): "PASS",
        ("GM-DEL-001", "azurerm_storage_account.local"): "FAIL",   # versions kept, and soft delete 400 days
        ("GM-DR-001", "google_storage_bucket.dual"): "PASS", ("GM-DR-001", "google_storage_bucket.regional"): "FAIL",
        ("GM-DEL-001", "google_storage_bucket.dual"): "PASS",
        ("GM-DEL-001", "google_storage_bucket.regional"): "FAIL",  # the newest noncurrent version stays for ever
        ("GM-RES-001", "azurerm_mssql_server.sql"): "PASS",        # built-in high availability
        ("GM-RES-001", "azurerm_postgresql_flexible_server.ha"): "PASS",
        ("GM-RES-001", "azurerm_postgresql_flexible_server.single"): "FAIL",
        ("GM-RES-001", "google_sql_database_instance.regional"): "PASS",
        ("GM-RES-001", "google_sql_database_instance.zonal"): "FAIL",
    }
    local = statuses(evidence)[("GM-DEL-001", "azurerm_storage_account.local")]
    assert len(local["evidence"]["problems"]) == 2


# --- AWS Config items ------------------------------------------------------------------

def config_bucket(name: str, region: str, supplementary: dict | None, tags: dict | None = None) -> dict:
    item = {"configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-11-01T00:00:00.000Z",
            "awsAccountId": "111122223333", "configurationItemStatus": "OK", "resourceType": "AWS::S3::Bucket",
            "resourceId": name, "resourceName": name, "ARN": f"arn:aws:s3:::{name}", "awsRegion": region,
            "configuration": {"name": name, "creationDate": "2026-01-01T00:00:00.000Z"}, "tags": tags or {}}
    if supplementary is not None:
        item["supplementaryConfiguration"] = {k: json.dumps(v) for k, v in supplementary.items()}
    return item


def test_aws_config_items(tmp_path, capsys, monkeypatch):
    """Config's own shapes (JSON text in supplementaryConfiguration, rules keyed by id,
    lifecycle predicates): a key Config leaves out beside recorded S3 settings means "none"."""
    from test_aws_config_import import run_import, scan, statuses as found

    whole = {"rules": [{"id": "old", "prefix": None, "status": "Enabled", "filter": {"predicate": {
        "type": "LifecyclePrefixPredicate", "prefix": ""}}, "expirationInDays": -1, "noncurrentVersionExpirationInDays": 30}]}
    docs_only = {"rules": [{"id": "docs", "prefix": None, "status": "Enabled", "filter": {"predicate": {
        "type": "LifecyclePrefixPredicate", "prefix": "docs/"}}, "noncurrentVersionExpirationInDays": 30}]}
    items = [
        config_bucket("cfg-primary", "ap-northeast-1", {
            "BucketVersioningConfiguration": {"status": "Enabled", "isMfaDeleteEnabled": None},
            "BucketLifecycleConfiguration": whole,
            "BucketReplicationConfiguration": {"roleARN": "arn:aws:iam::111122223333:role/r", "rules": {"all": {
                "prefix": "", "status": "Enabled", "destinationConfig": {"bucketARN": "arn:aws:s3:::cfg-replica"}}}}}),
        config_bucket("cfg-replica", "ap-northeast-3", {
            "BucketVersioningConfiguration": {"status": "Enabled", "isMfaDeleteEnabled": None},
            "BucketLifecycleConfiguration": docs_only}),
        config_bucket("cfg-plain", "ap-northeast-1", {"BucketVersioningConfiguration": {"status": "Off", "isMfaDeleteEnabled": None}},
                      tags={"genmei-dr": "required"}),
        config_bucket("cfg-undeclared", "ap-northeast-1", {"BucketVersioningConfiguration": {"status": "Off", "isMfaDeleteEnabled": None}}),
        config_bucket("cfg-unrecorded", "ap-northeast-1", None),
        config_bucket("cfg-elsewhere", "ap-northeast-1", {
            "BucketVersioningConfiguration": {"status": "Suspended", "isMfaDeleteEnabled": None},
            "BucketReplicationConfiguration": {"rules": {"x": {"prefix": "", "status": "Enabled", "destinationConfig": {
                "Account": "000111222333", "bucketARN": "arn:aws:s3:::another-accounts-bucket"}}}}}),
    ]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items))
    snap = tmp_path / "s.json"
    code, _, stderr = run_import([path], snap, capsys)
    assert code == 0, stderr
    evidence = scan(snap, tmp_path, capsys, monkeypatch)
    got = {(c, rid.removeprefix("arn:aws:s3:::")): s for (c, rid), s in found(evidence).items() if c in ("GM-DR-001", "GM-DEL-001")}
    assert got == {
        ("GM-DR-001", "cfg-primary"): {"PASS"}, ("GM-DEL-001", "cfg-primary"): {"PASS"},
        # the replica in Osaka is the copy of a Tokyo bucket; only its docs/ expire
        ("GM-DR-001", "cfg-replica"): {"PASS"}, ("GM-DEL-001", "cfg-replica"): {"FAIL"},
        ("GM-DR-001", "cfg-plain"): {"FAIL"}, ("GM-DEL-001", "cfg-plain"): {"PASS"},  # declared in DR scope
        ("GM-DR-001", "cfg-undeclared"): {"NOT_EVALUATED"}, ("GM-DEL-001", "cfg-undeclared"): {"PASS"},
        ("GM-DR-001", "cfg-unrecorded"): {"NOT_EVALUATED"}, ("GM-DEL-001", "cfg-unrecorded"): {"NOT_EVALUATED"},
        # another account's destination: its region is not known; suspended versioning keeps old versions
        ("GM-DR-001", "cfg-elsewhere"): {"NOT_EVALUATED"}, ("GM-DEL-001", "cfg-elsewhere"): {"FAIL"},
    }
    why = next(r for r in evidence["results"] if r["check"] == "GM-DR-001" and r["resource"].endswith("cfg-elsewhere"))
    assert "another account" in why["reason"] and why["reason_ja"].startswith("別リージョンへの複製の設定を収集できなかった")


# --- Azure ARM JSON and Cloud Asset Inventory --------------------------------------------

def test_azure_storage_and_databases():
    from test_cross_cloud import SUB, arm_id, azure_resources

    def account(name, sku):
        return {"id": arm_id("Microsoft.Storage/storageAccounts", name), "name": name, "type": "Microsoft.Storage/storageAccounts",
                "location": "japaneast", "sku": {"name": sku, "tier": "Standard"},
                "properties": {"allowBlobPublicAccess": False, "supportsHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2",
                               "encryption": {"keySource": "Microsoft.Storage"}}}

    def flexible(name, mode):
        return {"id": arm_id("Microsoft.DBforPostgreSQL/flexibleServers", name), "name": name,
                "type": "Microsoft.DBforPostgreSQL/flexibleServers", "location": "japaneast",
                "properties": {"availabilityZone": "1", "highAvailability": {"mode": mode, "standbyAvailabilityZone": "2"},
                               "network": {"publicNetworkAccess": "Disabled"}, "backup": {"backupRetentionDays": 7}}}

    got = {r["name"]: r["attrs"] for r in azure_resources(
        [account("stgeo", "Standard_RAGRS"), account("stlocal", "Standard_ZRS"), flexible("pg-ha", "SameZone"),
         flexible("pg-single", "Disabled")], {SUB: {}})}
    assert got["stgeo"]["cross_region_copy"] is True and got["stlocal"]["cross_region_copy"] is False
    assert "versioning" not in got["stgeo"] and "blob service" in got["stgeo"]["not_collected"]["versioning"]
    assert got["pg-ha"]["automatic_failover"] is True and got["pg-ha"]["multi_az"] is False
    assert got["pg-single"]["automatic_failover"] is False


def test_gcp_buckets_and_cloud_sql():
    from genmei.collectors.gcp.normalise.sql import instance
    from genmei.collectors.gcp.normalise.storage import bucket

    class Asset:
        def __init__(self, data):
            self.data, self.iam_policy = data, None

    class Ctx:
        iam_read = False

    dual = bucket(Asset({"name": "dual", "location": "ASIA1", "locationType": "dual-region",
                         "customPlacementConfig": {"dataLocations": ["ASIA-NORTHEAST1", "ASIA-NORTHEAST2"]},
                         "versioning": {"enabled": True},
                         "lifecycle": {"rule": [{"action": {"type": "Delete"}, "condition": {"isLive": False, "daysSinceNoncurrentTime": 14}},
                                                {"action": {"type": "Delete"}, "condition": {"age": 7, "matchesPrefix": ["tmp/"]}}]},
                         "softDeletePolicy": {"retentionDurationSeconds": "604800"}}), Ctx())["attrs"]
    assert dual["cross_region_copy"] is True and dual["copy_regions"] == ["asia-northeast1", "asia-northeast2"]
    assert (dual["versioning"], dual["versions_expire"], dual["noncurrent_expiry_days"], dual["soft_delete_days"]) == (True, True, 14, 7)
    regional = bucket(Asset({"name": "r", "location": "ASIA-NORTHEAST1", "locationType": "region", "versioning": {"enabled": True},
                             "lifecycle": {"rule": [{"action": {"type": "Delete"}, "condition": {"numNewerVersions": 2}},
                                                    {"action": {"type": "Delete"}, "condition": {"age": 30, "isLive": True}}]}}), Ctx())["attrs"]
    assert (regional["cross_region_copy"], regional["copy_regions"]) == (False, [])
    assert (regional["versions_expire"], regional.get("noncurrent_expiry_days"), regional.get("soft_delete_days")) == (False, None, None)
    plain = bucket(Asset({"name": "p", "location": "US", "locationType": "multi-region"}), Ctx())["attrs"]
    assert plain["cross_region_copy"] is True and plain["versioning"] is False
    assert instance(Asset({"settings": {"availabilityType": "REGIONAL"}}), None)["attrs"]["automatic_failover"] is True
    assert instance(Asset({"settings": {"availabilityType": "ZONAL"}}), None)["attrs"]["automatic_failover"] is False
    assert instance(Asset({"settings": {}}), None)["attrs"]["automatic_failover"] is None  # not in the data: not collected


# --- NAT gateways (GM-RES-002) ------------------------------------------------------------

def test_nat_gateways_in_a_plan(tmp_path):
    def subnet(name, vpc, zone):
        return (change(f"aws_subnet.{name}", {"cidr_block": "10.0.0.0/24", "availability_zone": zone}),
                config(f"aws_subnet.{name}", vpc_id=ref(f"aws_vpc.{vpc}")))

    def nat(name, subnet_name):
        return (change(f"aws_nat_gateway.{name}", {"connectivity_type": "public", "tags": {"Name": name}}),
                config(f"aws_nat_gateway.{name}", subnet_id=ref(f"aws_subnet.{subnet_name}")))

    pairs = [(change("aws_vpc.spread", {"cidr_block": "10.0.0.0/16"}), config("aws_vpc.spread")),
             (change("aws_vpc.lone", {"cidr_block": "10.1.0.0/16"}), config("aws_vpc.lone")),
             subnet("spread_a", "spread", "ap-northeast-1a"), subnet("spread_c", "spread", "ap-northeast-1c"),
             subnet("lone_a", "lone", "ap-northeast-1a"), subnet("lone_c", "lone", "ap-northeast-1c"),
             nat("spread_a", "spread_a"), nat("spread_c", "spread_c"), nat("lone", "lone_a")]
    pairs.append((change("aws_nat_gateway.elsewhere", {"subnet_id": "subnet-0existing", "connectivity_type": "public"}),
                  config("aws_nat_gateway.elsewhere")))
    _, evidence = gate_json(plan(tmp_path, [c for c, _ in pairs], [k for _, k in pairs]))
    got = {k: v["status"] for k, v in statuses(evidence).items() if k[0] == "GM-RES-002"}
    assert got == {("GM-RES-002", "aws_nat_gateway.spread_a"): "PASS", ("GM-RES-002", "aws_nat_gateway.spread_c"): "PASS",
                   ("GM-RES-002", "aws_nat_gateway.lone"): "FAIL",
                   ("GM-RES-002", "aws_nat_gateway.elsewhere"): "NOT_EVALUATED"}   # its subnet is outside the plan
    assert statuses(evidence)[("GM-RES-002", "aws_nat_gateway.lone")]["evidence"]["network_zones"] == ["ap-northeast-1a"]


def test_nat_gateways_from_config_items():
    """AWS Config records NAT gateways and subnets in the API's shapes (camelCase): the
    same normaliser as live, so the zones of a VPC's NAT gateways come from its subnets."""
    from genmei.collectors.aws.model import AccountRaw
    from genmei.collectors.aws.normalise import ec2

    raw = AccountRaw(account="111122223333", regions={"ap-northeast-1": {
        "ec2:DescribeSubnets": [{"SubnetId": "subnet-a", "VpcId": "vpc-1", "AvailabilityZone": "ap-northeast-1a"},
                                {"SubnetId": "subnet-c", "VpcId": "vpc-1", "AvailabilityZone": "ap-northeast-1c"}],
        "ec2:DescribeNatGateways": [
            {"NatGatewayId": "nat-a", "VpcId": "vpc-1", "SubnetId": "subnet-a", "State": "available"},
            {"NatGatewayId": "nat-c", "VpcId": "vpc-1", "SubnetId": "subnet-c", "State": "failed"},      # carries nothing
            {"NatGatewayId": "nat-old", "VpcId": "vpc-1", "SubnetId": "subnet-c", "State": "deleted"}]}})
    nats = [r for r in ec2.resources(raw) if r["type"] == "network.gateway"]
    assert [(r["name"], r["zones"], r["attrs"]["network_zones"]) for r in nats] == [("nat-a", ["ap-northeast-1a"], ["ap-northeast-1a"])]
    raw.regions["ap-northeast-1"].pop("ec2:DescribeSubnets")
    unread = [r for r in ec2.resources(raw) if r["type"] == "network.gateway"]
    assert "network_zones" not in unread[0]["attrs"] and unread[0]["zones"] is None   # subnets not read: zones unknown
