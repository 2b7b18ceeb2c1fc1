package genmei.checks.network.default_security_group_test

import data.genmei.checks.network.default_security_group as check
import data.genmei.test as t

allow_all_out := {"direction": "egress", "action": "allow", "protocol": "all", "sources": ["0.0.0.0/0"]}

self_in := {"direction": "ingress", "action": "allow", "protocol": "all", "sources": ["sg-1"]}

vpc(attrs) := {"provider": "aws", "attrs": attrs}

vpcs := t.fixture("network.vpc", {
	"empty-default": vpc({"default_firewall": "sg-0", "default_firewall_rules": []}),
	"aws-default": vpc({"default_firewall": "sg-1", "default_firewall_rules": [self_in, allow_all_out]}),
	"egress-only": vpc({"default_firewall_rules": [allow_all_out]}),
	"unknown": vpc({}),
	"why-unknown": vpc({"not_collected": {"default_firewall_rules": "the plan does not manage the VPC's default security group"}}),
	"after-apply": {"provider": "aws", "attrs": {}, "unknown": ["attrs.default_firewall_rules"]},
	"azure-vnet": {"provider": "azure", "attrs": {}},
	"gcp-network": {"provider": "gcp", "attrs": {}},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {
		"empty-default": "PASS", "aws-default": "FAIL", "egress-only": "FAIL",
		"unknown": "NOT_EVALUATED", "why-unknown": "NOT_EVALUATED", "after-apply": "NOT_EVALUATED",
	}) with input as vpcs
}

test_reasons if {
	t.record(check.results, "aws-default").reason == "the default security group has 1 inbound and 1 outbound rule(s)" with input as vpcs
	t.record(check.results, "aws-default").evidence == {"default_firewall": "sg-1", "rules": 2, "ingress": 1, "egress": 1} with input as vpcs
	t.record(check.results, "egress-only").evidence == {"default_firewall": null, "rules": 1, "ingress": 0, "egress": 1} with input as vpcs
	t.record(check.results, "empty-default").evidence == {"default_firewall": "sg-0", "rules": 0} with input as vpcs
	t.record(check.results, "why-unknown").reason == "attrs.default_firewall_rules was not collected: the plan does not manage the VPC's default security group" with input as vpcs
	t.record(check.results, "after-apply").reason == "attrs.default_firewall_rules is known only after apply" with input as vpcs
}
