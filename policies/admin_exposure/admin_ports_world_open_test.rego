package genmei.checks.admin_exposure.admin_ports_world_open_test

import data.genmei.checks.admin_exposure.admin_ports_world_open as check
import data.genmei.test as t

fw(rules) := {"resources": {"network.firewall": {"sg-1": {
	"id": "sg-1", "type": "network.firewall", "provider": "aws",
	"attrs": {"rules": rules},
}}}}

ssh_world := {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": 22, "to": 22}], "sources": ["0.0.0.0/0"]}

test_ssh_from_world_fails if {
	t.assert_statuses(check.results, {"sg-1": "FAIL"}) with input as fw([ssh_world])
	r := t.record(check.results, "sg-1") with input as fw([ssh_world])
	r.evidence.exposed_ports == [22]
}

test_all_ports_from_ipv6_world_fails_on_every_admin_port if {
	rule := {"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["::/0"]}
	t.assert_statuses(check.results, {"sg-1": "FAIL"}) with input as fw([rule])
	r := t.record(check.results, "sg-1") with input as fw([rule])
	r.evidence.exposed_ports == [22, 3389, 5985, 5986]
}

test_ssh_from_office_passes if {
	rule := object.union(ssh_world, {"sources": ["203.0.113.0/24"]})
	t.assert_statuses(check.results, {"sg-1": "PASS"}) with input as fw([rule])
}

test_https_from_world_passes if {
	rule := object.union(ssh_world, {"port_ranges": [{"from": 443, "to": 443}]})
	t.assert_statuses(check.results, {"sg-1": "PASS"}) with input as fw([rule])
}

test_egress_is_not_exposure if {
	rule := object.union(ssh_world, {"direction": "egress"})
	t.assert_statuses(check.results, {"sg-1": "PASS"}) with input as fw([rule])
}

test_deny_with_higher_precedence_shadows_allow if {
	allow := object.union(ssh_world, {"priority": 300})
	deny := object.union(ssh_world, {"action": "deny", "priority": 100})
	t.assert_statuses(check.results, {"sg-1": "PASS"}) with input as fw([allow, deny])
}

test_uncollected_rules_not_evaluated if {
	inp := {"resources": {"network.firewall": {"sg-1": {"id": "sg-1", "type": "network.firewall", "provider": "aws", "attrs": {}}}}}
	t.assert_statuses(check.results, {"sg-1": "NOT_EVALUATED"}) with input as inp
	r := t.record(check.results, "sg-1") with input as inp
	r.reason == "attrs.rules was not collected"
}

test_one_record_per_resource if {
	count(check.results) == 1 with input as fw([ssh_world, ssh_world])
}

test_all_ports_rule_without_a_protocol_exposes_every_admin_port if {
	inp := {"resources": {"network.firewall": {"sg-1": {"id": "sg-1", "provider": "aws", "attrs": {"rules": [{"direction": "ingress", "action": "allow", "sources": ["0.0.0.0/0"]}]}}}}}
	t.assert_statuses(check.results, {"sg-1": "FAIL"}) with input as inp
	r := t.record(check.results, "sg-1") with input as inp
	r.evidence.exposed_ports == [22, 3389, 5985, 5986]
}

# A protocol without ports (ESP, AH, GRE, ICMP) from anywhere exposes no administrative
# port, whatever the source wrote as ports; every protocol ("all") exposes them all.
test_portless_protocols_expose_no_port if {
	rules := {
		"esp": [{"direction": "ingress", "action": "allow", "protocol": "esp", "port_ranges": [], "sources": ["0.0.0.0/0"]}],
		"esp-number": [{"direction": "ingress", "action": "allow", "protocol": "50", "port_ranges": [], "sources": ["0.0.0.0/0"]}],
		"icmp": [{"direction": "ingress", "action": "allow", "protocol": "icmp", "sources": ["::/0"]}],
		"all": [{"direction": "ingress", "action": "allow", "protocol": "all", "port_ranges": [], "sources": ["0.0.0.0/0"]}],
		"udp-range": [{"direction": "ingress", "action": "allow", "protocol": "udp", "port_ranges": [{"from": 3000, "to": 4000}], "sources": ["*"]}],
	}
	inp := t.fixture("network.firewall", {id: {"provider": "aws", "attrs": {"rules": r}} | some id, r in rules})
	t.assert_statuses(check.results, {"esp": "PASS", "esp-number": "PASS", "icmp": "PASS", "all": "FAIL", "udp-range": "FAIL"}) with input as inp
	t.record(check.results, "udp-range").evidence.exposed_ports == [3389] with input as inp
}

world_any(protocol) := {"direction": "ingress", "action": "allow", "protocol": protocol, "port_ranges": [], "sources": ["0.0.0.0/0"]}

# A protocol known by its IANA number only (no keyword in the collectors' table) has no
# ports unless it is TCP 6, UDP 17, DCCP 33, SCTP 132 or UDP-Lite 136: a world-open rule
# for 99 or 253 exposes no administrative port; one for 6 or 132 exposes them all.
test_protocol_numbers_without_ports_expose_no_port if {
	protocols := {"n99": "99", "n253": "253", "n0": "0", "n6": "6", "n17": "17", "n33": "33", "n132": "132", "n136": "136"}
	inp := t.fixture("network.firewall", {id: {"provider": "gcp", "attrs": {"rules": [world_any(p)]}} | some id, p in protocols})
	t.assert_statuses(check.results, {
		"n99": "PASS", "n253": "PASS", "n0": "PASS",
		"n6": "FAIL", "n17": "FAIL", "n33": "FAIL", "n132": "FAIL", "n136": "FAIL",
	}) with input as inp
	t.record(check.results, "n132").evidence.exposed_ports == [22, 3389, 5985, 5986] with input as inp
}
