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
		"web": "PASS", "fixed-three": "PASS", "floor-one": "FAIL", "floor-zero": "FAIL", "alone": "NOT_EVALUATED",
		"unread": "NOT_EVALUATED", "no-sizes": "NOT_EVALUATED", "planned": "NOT_EVALUATED",
	}) with input as groups
}

# Behind no load balancer the group may be a worker fed by a queue: not judged, whatever
# its sizes (a single instance included).
test_no_load_balancer_is_not_judged_whatever_the_sizes if {
	t.assert_statuses(check.results, {"g": "NOT_EVALUATED", "one": "NOT_EVALUATED"}) with input as t.fixture("compute.instance_group", {
		"g": {"attrs": {"load_balancers": []}},
		"one": {"attrs": {"load_balancers": [], "min_size": 1, "max_size": 1}},
	})
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
	a.reason_ja == "ロードバランサの配下になく、キューから処理を受けるワーカーなど別の方法で負荷を分散しているかは構成からは分からない"
	u := t.record(check.results, "unread") with input as groups
	u.reason_ja == "ロードバランサへの登録を収集できなかった"
	p := t.record(check.results, "web") with input as groups
	p.reason_ja == "ロードバランサが最小でも2台のインスタンスに要求を分散する"
}

# A group that can run no instance (maximum size 0) spreads no load: not evaluated, saying why,
# whether or not a load balancer serves it.
test_a_group_that_can_run_no_instance_is_not_evaluated if {
	doc := t.fixture("compute.instance_group", {
		"parked": {"attrs": {"load_balancers": ["arn:tg/legacy"], "min_size": 0, "max_size": 0}},
		"parked-alone": {"attrs": {"load_balancers": [], "min_size": 0, "max_size": 0}},
		"one": {"attrs": {"load_balancers": ["arn:tg/legacy"], "min_size": 0, "max_size": 1}},
	})
	t.assert_statuses(check.results, {"parked": "NOT_EVALUATED", "parked-alone": "NOT_EVALUATED", "one": "FAIL"}) with input as doc
	r := t.record(check.results, "parked") with input as doc
	r.reason_ja == "稼働できるインスタンスがない(最大台数0)"
}
