package genmei.checks.capacity.autoscaling_test

import data.genmei.checks.capacity.autoscaling as check
import data.genmei.test as t

groups := t.fixture("compute.instance_group", {
	"scales": {"provider": "aws", "attrs": {"autoscaling": true, "min_size": 2, "max_size": 10, "scaling_policies": ["cpu-target"]}},
	"fixed": {"provider": "azure", "attrs": {"autoscaling": false, "min_size": 3, "max_size": 3}},
	"no-headroom": {"provider": "gcp", "attrs": {"autoscaling": true, "min_size": 4, "max_size": 4, "scaling_policies": ["as"]}},
	"unknown": {"provider": "aws", "attrs": {"min_size": 1, "max_size": 5}},
	"why-unknown": {"provider": "azure", "attrs": {"not_collected": {"autoscaling": "autoscale settings could not be listed"}}},
	"limits-unknown": {"provider": "gcp", "attrs": {"autoscaling": true}},
	"after-apply": {"provider": "aws", "attrs": {"autoscaling": true, "min_size": 1}, "unknown": ["attrs.max_size"]},
	# a Kubernetes node group without a policy of its own: the collectors leave whether it scales uncollected
	"k8s-nodes": {"provider": "gcp", "attrs": {"scaling_policies": [], "desired_capacity": 3, "not_collected": {"autoscaling": "a Kubernetes cluster's node group: the cluster autoscaler sizes it"}}},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {
		"scales": "PASS", "fixed": "FAIL", "no-headroom": "FAIL", "unknown": "NOT_EVALUATED",
		"why-unknown": "NOT_EVALUATED", "limits-unknown": "NOT_EVALUATED", "after-apply": "NOT_EVALUATED",
		"k8s-nodes": "NOT_EVALUATED",
	}) with input as groups
}

test_pass_quotes_the_limits if {
	r := t.record(check.results, "scales") with input as groups
	r.evidence == {"min_size": 2, "max_size": 10, "scaling_policies": ["cpu-target"]}
	r.reason == "scales automatically between 2 and 10 instances"
}

test_fail_reasons if {
	t.record(check.results, "fixed").reason == "no scaling policy: capacity stays fixed whatever the demand" with input as groups
	t.record(check.results, "fixed").evidence == {"attrs.autoscaling": false, "max_size": 3} with input as groups
	r := t.record(check.results, "no-headroom") with input as groups
	r.reason == "the maximum size (4) does not exceed the minimum (4): the policy cannot add capacity"
	not contains(r.reason_ja, "attrs")
}

test_not_evaluated_reasons if {
	t.record(check.results, "unknown").reason == "attrs.autoscaling was not collected" with input as groups
	t.record(check.results, "why-unknown").reason == "attrs.autoscaling was not collected: autoscale settings could not be listed" with input as groups
	t.record(check.results, "limits-unknown").evidence.missing == ["attrs.min_size"] with input as groups
	t.record(check.results, "after-apply").reason == "attrs.max_size is known only after apply" with input as groups
	t.record(check.results, "k8s-nodes").reason == "attrs.autoscaling was not collected: a Kubernetes cluster's node group: the cluster autoscaler sizes it" with input as groups
}

test_one_above_minimum_passes if {
	t.assert_statuses(check.results, {"g": "PASS"}) with input as t.fixture("compute.instance_group", {"g": {"provider": "aws", "attrs": {"autoscaling": true, "min_size": 0, "max_size": 1}}})
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as t.fixture("compute.instance_group", {"g": {"provider": "aws", "attrs": {"autoscaling": "yes", "min_size": 1, "max_size": 1}}})
	count(check.results) == 0 with input as t.fixture("compute.instance_group", {"g": {"provider": "aws", "attrs": {"autoscaling": "yes", "min_size": 1, "max_size": 3}}})
}

# A group that can run no instance (maximum size 0) has no capacity to scale: not evaluated,
# saying why, with or without a scaling policy.
test_a_group_that_can_run_no_instance_is_not_evaluated if {
	doc := t.fixture("compute.instance_group", {
		"parked": {"provider": "aws", "attrs": {"autoscaling": false, "min_size": 0, "max_size": 0}},
		"parked-policy": {"provider": "aws", "attrs": {"autoscaling": true, "min_size": 0, "max_size": 0, "scaling_policies": ["p"]}},
		"one-fixed": {"provider": "aws", "attrs": {"autoscaling": false, "min_size": 1, "max_size": 1}},
	})
	t.assert_statuses(check.results, {"parked": "NOT_EVALUATED", "parked-policy": "NOT_EVALUATED", "one-fixed": "FAIL"}) with input as doc
	r := t.record(check.results, "parked") with input as doc
	r.reason_ja == "稼働できるインスタンスがない(最大台数0)"
	r.reason == "the group can run no instance (maximum size 0)"
}
