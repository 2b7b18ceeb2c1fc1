package genmei.checks.resilience.vpn_redundancy_test

import data.genmei.checks.resilience.vpn_redundancy as check
import data.genmei.test as t

PLAN_WHY := "a plan does not hold the tunnels' state"

DX_WHY := "Direct Connect virtual interfaces were not read"

vpns := t.fixture("network.vpn", {
	"both-up": {"provider": "aws", "attrs": {"gateway_interfaces": 2, "tunnels": 2, "tunnels_up": 2}},
	"one-up-alone": {"provider": "aws", "attrs": {"gateway_interfaces": 2, "tunnels": 2, "tunnels_up": 1, "other_links": 0}},
	"one-up-backed": {"provider": "aws", "attrs": {"gateway_interfaces": 2, "tunnels": 2, "tunnels_up": 1, "other_links": 1}},
	"one-up-links-unread": {"provider": "aws", "attrs": {"gateway_interfaces": 2, "tunnels_up": 1, "not_collected": {"other_links": DX_WHY}}},
	"none-up-alone": {"provider": "gcp", "attrs": {"gateway_interfaces": 2, "tunnels": 2, "tunnels_up": 0, "other_links": 0}},
	"classic-alone": {"provider": "gcp", "attrs": {"gateway_interfaces": 1, "tunnels": 2, "tunnels_up": 1, "other_links": 0}},
	"classic-backed": {"provider": "gcp", "attrs": {"gateway_interfaces": 1, "tunnels": 2, "tunnels_up": 1, "other_links": 2}},
	"classic-planned": {"provider": "gcp", "attrs": {"gateway_interfaces": 1, "not_collected": {"tunnels_up": PLAN_WHY}}},
	"classic-down": {"provider": "gcp", "attrs": {"gateway_interfaces": 1, "tunnels": 1, "tunnels_up": 0, "other_links": 0}},
	"ha-planned": {"provider": "gcp", "attrs": {"gateway_interfaces": 2, "not_collected": {"tunnels_up": PLAN_WHY}}},
	"unread": {"provider": "aws", "attrs": {}},
	"after-apply": {"provider": "gcp", "attrs": {"tunnels_up": 2}, "unknown": ["attrs.gateway_interfaces"]},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {
		"both-up": "PASS", "one-up-alone": "FAIL", "one-up-backed": "NOT_EVALUATED", "one-up-links-unread": "NOT_EVALUATED",
		"none-up-alone": "NOT_EVALUATED", "classic-alone": "FAIL", "classic-down": "NOT_EVALUATED", "classic-backed": "NOT_EVALUATED", "classic-planned": "NOT_EVALUATED",
		"ha-planned": "NOT_EVALUATED", "unread": "NOT_EVALUATED", "after-apply": "NOT_EVALUATED",
	}) with input as vpns
}

test_reasons if {
	t.record(check.results, "both-up").reason == "tunnels are up on 2 independent gateway endpoints: one path's loss leaves another" with input as vpns
	r := t.record(check.results, "one-up-alone") with input as vpns
	r.reason == "a tunnel is up on 1 of its 2 gateway endpoints, and no other hybrid link of the account or project is up: no alternative path at the scan"
	r.evidence == {"gateway_interfaces": 2, "tunnels_up": 1, "tunnels": 2, "other_links": 0}
	not contains(r.reason_ja, "attrs")
	t.record(check.results, "classic-alone").reason == "the VPN has a single gateway interface, and no other hybrid link of the account or project is up: no alternative path at the scan" with input as vpns
	startswith(t.record(check.results, "none-up-alone").reason, "no tunnel is up") with input as vpns
	b := t.record(check.results, "one-up-backed") with input as vpns
	startswith(b.reason, "a tunnel is up on 1 of its 2 gateway endpoints, but 1 other hybrid link(s)")
	b.evidence.other_links == 1
	not contains(b.reason_ja, "attrs")
}

test_not_evaluated_reasons if {
	t.record(check.results, "ha-planned").reason == sprintf("attrs.tunnels_up was not collected: %s", [PLAN_WHY]) with input as vpns
	t.record(check.results, "one-up-links-unread").reason == sprintf("attrs.other_links was not collected: %s", [DX_WHY]) with input as vpns
	t.record(check.results, "unread").reason == "attrs.gateway_interfaces was not collected" with input as vpns
	t.record(check.results, "after-apply").reason == "attrs.gateway_interfaces is known only after apply" with input as vpns
}

# three endpoints, two up: still an alternative path, whatever else there is
test_two_of_three_up_passes if {
	t.assert_statuses(check.results, {"v": "PASS"}) with input as t.fixture("network.vpn", {"v": {"provider": "aws", "attrs": {"gateway_interfaces": 3, "tunnels_up": 2, "other_links": 0}}})
}
