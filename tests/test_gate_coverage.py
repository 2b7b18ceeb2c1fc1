"""What the gate reads besides the kinds of tests/test_gate_normalise.py: networks with
their flow logs (aws_vpc + aws_flow_log, google_compute_network + subnetworks), network
ACLs, the legacy Azure SQL server with its firewall rules — and a report whose "types no
check covers" lists only types no check covers. The plans are written here in the shape
`terraform show -json` gives (the google and azurerm providers are not on the machine to
make them; tests/test_parity.py plans AWS resources with Terraform itself)."""

import json

from gate_helpers import gate_json, statuses


def change(address: str, after: dict, unknown: dict | None = None, actions=("create",)) -> dict:
    type_, name = address.split(".")
    return {"address": address, "mode": "managed", "type": type_, "name": name,
            "provider_name": f"registry.terraform.io/hashicorp/{type_.split('_')[0]}",
            "change": {"actions": list(actions), "before": None, "after": after, "after_unknown": unknown or {"id": True}}}


def config(address: str, **expressions) -> dict:
    type_, name = address.split(".")
    return {"address": address, "mode": "managed", "type": type_, "name": name, "expressions": expressions}


def ref(address: str) -> dict:
    return {"references": [f"{address}.id", address]}


def plan(tmp_path, changes: list[dict], configs: list[dict]) -> str:
    doc = {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes,
           "configuration": {"root_module": {"resources": configs}}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    return path


def test_networks_with_their_flow_logs(tmp_path):
    changes = [
        change("google_compute_network.logged", {"name": "logged", "auto_create_subnetworks": False}),
        change("google_compute_subnetwork.logged_a", {"name": "a", "region": "asia-northeast1", "log_config": [{"aggregation_interval": "INTERVAL_5_SEC"}]}),
        change("google_compute_subnetwork.logged_b", {"name": "b", "region": "asia-northeast1", "log_config": [{}]}),
        change("google_compute_network.partial", {"name": "partial", "auto_create_subnetworks": False}),
        change("google_compute_subnetwork.partial_a", {"name": "pa", "region": "asia-northeast1", "log_config": [{}]}),
        change("google_compute_subnetwork.partial_b", {"name": "pb", "region": "asia-northeast1", "log_config": []}),
        change("google_compute_network.auto", {"name": "auto", "auto_create_subnetworks": True}),
        change("aws_vpc.subnet_logged", {"cidr_block": "10.0.0.0/16", "tags": {"Name": "v"}}),
        change("aws_subnet.s1", {"cidr_block": "10.0.1.0/24", "availability_zone": "ap-northeast-1a"}),
        change("aws_subnet.s2", {"cidr_block": "10.0.2.0/24", "availability_zone": "ap-northeast-1c"}),
        change("aws_flow_log.s1", {"traffic_type": "ALL"}, {"id": True, "subnet_id": True}),
        change("aws_flow_log.s2", {"traffic_type": "ALL"}, {"id": True, "subnet_id": True}),
        change("aws_vpc.half_logged", {"cidr_block": "10.1.0.0/16"}),
        change("aws_subnet.h1", {"cidr_block": "10.1.1.0/24", "availability_zone": "ap-northeast-1a"}),
        change("aws_subnet.h2", {"cidr_block": "10.1.2.0/24", "availability_zone": "ap-northeast-1a"}),
        change("aws_flow_log.h1", {"traffic_type": "ALL"}, {"id": True, "subnet_id": True}),
        change("aws_vpc.existing", {"cidr_block": "10.2.0.0/16"}, actions=("update",)),
    ]
    configs = [
        config("google_compute_subnetwork.logged_a", network=ref("google_compute_network.logged")),
        config("google_compute_subnetwork.logged_b", network=ref("google_compute_network.logged")),
        config("google_compute_subnetwork.partial_a", network=ref("google_compute_network.partial")),
        config("google_compute_subnetwork.partial_b", network=ref("google_compute_network.partial")),
        config("aws_subnet.s1", vpc_id=ref("aws_vpc.subnet_logged")), config("aws_subnet.s2", vpc_id=ref("aws_vpc.subnet_logged")),
        config("aws_flow_log.s1", subnet_id=ref("aws_subnet.s1")), config("aws_flow_log.s2", subnet_id=ref("aws_subnet.s2")),
        config("aws_subnet.h1", vpc_id=ref("aws_vpc.half_logged")), config("aws_subnet.h2", vpc_id=ref("aws_vpc.half_logged")),
        config("aws_flow_log.h1", subnet_id=ref("aws_subnet.h1")),
    ]
    _, evidence = gate_json(plan(tmp_path, changes, configs))
    got = {k: v["status"] for k, v in statuses(evidence).items() if k[0] in ("GM-LOG-001", "GM-AVL-001")}
    assert got == {
        ("GM-LOG-001", "google_compute_network.logged"): "PASS",
        ("GM-LOG-001", "google_compute_network.partial"): "FAIL",
        ("GM-LOG-001", "google_compute_network.auto"): "FAIL",          # auto subnetworks log nothing
        ("GM-LOG-001", "aws_vpc.subnet_logged"): "PASS",                # a flow log on every subnet
        ("GM-LOG-001", "aws_vpc.half_logged"): "FAIL",
        ("GM-LOG-001", "aws_vpc.existing"): "NOT_EVALUATED",            # a flow log outside the plan may record it
    }  # GM-AVL-001 judges workloads, not networks: no record for a VPC, planned or live
    assert evidence["gate"]["types_without_checks"] == {}


def test_network_acls_and_their_rules(tmp_path):
    entry = {"protocol": "6", "rule_no": 100, "action": "allow", "cidr_block": "0.0.0.0/0", "ipv6_cidr_block": "",
             "from_port": 22, "to_port": 22, "icmp_code": 0, "icmp_type": 0}
    changes = [
        change("aws_network_acl.open", {"ingress": [entry], "egress": []}),
        change("aws_network_acl.guarded", {"ingress": [entry], "egress": []}),
        change("aws_network_acl_rule.deny_ssh", {"rule_number": 50, "egress": False, "protocol": "tcp", "rule_action": "deny",
                                                 "cidr_block": "0.0.0.0/0", "from_port": 22, "to_port": 22}),
        change("aws_network_acl_rule.elsewhere", {"network_acl_id": "acl-0123456789abcdef0", "rule_number": 100, "egress": False,
                                                  "protocol": "-1", "rule_action": "allow", "cidr_block": "0.0.0.0/0"}),
    ]
    configs = [config("aws_network_acl_rule.deny_ssh", network_acl_id=ref("aws_network_acl.guarded"))]
    _, evidence = gate_json(plan(tmp_path, changes, configs))
    got = statuses(evidence)
    assert got[("GM-ADMIN-001", "aws_network_acl.open")]["status"] == "FAIL"
    assert got[("GM-ADMIN-001", "aws_network_acl.guarded")]["status"] == "PASS"   # an earlier deny, by rule number
    # an allow-all rule of an ACL outside the plan: a deny there may come first — not judged, and says why
    lone = got[("GM-ADMIN-001", "aws_network_acl_rule.elsewhere")]
    assert lone["status"] == "NOT_EVALUATED" and "outside the plan" in lone["reason"]


def test_the_legacy_azure_sql_server_and_its_firewall_rules(tmp_path):
    server = {"name": "s", "resource_group_name": "rg", "location": "japaneast", "version": "12.0"}
    changes = [
        change("azurerm_sql_server.open", {**server, "name": "open"}),
        change("azurerm_sql_firewall_rule.world", {"name": "all", "resource_group_name": "rg", "server_name": "open",
                                                   "start_ip_address": "0.0.0.0", "end_ip_address": "255.255.255.255"}),
        change("azurerm_sql_server.azure_only", {**server, "name": "azure-only"}),
        change("azurerm_sql_firewall_rule.azure", {"name": "azure", "resource_group_name": "rg", "server_name": "azure-only",
                                                   "start_ip_address": "0.0.0.0", "end_ip_address": "0.0.0.0"}),
        change("azurerm_mssql_server.private", {"name": "p", "resource_group_name": "rg", "location": "japaneast",
                                                "public_network_access_enabled": False, "minimum_tls_version": "1.2"}),
        change("azurerm_mssql_server.old_tls", {"name": "o", "resource_group_name": "rg", "location": "japaneast",
                                                "public_network_access_enabled": True, "minimum_tls_version": "1.0"}),
    ]
    _, evidence = gate_json(plan(tmp_path, changes, []))
    got = {k: v["status"] for k, v in statuses(evidence).items() if k[0] in ("GM-DB-001", "GM-TLS-001")}
    assert got == {
        ("GM-DB-001", "azurerm_sql_server.open"): "FAIL", ("GM-DB-001", "azurerm_sql_server.azure_only"): "PASS",
        ("GM-DB-001", "azurerm_mssql_server.private"): "PASS", ("GM-DB-001", "azurerm_mssql_server.old_tls"): "PASS",
        ("GM-TLS-001", "azurerm_sql_server.open"): "NOT_EVALUATED", ("GM-TLS-001", "azurerm_sql_server.azure_only"): "NOT_EVALUATED",
        ("GM-TLS-001", "azurerm_mssql_server.private"): "PASS", ("GM-TLS-001", "azurerm_mssql_server.old_tls"): "FAIL",
    }


def test_types_no_check_covers_are_only_those(tmp_path):
    changes = [
        change("aws_s3_bucket_logging.v", {"bucket": "b"}),
        change("aws_guardduty_detector.d", {"enable": True}),
        change("random_id.r", {"byte_length": 4}),
        change("aws_vpc.v", {"cidr_block": "10.0.0.0/16"}),
        change("aws_subnet.s", {"cidr_block": "10.0.0.0/24", "availability_zone": "ap-northeast-1a"}),
        change("aws_flow_log.f", {"traffic_type": "ALL"}, {"id": True, "vpc_id": True}),
        change("google_compute_network.n", {"name": "n", "auto_create_subnetworks": False}),
        change("google_compute_subnetwork.s", {"name": "s", "log_config": []}),
        change("azurerm_sql_server.s", {"name": "s", "resource_group_name": "rg"}),
        change("azurerm_sql_firewall_rule.r", {"name": "r", "resource_group_name": "rg", "server_name": "s",
                                               "start_ip_address": "10.0.0.1", "end_ip_address": "10.0.0.1"}),
    ]
    configs = [config("aws_flow_log.f", vpc_id=ref("aws_vpc.v")), config("aws_subnet.s", vpc_id=ref("aws_vpc.v")),
               config("google_compute_subnetwork.s", network=ref("google_compute_network.n"))]
    _, evidence = gate_json(plan(tmp_path, changes, configs))
    gate = evidence["gate"]
    assert gate["types_without_checks"] == {"aws_s3_bucket_logging": 1, "random_id": 1}
    assert gate["not_judged"] == {"not read from plans (checks judge it as cloud.region in a live scan)": ["aws_guardduty_detector.d"]}
    got = {k: v["status"] for k, v in statuses(evidence).items()}
    assert got[("GM-LOG-001", "aws_vpc.v")] == "PASS" and got[("GM-LOG-001", "google_compute_network.n")] == "FAIL"
    assert got[("GM-DB-001", "azurerm_sql_server.s")] == "PASS"
