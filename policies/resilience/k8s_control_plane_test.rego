package genmei.checks.resilience.k8s_control_plane_test

import data.genmei.checks.resilience.k8s_control_plane as check
import data.genmei.test as t

AKS_WHY := "AKS does not show its control plane's replication in the cluster's configuration"

clusters := t.fixture("k8s.cluster", {
	"eks": {"provider": "aws", "region": "ap-northeast-1", "attrs": {"control_plane_multi_zone": true}},
	"gke-regional": {"provider": "gcp", "region": "asia-northeast1", "attrs": {"control_plane_multi_zone": true}},
	"gke-zonal": {"provider": "gcp", "region": "asia-northeast1", "attrs": {"control_plane_multi_zone": false}},
	"aks": {"provider": "azure", "attrs": {"not_collected": {"control_plane_multi_zone": AKS_WHY}}},
	"unread": {"provider": "gcp", "attrs": {}},
	"after-apply": {"provider": "gcp", "attrs": {}, "unknown": ["attrs.control_plane_multi_zone"]},
	# the check judges the attribute, not the cloud: no collector says this of EKS
	"aws-single": {"provider": "aws", "attrs": {"control_plane_multi_zone": false}},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {
		"eks": "PASS", "gke-regional": "PASS", "gke-zonal": "FAIL",
		"aks": "NOT_EVALUATED", "unread": "NOT_EVALUATED", "after-apply": "NOT_EVALUATED",
		"aws-single": "FAIL",
	}) with input as clusters
}

test_reasons if {
	startswith(t.record(check.results, "eks").reason, "EKS runs every cluster's control plane across three") with input as clusters
	startswith(t.record(check.results, "gke-regional").reason, "the control plane is replicated") with input as clusters
	r := t.record(check.results, "gke-zonal") with input as clusters
	startswith(r.reason, "a single control-plane replica in one zone")
	r.evidence == {"control_plane_multi_zone": false, "region": "asia-northeast1"}
	not contains(r.reason_ja, "attrs")
}

test_not_evaluated_reasons if {
	t.record(check.results, "aks").reason == sprintf("attrs.control_plane_multi_zone was not collected: %s", [AKS_WHY]) with input as clusters
	t.record(check.results, "unread").reason == "attrs.control_plane_multi_zone was not collected" with input as clusters
	t.record(check.results, "after-apply").reason == "attrs.control_plane_multi_zone is known only after apply" with input as clusters
}

# A multi-zone flag on a cloud other than AWS is not described as EKS's design.
test_eks_reason_only_on_aws if {
	not startswith(t.record(check.results, "gke-regional").reason, "EKS") with input as clusters
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as t.fixture("k8s.cluster", {"c": {"provider": "gcp", "attrs": {"control_plane_multi_zone": "yes"}}})
}
