package genmei.checks.resilience.load_distribution_test

import data.genmei.checks.resilience.load_distribution as check
import data.genmei.test as t

groups := t.fixture("compute.instance_group", {
	"web": {"attrs": {"load_balancers": ["arn:tg/web"], "min_size": 2, "max_size": 8}},
	"fixed-three": {"attrs": {"load_balancers": ["pool-a", "pool-b"], "min_size": 3, "max_size": 3, "autoscaling": false}},
	"floor-one": {"attrs": {"load_balancers": ["arn:tg/api"], "min_size": 1, "max_size": 10, "autoscaling": true}},
	"floor-zero": {"attrs": {"load_balancers": ["arn:tg/api"], "min_size": 0, "max_size": 6}},
	"alone": {"attrs": {"load_balancers": [], "min_size": 4, "max_size": 4}},
	"unread": {"attrs": {"min_size": 2, "not_collected": {"load_balancers": "the backend services were not read"}}},
	"no-sizes": {"attrs": {"load_balancers": ["arn:tg/web"]}},
	"planned": {"attrs": {"min_size": 2}, "unknown": ["attrs.load_balancers"]},
})

test_each_group_by_its_load_balancer_and_floor if {
	t.assert_statuses(check.results, {
		"web": "PASS", "fixed-three": "PASS", "floor-one": "FAIL", "floor-zero": "FAIL", "alone": "FAIL",
		"unread": "NOT_EVALUATED", "no-sizes": "NOT_EVALUATED", "planned": "NOT_EVALUATED",
	}) with input as groups
}

# No load balancer is a FAIL whatever the sizes are known to be.
test_no_load_balancer_fails_before_sizes_are_needed if {
	t.assert_statuses(check.results, {"g": "FAIL"}) with input as t.fixture("compute.instance_group", {"g": {"attrs": {"load_balancers": []}}})
}

test_the_floor_is_a_parameter if {
	t.assert_statuses(check.results, {"web": "FAIL", "fixed-three": "PASS"}) with input as t.fixture("compute.instance_group", {
		"web": {"attrs": {"load_balancers": ["arn:tg/web"], "min_size": 2}},
		"fixed-three": {"attrs": {"load_balancers": ["pool-a"], "min_size": 3}},
	})
		with data.genmei.params.min_load_balanced_instances as 3
}

test_reasons if {
	r := t.record(check.results, "floor-one") with input as groups
	r.reason_ja == "ロードバランサの配下にあるが、最小台数が1台で2台を下回り、冗長化されていない"
	r.evidence == {"load_balancers": ["arn:tg/api"], "min_size": 1, "min_load_balanced_instances": 2}
	a := t.record(check.results, "alone") with input as groups
	a.reason_ja == "ロードバランサの配下になく、要求がグループのインスタンスに分散されない"
	u := t.record(check.results, "unread") with input as groups
	u.reason_ja == "ロードバランサへの登録を収集できなかった(the backend services were not read)"
	p := t.record(check.results, "web") with input as groups
	p.reason_ja == "ロードバランサが最小でも2台のインスタンスに要求を分散する"
}
