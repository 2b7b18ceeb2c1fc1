package genmei.checks.admin_exposure.kubernetes_api_public_test

import data.genmei.checks.admin_exposure.kubernetes_api_public as check

cluster(attrs) := {"resources": {"k8s.cluster": {"c": {"id": "c", "provider": "aws", "attrs": attrs}}}}

test_private_endpoint_passes if {
	some r in check.results with input as cluster({"endpoint_public": false})
	r.status == "PASS"
}

test_public_endpoint_open_to_world_fails if {
	some r in check.results with input as cluster({"endpoint_public": true, "authorized_cidrs": ["0.0.0.0/0"]})
	r.status == "FAIL"
}

test_public_endpoint_without_restriction_fails if {
	some r in check.results with input as cluster({"endpoint_public": true, "authorized_cidrs": []})
	r.status == "FAIL"
}

test_public_endpoint_limited_passes if {
	some r in check.results with input as cluster({"endpoint_public": true, "authorized_cidrs": ["203.0.113.0/24"]})
	r.status == "PASS"
}

test_unknown_cidrs_not_evaluated if {
	some r in check.results with input as cluster({"endpoint_public": true})
	r.status == "NOT_EVALUATED"
}
