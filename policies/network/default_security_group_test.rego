package genmei.checks.network.default_security_group_test

import data.genmei.checks.network.default_security_group as check
import data.genmei.test as t

allow_all_out := {"direction": "egress", "action": "allow", "protocol": "all", "sources": ["0.0.0.0/0"]}

self_in := {"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["self"]}

cidr_in := {"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": 22, "to": 22}], "sources": ["203.0.113.0/24"]}

vpc(attrs) := {"provider": "aws", "attrs": attrs}

vpcs := t.fixture("network.vpc", {
	"empty-default": vpc({"default_firewall": "sg-0", "default_firewall_rules": []}),
	"aws-default": vpc({"default_firewall": "sg-1", "default_firewall_rules": [self_in, allow_all_out]}),
	"egress-only": vpc({"default_firewall_rules": [allow_all_out]}),
	"cidr-in": vpc({"default_firewall": "sg-2", "default_firewall_rules": [self_in, cidr_in, allow_all_out]}),
	"prefix-list-in": vpc({"default_firewall_rules": [{"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["pl-0123"]}]}),
	"group-in": vpc({"default_firewall_rules": [{"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["self", "sg-other"]}]}),
	"deny-in": vpc({"default_firewall_rules": [{"direction": "ingress", "action": "deny", "protocol": "all", "sources": ["0.0.0.0/0"]}]}),
	"unknown": vpc({}),
	"why-unknown": vpc({"not_collected": {"default_firewall_rules": "the plan does not manage the VPC's default security group"}}),
	"after-apply": {"provider": "aws", "attrs": {}, "unknown": ["attrs.default_firewall_rules"]},
	"azure-vnet": {"provider": "azure", "attrs": {}},
	"gcp-network": {"provider": "gcp", "attrs": {}},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {
		"empty-default": "PASS", "aws-default": "PASS", "egress-only": "PASS",
		"cidr-in": "FAIL", "prefix-list-in": "FAIL", "group-in": "FAIL",
		"deny-in": "PASS",
		"unknown": "NOT_EVALUATED", "why-unknown": "NOT_EVALUATED", "after-apply": "NOT_EVALUATED",
	}) with input as vpcs
}

test_reasons if {
	t.record(check.results, "aws-default").reason_ja == "既定のセキュリティグループは自グループ以外からの受信を許可していない(受信1件・送信1件のルールがある)" with input as vpcs
	t.record(check.results, "aws-default").evidence == {"default_firewall": "sg-1", "ingress": 1, "egress": 1, "outside_sources": []} with input as vpcs
	t.record(check.results, "egress-only").evidence == {"default_firewall": null, "ingress": 0, "egress": 1, "outside_sources": []} with input as vpcs
	t.record(check.results, "empty-default").evidence == {"default_firewall": "sg-0", "rules": 0} with input as vpcs
	t.record(check.results, "empty-default").reason_ja == "既定のセキュリティグループにルールがない" with input as vpcs
	t.record(check.results, "cidr-in").reason == "the default security group admits inbound traffic from 203.0.113.0/24" with input as vpcs
	t.record(check.results, "cidr-in").reason_ja == "既定のセキュリティグループが自グループ以外(203.0.113.0/24)からの受信を許可している" with input as vpcs
	t.record(check.results, "cidr-in").evidence == {"default_firewall": "sg-2", "ingress": 2, "egress": 1, "outside_sources": ["203.0.113.0/24"]} with input as vpcs
	t.record(check.results, "group-in").evidence.outside_sources == ["sg-other"] with input as vpcs
	t.record(check.results, "why-unknown").reason == "attrs.default_firewall_rules was not collected: the plan does not manage the VPC's default security group" with input as vpcs
	t.record(check.results, "after-apply").reason == "attrs.default_firewall_rules is known only after apply" with input as vpcs
}
