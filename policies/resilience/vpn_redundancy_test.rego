package genmei.checks.resilience.vpn_redundancy_test

import data.genmei.checks.resilience.vpn_redundancy as check
import data.genmei.test as t

PLAN_WHY := "a plan does not hold the tunnels' state"

vpns := t.fixture("network.vpn", {
	"both-up": {"provider": "aws", "attrs": {"gateway_interfaces": 2, "tunnels": 2, "tunnels_up": 2}},
	"one-up": {"provider": "aws", "attrs": {"gateway_interfaces": 2, "tunnels": 2, "tunnels_up": 1}},
	"none-up": {"provider": "gcp", "attrs": {"gateway_interfaces": 2, "tunnels": 2, "tunnels_up": 0}},
	"classic": {"provider": "gcp", "attrs": {"gateway_interfaces": 1, "tunnels": 2, "tunnels_up": 1}},
	"classic-planned": {"provider": "gcp", "attrs": {"gateway_interfaces": 1, "not_collected": {"tunnels_up": PLAN_WHY}}},
	"ha-planned": {"provider": "gcp", "attrs": {"gateway_interfaces": 2, "not_collected": {"tunnels_up": PLAN_WHY}}},
	"unread": {"provider": "aws", "attrs": {}},
	"after-apply": {"provider": "gcp", "attrs": {"tunnels_up": 2}, "unknown": ["attrs.gateway_interfaces"]},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {
		"both-up": "PASS", "one-up": "FAIL", "none-up": "FAIL", "classic": "FAIL", "classic-planned": "FAIL",
		"ha-planned": "NOT_EVALUATED", "unread": "NOT_EVALUATED", "after-apply": "NOT_EVALUATED",
	}) with input as vpns
}

test_reasons if {
	t.record(check.results, "both-up").reason == "tunnels are up on 2 independent gateway endpoints: one path's loss leaves another" with input as vpns
	r := t.record(check.results, "one-up") with input as vpns
	r.reason == "a tunnel is up on 1 of its 2 gateway endpoints: no alternative path at the scan"
	r.evidence == {"gateway_interfaces": 2, "tunnels_up": 1, "tunnels": 2}
	not contains(r.reason_ja, "attrs")
	t.record(check.results, "classic").reason == "the VPN terminates on 1 gateway interface(s): no alternative path" with input as vpns
}

test_not_evaluated_reasons if {
	t.record(check.results, "ha-planned").reason == sprintf("attrs.tunnels_up was not collected: %s", [PLAN_WHY]) with input as vpns
	t.record(check.results, "unread").reason == "attrs.gateway_interfaces was not collected" with input as vpns
	t.record(check.results, "after-apply").reason == "attrs.gateway_interfaces is known only after apply" with input as vpns
}

# three endpoints, two up: still an alternative path
test_two_of_three_up_passes if {
	t.assert_statuses(check.results, {"v": "PASS"}) with input as t.fixture("network.vpn", {"v": {"provider": "aws", "attrs": {"gateway_interfaces": 3, "tunnels_up": 2}}})
}
