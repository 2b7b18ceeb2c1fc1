package genmei.checks.admin_exposure.admin_ports_world_open_test

import data.genmei.checks.admin_exposure.admin_ports_world_open as check

fw(rules) := {"resources": {"network.firewall": {"sg-1": {
	"id": "sg-1", "type": "network.firewall", "provider": "aws",
	"attrs": {"rules": rules},
}}}}

ssh_world := {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": 22, "to": 22}], "sources": ["0.0.0.0/0"]}

test_ssh_from_world_fails if {
	some r in check.results with input as fw([ssh_world])
	r.status == "FAIL"
	r.evidence.exposed_ports == [22]
}

test_all_ports_from_ipv6_world_fails_on_every_admin_port if {
	rule := {"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["::/0"]}
	some r in check.results with input as fw([rule])
	r.status == "FAIL"
	r.evidence.exposed_ports == [22, 3389, 5985, 5986]
}

test_ssh_from_office_passes if {
	rule := object.union(ssh_world, {"sources": ["203.0.113.0/24"]})
	some r in check.results with input as fw([rule])
	r.status == "PASS"
}

test_https_from_world_passes if {
	rule := object.union(ssh_world, {"port_ranges": [{"from": 443, "to": 443}]})
	some r in check.results with input as fw([rule])
	r.status == "PASS"
}

test_egress_is_not_exposure if {
	rule := object.union(ssh_world, {"direction": "egress"})
	some r in check.results with input as fw([rule])
	r.status == "PASS"
}

test_deny_with_higher_precedence_shadows_allow if {
	allow := object.union(ssh_world, {"priority": 300})
	deny := object.union(ssh_world, {"action": "deny", "priority": 100})
	some r in check.results with input as fw([allow, deny])
	r.status == "PASS"
}

test_uncollected_rules_not_evaluated if {
	inp := {"resources": {"network.firewall": {"sg-1": {"id": "sg-1", "type": "network.firewall", "provider": "aws", "attrs": {}}}}}
	some r in check.results with input as inp
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.rules was not collected"
}

test_one_record_per_resource if {
	count(check.results) == 1 with input as fw([ssh_world, ssh_world])
}

test_all_ports_rule_without_a_protocol_exposes_every_admin_port if {
	inp := {"resources": {"network.firewall": {"sg-1": {"id": "sg-1", "provider": "aws", "attrs": {"rules": [{"direction": "ingress", "action": "allow", "sources": ["0.0.0.0/0"]}]}}}}}
	some r in check.results with input as inp
	r.status == "FAIL"
	r.evidence.exposed_ports == [22, 3389, 5985, 5986]
}
