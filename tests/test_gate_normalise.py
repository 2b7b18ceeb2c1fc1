"""Each check on each provider from the gate's own plans (tests/fixtures/tfplan): a bad and
a good resource per check, values known only after apply, separate resources joined to
the resource they configure (by reference, through module outputs and input variables),
count/for_each instances, deletions, deposed objects and data sources."""

import json

import pytest

from genmei.collectors.terraform.address import parse_address, parse_reference, split_steps
from genmei.collectors.terraform.plan import read_plan
from genmei.collectors.terraform.snapshot import normalise
from genmei.engine.snapshot import validate_snapshot
from gate_helpers import PLANS, gate_json, statuses

P, F, N = "PASS", "FAIL", "NOT_EVALUATED"

EXPECTED = {
    "aws.tfplan.json": {
        ("GM-ADMIN-001", "aws_security_group.ssh_world"): F,
        ("GM-NET-001", "aws_security_group.ssh_world"): F,
        ("GM-ADMIN-001", "aws_security_group.web"): P,
        ("GM-NET-001", "aws_security_group.web"): P,
        ("GM-ADMIN-001", "aws_security_group.rules_only"): F,      # a separate rule merged into its group
        ("GM-NET-001", "aws_security_group.rules_only"): F,
        ("GM-ADMIN-001", "aws_security_group.cidr_unknown"): N,
        ("GM-ADMIN-001", "aws_security_group_rule.elsewhere"): F,   # its group is outside the plan: judged alone
        ("GM-ENC-001", "aws_ebs_volume.encrypted"): P,
        ("GM-ENC-001", "aws_ebs_volume.plain"): F,
        ("GM-ENC-001", "aws_ebs_volume.default"): N,
        ("GM-NET-003", "aws_instance.nat"): F,
        ("GM-ENC-001", "aws_instance.nat.root_block_device"): P,
        ("GM-STO-001", "aws_s3_bucket.private"): P,
        ("GM-STO-002", "aws_s3_bucket.private"): P,
        ("GM-TLS-001", "aws_s3_bucket.private"): P,
        ("GM-STO-001", "aws_s3_bucket.public"): P,   # no configuration written: S3 applies SSE-S3 to every bucket
        ("GM-STO-002", "aws_s3_bucket.public"): F,
        ("GM-TLS-001", "aws_s3_bucket.public"): F,   # a new bucket with no policy refusing plaintext (as live)
        ("GM-DB-001", "aws_db_instance.public_db"): F,
        ("GM-BAK-001", "aws_db_instance.public_db"): F,
        ("GM-AVL-001", "aws_db_instance.public_db"): F,
        ("GM-TLS-001", "aws_db_instance.public_db"): P,
        ("GM-DB-001", "aws_db_instance.private_db"): P,
        ("GM-BAK-001", "aws_db_instance.private_db"): P,
        ("GM-AVL-001", "aws_db_instance.private_db"): P,   # Multi-AZ: two zones, named at apply
        ("GM-TLS-001", "aws_db_instance.private_db"): N,
        ("GM-KMS-001", "aws_kms_key.rotating"): P,
        ("GM-KMS-001", "aws_kms_key.static"): F,
        ("GM-AVL-001", "aws_lb.web"): P,
        ("GM-TLS-001", "aws_lb_listener.https"): P,
        ("GM-TLS-001", "aws_lb_listener.http_redirect"): P,
        ("GM-TLS-001", "aws_lb_listener.legacy"): F,
        ("GM-K8S-001", "aws_eks_cluster.open"): F,
        ("GM-AVL-001", "aws_eks_cluster.open"): P,
        ("GM-K8S-001", "aws_eks_cluster.private"): P,
    },
    "azure.tfplan.json": {
        ("GM-ADMIN-001", "azurerm_network_security_group.mgmt"): F,
        ("GM-ADMIN-001", "azurerm_network_security_group.shadowed"): P,   # a higher-priority deny
        ("GM-NET-001", "azurerm_network_security_group.shadowed"): P,
        ("GM-ADMIN-001", "azurerm_network_security_group.separate"): F,   # azurerm_network_security_rule merged
        ("GM-STO-001", "azurerm_storage_account.good"): P,
        ("GM-STO-002", "azurerm_storage_account.good"): P,
        ("GM-TLS-001", "azurerm_storage_account.good"): P,
        ("GM-AZ-002", "azurerm_storage_account.good"): P,
        ("GM-STO-002", "azurerm_storage_account.bad"): F,
        ("GM-TLS-001", "azurerm_storage_account.bad"): F,
        ("GM-AZ-002", "azurerm_storage_account.bad"): F,
        ("GM-ENC-001", "azurerm_managed_disk.data"): P,
        ("GM-NET-003", "azurerm_linux_virtual_machine.router"): F,        # its NIC forwards IP
        ("GM-ENC-001", "azurerm_linux_virtual_machine.router.os_disk"): P,
        ("GM-DB-001", "azurerm_postgresql_server.db"): F,
        ("GM-TLS-001", "azurerm_postgresql_server.db"): F,
        ("GM-BAK-001", "azurerm_postgresql_server.db"): P,
        ("GM-DB-001", "azurerm_mssql_server.sql"): P,
        ("GM-TLS-001", "azurerm_mssql_server.sql"): P,
        ("GM-K8S-001", "azurerm_kubernetes_cluster.aks"): P,
        ("GM-AVL-001", "azurerm_kubernetes_cluster.aks"): P,
        ("GM-KMS-001", "azurerm_key_vault_key.k"): F,
        ("GM-TLS-001", "azurerm_application_gateway.agw.http_listener[https]"): P,
        ("GM-TLS-001", "azurerm_application_gateway.agw.http_listener[http]"): P,   # redirects to HTTPS
    },
    "gcp.tfplan.json": {
        ("GM-ADMIN-001", "google_compute_firewall.ssh_world"): F,
        ("GM-NET-001", "google_compute_firewall.ssh_world"): F,
        ("GM-ADMIN-001", "google_compute_firewall.default_source"): F,   # no source at all = 0.0.0.0/0
        ("GM-ADMIN-001", "google_compute_firewall.tagged"): P,
        ("GM-ADMIN-001", "google_compute_firewall.unknown_ranges"): N,
        ("GM-ENC-001", "google_compute_disk.cmek"): P,
        ("GM-NET-003", "google_compute_instance.router"): F,
        ("GM-GCP-001", "google_compute_instance.router"): F,
        ("GM-GCP-002", "google_compute_instance.router"): F,
        ("GM-ENC-001", "google_compute_instance.router.boot_disk"): P,
        ("GM-STO-001", "google_storage_bucket.public"): P,
        ("GM-STO-002", "google_storage_bucket.public"): F,                # an IAM member grants allUsers
        ("GM-GCP-003", "google_storage_bucket.public"): P,
        ("GM-STO-002", "google_storage_bucket.private"): P,
        ("GM-DB-001", "google_sql_database_instance.db"): F,
        ("GM-BAK-001", "google_sql_database_instance.db"): F,
        ("GM-TLS-001", "google_sql_database_instance.db"): F,
        ("GM-AVL-001", "google_sql_database_instance.db"): F,
        ("GM-K8S-001", "google_container_cluster.gke"): F,
        ("GM-AVL-001", "google_container_cluster.gke"): P,
        ("GM-KMS-001", "google_kms_crypto_key.k"): P,
        ("GM-TLS-001", "google_compute_target_https_proxy.default_policy"): F,   # Google's default policy allows TLS 1.0
        ("GM-TLS-001", "google_compute_target_https_proxy.modern"): P,
    },
    "modules.tfplan.json": {
        ("GM-ADMIN-001", 'module.net["a"].aws_security_group.sg'): F,
        ("GM-ADMIN-001", 'module.net["b"].aws_security_group.sg'): P,
        ("GM-KMS-001", "aws_kms_key.k[0]"): P,
        ("GM-KMS-001", "aws_kms_key.k[1]"): F,
        ("GM-KMS-001", "aws_kms_key.replaced"): P,
        ("GM-ENC-001", "aws_ebs_volume.kept"): P,
    },
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def judged(request):
    code, evidence = gate_json(PLANS / request.param)
    return request.param, code, evidence


def test_expected_statuses(judged):
    name, code, evidence = judged
    got = statuses(evidence)
    wrong = {k: (got[k]["status"] if k in got else "missing", want) for k, want in EXPECTED[name].items()
             if k not in got or got[k]["status"] != want}
    assert not wrong, wrong
    assert not [r for r in evidence["results"] if r["status"] == "ERROR"]
    assert code == 1   # each plan holds a failure at or above high


def test_unknowns_name_the_attribute(judged):
    name, _, evidence = judged
    for key, want in EXPECTED[name].items():
        r = statuses(evidence)[key]
        if want == N:
            assert r["reason"].endswith(("is known only after apply", "was not collected")), r
            assert r["evidence"]["missing"], r


def test_after_apply_unknowns_are_explicit():
    _, evidence = gate_json(PLANS / "aws.tfplan.json")
    got = statuses(evidence)
    assert got[("GM-ADMIN-001", "aws_security_group.cidr_unknown")]["reason"] == "attrs.rules is known only after apply"
    assert got[("GM-ENC-001", "aws_ebs_volume.default")]["reason"] == "attrs.encrypted is known only after apply"
    # Multi-AZ with its zone chosen at apply: the names are unknown, the count (2) is not.
    assert got[("GM-AVL-001", "aws_db_instance.private_db")]["reason"] == "runs in 2 zones"
    # A parameter group outside the plan cannot be read: not shown, so not collected (never PASS).
    assert got[("GM-TLS-001", "aws_db_instance.private_db")]["reason"] == "attrs.tls.enforced was not collected"


def test_not_judged_is_reported_never_dropped():
    _, evidence = gate_json(PLANS / "aws.tfplan.json")
    gate = evidence["gate"]
    assert gate["not_judged"]["deleted"] == ["aws_security_group.retired"]
    assert gate["not_judged"]["data source (read, not changed)"] == ["data.aws_caller_identity.current"]
    assert gate["not_judged"]["configures a resource that cannot be judged with it"] == [
        "aws_s3_bucket_public_access_block.orphan: bucket names no aws_s3_bucket in the plan"]
    assert not any(r["resource"] == "aws_security_group.retired" for r in evidence["results"])
    _, evidence = gate_json(PLANS / "modules.tfplan.json")
    assert evidence["gate"]["not_judged"]["deposed object (destroyed)"] == ["aws_kms_key.replaced"]
    assert evidence["gate"]["not_judged"]["deleted"] == ["aws_ebs_volume.gone"]


def test_separate_rules_join_through_modules_and_variables():
    doc, _ = normalise(read_plan(str(PLANS / "modules.tfplan.json")))
    by_id = {r["id"]: r for r in doc["resources"]}
    a = by_id['module.net["a"].aws_security_group.sg']["attrs"]["rules"]
    # var.sg_id of module.net["a"].module.inner and module.net["a"].sg_id from the root module
    assert sorted(r["port_ranges"][0]["from"] for r in a) == [22, 3389]
    b = by_id['module.net["b"].aws_security_group.sg']["attrs"]["rules"]
    assert [r["sources"] for r in b] == [["10.0.0.0/8"]]
    assert not any(r["native_type"] == "aws_security_group_rule" for r in doc["resources"])


def test_snapshot_is_canonical_and_sources_name_the_address():
    for name in EXPECTED:
        doc, report = normalise(read_plan(str(PLANS / name)))
        validate_snapshot(doc, name)
        assert doc["meta"]["provider"] == "terraform"
        for r in doc["resources"]:
            assert r["source"]["kind"] == "plan"
            assert r["id"] == r["source"]["ref"] or r["id"].startswith(r["source"]["ref"] + ".")
            assert all(u == "zones" or u.startswith("attrs.") for u in r.get("unknown", []))
        assert set(report["actions"]) >= {r["source"]["ref"] for r in doc["resources"]}


def test_planned_values_only_plan_reads_nested_modules(tmp_path):
    """Without resource_changes the plan is walked through planned_values and child modules."""
    doc = json.loads((PLANS / "modules.tfplan.json").read_text())
    del doc["resource_changes"]
    path = tmp_path / "pv.json"
    path.write_text(json.dumps(doc))
    plan = read_plan(str(path))
    addresses = {r.address for r in plan.resources}
    assert 'module.net["a"].module.inner.aws_security_group_rule.ssh[0]' in addresses
    assert {"aws_kms_key.k[0]", "aws_kms_key.k[1]"} <= addresses
    assert all(r.actions == () for r in plan.resources)


def test_addresses_and_references():
    a = parse_address('module.net["a.b"].module.inner[0].aws_security_group_rule.ssh["x"]')
    assert a.module == (("net", "a.b"), ("inner", 0))
    assert (a.type, a.name, a.key, a.mode) == ("aws_security_group_rule", "ssh", "x", "managed")
    assert a.base == 'module.net["a.b"].module.inner[0].aws_security_group_rule.ssh'
    assert parse_address("data.aws_vpc.default").mode == "data"
    assert split_steps('a["]"].b') == [("a", "]"), ("b", None)]
    for bad in ("aws_x", "module.a", "aws_x.y[", "aws_x.y[true]", "aws_x..y"):
        with pytest.raises(ValueError):
            parse_address(bad)
    assert parse_reference("aws_security_group.sg[0].id").key == 0
    assert parse_reference('module.net["a"].sg_id').kind == "module_output"
    assert parse_reference("var.sg_id").kind == "variable"
    assert parse_reference("data.aws_vpc.x.id").kind == "other"
    assert parse_reference("count.index").kind == "other"
