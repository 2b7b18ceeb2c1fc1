package genmei.checks.network.world_open_ports_test

import data.genmei.checks.network.world_open_ports as check
import data.genmei.test as t

fw(rules) := {"resources": {"network.firewall": {"nsg-1": {
	"id": "nsg-1", "type": "network.firewall", "provider": "azure",
	"attrs": {"rules": rules},
}}}}

rule(from, to, src) := {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": from, "to": to}], "sources": [src]}

test_https_and_http_from_world_pass if {
	t.assert_statuses(check.results, {"nsg-1": "PASS"}) with input as fw([rule(443, 443, "0.0.0.0/0"), rule(80, 80, "*")])
}

test_database_port_from_world_fails if {
	t.assert_statuses(check.results, {"nsg-1": "FAIL"}) with input as fw([rule(5432, 5432, "0.0.0.0/0")])
	r := t.record(check.results, "nsg-1") with input as fw([rule(5432, 5432, "0.0.0.0/0")])
	r.evidence.world_open_rules == ["tcp 5432 from [\"0.0.0.0/0\"]"]
}

test_range_including_443_fails if {
	t.assert_statuses(check.results, {"nsg-1": "FAIL"}) with input as fw([rule(80, 443, "::/0")])
}

test_all_traffic_from_world_fails if {
	t.assert_statuses(check.results, {"nsg-1": "FAIL"}) with input as fw([{"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["0.0.0.0/0"]}])
	r := t.record(check.results, "nsg-1") with input as fw([{"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["0.0.0.0/0"]}])
	r.evidence.world_open_rules == ["all protocols and ports from [\"0.0.0.0/0\"]"]
}

test_icmp_from_world_is_not_a_port if {
	t.assert_statuses(check.results, {"nsg-1": "PASS"}) with input as fw([{"direction": "ingress", "action": "allow", "protocol": "icmp", "sources": ["0.0.0.0/0"]}])
}

test_restricted_source_passes if {
	t.assert_statuses(check.results, {"nsg-1": "PASS"}) with input as fw([rule(5432, 5432, "10.0.0.0/16")])
}

test_deny_all_before_allow_shadows if {
	allow := object.union(rule(8080, 8080, "Internet"), {"priority": 200})
	deny := {"direction": "ingress", "action": "deny", "protocol": "all", "sources": ["*"], "priority": 100}
	t.assert_statuses(check.results, {"nsg-1": "PASS"}) with input as fw([allow, deny])
}

test_unknown_rules_not_evaluated if {
	inp := {"resources": {"network.firewall": {"nsg-1": {"id": "nsg-1", "provider": "aws", "attrs": {}, "unknown": ["attrs.rules"]}}}}
	t.assert_statuses(check.results, {"nsg-1": "NOT_EVALUATED"}) with input as inp
	r := t.record(check.results, "nsg-1") with input as inp
	r.reason == "attrs.rules is known only after apply"
}

test_all_ports_rule_without_a_protocol_fails if {
	t.assert_statuses(check.results, {"nsg-1": "FAIL"}) with input as fw([{"direction": "ingress", "action": "allow", "sources": ["0.0.0.0/0"]}])
	r := t.record(check.results, "nsg-1") with input as fw([{"direction": "ingress", "action": "allow", "sources": ["0.0.0.0/0"]}])
	r.evidence.world_open_rules == ["all protocols and ports from [\"0.0.0.0/0\"]"]
}

# A range made only of allowed ports is not world-open beyond them (allowed ports as data).
test_a_range_of_allowed_ports_only_passes if {
	inp := fw([rule(8080, 8081, "0.0.0.0/0")])
	t.assert_statuses(check.results, {"nsg-1": "PASS"}) with input as inp with data.genmei.params.world_open_allowed_ports as [8080, 8081]
	t.assert_statuses(check.results, {"nsg-1": "FAIL"}) with input as fw([rule(8080, 8082, "0.0.0.0/0")]) with data.genmei.params.world_open_allowed_ports as [8080, 8081]
}

# A deny shadows a single-port allow only: a range is not hidden by a deny of its first port.
test_a_deny_of_one_port_does_not_shadow_a_range if {
	allow := object.union(rule(20, 30, "0.0.0.0/0"), {"priority": 200})
	deny := {"direction": "ingress", "action": "deny", "protocol": "tcp", "port_ranges": [{"from": 20, "to": 20}], "sources": ["0.0.0.0/0"], "priority": 100}
	t.assert_statuses(check.results, {"nsg-1": "FAIL"}) with input as fw([allow, deny])
}

# An allow of every port is shadowed only by an earlier inbound deny of every port from the
# world; each resource below breaks one of those conditions.
test_an_every_port_allow_is_shadowed_only_by_an_earlier_world_deny_of_every_port if {
	allow := {"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["*"], "priority": 200}
	deny := {"direction": "ingress", "action": "deny", "protocol": "all", "sources": ["Internet"], "priority": 100}
	denies := {
		"shadowed": deny,
		"egress-deny": object.union(deny, {"direction": "egress"}),
		"allow-not-deny": object.union(deny, {"action": "allow"}),
		"later-deny": object.union(deny, {"priority": 300}),
		"deny-from-office": object.union(deny, {"sources": ["10.0.0.0/8"]}),
		"deny-of-one-port": object.union(deny, {"protocol": "tcp", "port_ranges": [{"from": 22, "to": 22}]}),
	}
	inp := t.fixture("network.firewall", {id: {"provider": "azure", "attrs": {"rules": [allow, d]}} | some id, d in denies})
	t.assert_statuses(check.results, {
		"shadowed": "PASS", "egress-deny": "FAIL", "allow-not-deny": "FAIL", "later-deny": "FAIL",
		"deny-from-office": "FAIL", "deny-of-one-port": "FAIL",
	}) with input as inp
	# an earlier world allow of every port is itself open: it shadows nothing
	count(t.record(check.results, "allow-not-deny").evidence.world_open_rules) == 2 with input as inp
}

world_any(protocol) := {"direction": "ingress", "action": "allow", "protocol": protocol, "port_ranges": [], "sources": ["0.0.0.0/0"]}

# A protocol without ports — by keyword, or by any IANA number but TCP 6, UDP 17, DCCP 33,
# SCTP 132 and UDP-Lite 136 (a number with no keyword in the collectors' table, such as
# 99, included) — opens no port; the numbers of the protocols with ports open them all.
test_portless_protocols_from_the_world_open_no_port if {
	protocols := {
		"esp": "esp", "gre": "47", "any-private-encryption": "99", "reserved": "255", "hopopt": "0",
		"tcp-all": "tcp", "tcp-number": "6", "udp-number": "17", "dccp-number": "33", "sctp-number": "132",
		"udplite-number": "136", "all": "all",
	}
	inp := t.fixture("network.firewall", {id: {"provider": "aws", "attrs": {"rules": [world_any(p)]}} | some id, p in protocols})
	t.assert_statuses(check.results, {
		"esp": "PASS", "gre": "PASS", "any-private-encryption": "PASS", "reserved": "PASS", "hopopt": "PASS",
		"tcp-all": "FAIL", "tcp-number": "FAIL", "udp-number": "FAIL", "dccp-number": "FAIL", "sctp-number": "FAIL",
		"udplite-number": "FAIL", "all": "FAIL",
	}) with input as inp
	t.record(check.results, "sctp-number").evidence.world_open_rules == ["132 all ports from [\"0.0.0.0/0\"]"] with input as inp
}

# A world-open rule for a protocol without ports does not fail the check, but it is named
# in the reason and the evidence, beside an open port when there is one.
test_portless_world_rules_are_named if {
	inp := fw([world_any("esp"), world_any("99"), rule(443, 443, "0.0.0.0/0")])
	t.assert_statuses(check.results, {"nsg-1": "PASS"}) with input as inp
	r := t.record(check.results, "nsg-1") with input as inp
	r.evidence == {"world_open_rules": [], "world_open_portless_rules": ["esp from [\"0.0.0.0/0\"]", "99 from [\"0.0.0.0/0\"]"]}
	endswith(r.reason, "; rules for protocols without ports (which expose none) admit it: esp from [\"0.0.0.0/0\"]; 99 from [\"0.0.0.0/0\"]")
	contains(r.reason_ja, "ポートを持たないプロトコル")
	open := fw([world_any("gre"), rule(5432, 5432, "0.0.0.0/0")])
	t.assert_statuses(check.results, {"nsg-1": "FAIL"}) with input as open
	t.record(check.results, "nsg-1").evidence == {"world_open_rules": ["tcp 5432 from [\"0.0.0.0/0\"]"], "world_open_portless_rules": ["gre from [\"0.0.0.0/0\"]"]} with input as open
	closed := fw([rule(443, 443, "0.0.0.0/0")])
	t.record(check.results, "nsg-1").evidence == {"world_open_rules": [], "world_open_portless_rules": []} with input as closed
	not contains(t.record(check.results, "nsg-1").reason, "without ports") with input as closed
}

# The Japanese reason is plain Japanese: no protocol keyword or list syntax of the evidence.
test_japanese_reasons_are_plain if {
	prefix := "公開を認めたポート(80、443)以外への受信をインターネット全体から許可している: "
	all_in := fw([{"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["0.0.0.0/0", "::/0"]}])
	t.record(check.results, "nsg-1").reason_ja == concat("", [prefix, "全プロトコル・全ポート(送信元 0.0.0.0/0、::/0)"]) with input as all_in
	no_protocol := fw([{"direction": "ingress", "action": "allow", "sources": ["0.0.0.0/0"]}])
	t.record(check.results, "nsg-1").reason_ja == concat("", [prefix, "全プロトコル・全ポート(送信元 0.0.0.0/0)"]) with input as no_protocol
	two := fw([rule(5432, 5432, "0.0.0.0/0"), rule(8000, 8100, "::/0")])
	t.record(check.results, "nsg-1").reason_ja == concat("", [prefix, "TCP 5432番(送信元 0.0.0.0/0)、TCP 8000-8100番(送信元 ::/0)"]) with input as two
	t.record(check.results, "nsg-1").reason_ja == concat("", [prefix, "TCPの全ポート(送信元 0.0.0.0/0)"]) with input as fw([world_any("tcp")])
	t.record(check.results, "nsg-1").reason_ja == concat("", [prefix, "プロトコル番号132の全ポート(送信元 0.0.0.0/0)"]) with input as fw([world_any("132")])
	portless := fw([world_any("esp"), world_any("99"), rule(443, 443, "0.0.0.0/0")])
	t.record(check.results, "nsg-1").reason_ja == "公開を認めたポート(80、443)以外にインターネット全体に開いたポートはない(ポートを持たないプロトコルのルールがインターネット全体からの受信を許可している: ESP(送信元 0.0.0.0/0)、プロトコル番号99(送信元 0.0.0.0/0))" with input as portless
	t.record(check.results, "nsg-1").reason_ja == "公開を認めたポート(80、443)以外にインターネット全体に開いたポートはない" with input as fw([rule(443, 443, "0.0.0.0/0")])
}

test_no_allowed_port_is_said_in_japanese if {
	r := t.record(check.results, "nsg-1") with input as fw([rule(443, 443, "0.0.0.0/0")]) with data.genmei.params.world_open_allowed_ports as []
	r.reason_ja == "公開を認めたポート(なし)以外への受信をインターネット全体から許可している: TCP 443番(送信元 0.0.0.0/0)"
}
