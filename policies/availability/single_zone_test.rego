package genmei.checks.availability.single_zone_test

import data.genmei.checks.availability.single_zone as check
import data.genmei.test as t

res(t, zones) := {"resources": {t: {"x": {"id": "x", "provider": "gcp", "zones": zones, "attrs": {}}}}}

test_two_zones_pass if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res("db.instance", ["ap-northeast-1a", "ap-northeast-1c"])
}

test_a_group_in_two_zones_passes if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res("compute.instance_group", ["japaneast-1", "japaneast-2"])
}

test_one_zone_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res("lb.load_balancer", ["japaneast-1"])
}

test_a_single_zone_group_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res("compute.instance_group", ["asia-northeast1-a"])
}

test_duplicate_zone_counts_once if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res("db.instance", ["a", "a"])
}

test_unknown_zones_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res("k8s.cluster", null)
}

# A network is not a workload: its subnets' spread proves nothing, and a network with no
# workload is not applicable, so networks get no record at all.
test_networks_are_not_judged if {
	t.assert_statuses(check.results, {}) with input as res("network.vpc", ["a", "b", "c"])
	t.assert_statuses(check.results, {}) with input as res("network.vpc", [])
}

# A group that can run no instance (maximum size 0) has no zone to lose: not evaluated, saying why.
test_a_group_that_can_run_no_instance_is_not_evaluated if {
	doc := {"resources": {"compute.instance_group": {
		"parked": {"id": "parked", "provider": "aws", "zones": ["ap-northeast-1a"], "attrs": {"min_size": 0, "max_size": 0}},
		"parked-spread": {"id": "parked-spread", "provider": "aws", "zones": ["a", "c"], "attrs": {"min_size": 0, "max_size": 0}},
		"one": {"id": "one", "provider": "aws", "zones": ["ap-northeast-1a"], "attrs": {"min_size": 0, "max_size": 1}},
	}}}
	t.assert_statuses(check.results, {"parked": "NOT_EVALUATED", "parked-spread": "NOT_EVALUATED", "one": "FAIL"}) with input as doc
	r := t.record(check.results, "parked") with input as doc
	r.reason_ja == "稼働できるインスタンスがない(最大台数0)"
	r.evidence == {"max_size": 0}
}
