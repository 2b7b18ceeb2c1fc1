package genmei.checks.network.world_open_ports_test

import data.genmei.checks.network.world_open_ports as check

fw(rules) := {"resources": {"network.firewall": {"nsg-1": {
	"id": "nsg-1", "type": "network.firewall", "provider": "azure",
	"attrs": {"rules": rules},
}}}}

rule(from, to, src) := {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": from, "to": to}], "sources": [src]}

test_https_and_http_from_world_pass if {
	some r in check.results with input as fw([rule(443, 443, "0.0.0.0/0"), rule(80, 80, "*")])
	r.status == "PASS"
}

test_database_port_from_world_fails if {
	some r in check.results with input as fw([rule(5432, 5432, "0.0.0.0/0")])
	r.status == "FAIL"
	r.evidence.world_open_rules == ["tcp 5432 from [\"0.0.0.0/0\"]"]
}

test_range_including_443_fails if {
	some r in check.results with input as fw([rule(80, 443, "::/0")])
	r.status == "FAIL"
}

test_all_traffic_from_world_fails if {
	some r in check.results with input as fw([{"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["0.0.0.0/0"]}])
	r.status == "FAIL"
	r.evidence.world_open_rules == ["all all ports from [\"0.0.0.0/0\"]"]
}

test_icmp_from_world_is_not_a_port if {
	some r in check.results with input as fw([{"direction": "ingress", "action": "allow", "protocol": "icmp", "sources": ["0.0.0.0/0"]}])
	r.status == "PASS"
}

test_restricted_source_passes if {
	some r in check.results with input as fw([rule(5432, 5432, "10.0.0.0/16")])
	r.status == "PASS"
}

test_deny_all_before_allow_shadows if {
	allow := object.union(rule(8080, 8080, "Internet"), {"priority": 200})
	deny := {"direction": "ingress", "action": "deny", "protocol": "all", "sources": ["*"], "priority": 100}
	some r in check.results with input as fw([allow, deny])
	r.status == "PASS"
}

test_unknown_rules_not_evaluated if {
	inp := {"resources": {"network.firewall": {"nsg-1": {"id": "nsg-1", "provider": "aws", "attrs": {}, "unknown": ["attrs.rules"]}}}}
	some r in check.results with input as inp
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.rules is known only after apply"
}

test_all_ports_rule_without_a_protocol_fails if {
	some r in check.results with input as fw([{"direction": "ingress", "action": "allow", "sources": ["0.0.0.0/0"]}])
	r.status == "FAIL"
	r.evidence.world_open_rules == ["any all ports from [\"0.0.0.0/0\"]"]
}
