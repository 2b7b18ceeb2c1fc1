package genmei.checks.admin_exposure.kubernetes_api_public_test

import data.genmei.checks.admin_exposure.kubernetes_api_public as check
import data.genmei.test as t

cluster(attrs) := {"resources": {"k8s.cluster": {"c": {"id": "c", "provider": "aws", "attrs": attrs}}}}

test_private_endpoint_passes if {
	t.assert_statuses(check.results, {"c": "PASS"}) with input as cluster({"endpoint_public": false})
	t.record(check.results, "c").evidence == {"endpoint_public": false} with input as cluster({"endpoint_public": false})
}

test_public_endpoint_open_to_world_fails if {
	t.assert_statuses(check.results, {"c": "FAIL"}) with input as cluster({"endpoint_public": true, "authorized_cidrs": ["0.0.0.0/0"]})
}

test_public_endpoint_without_restriction_fails if {
	t.assert_statuses(check.results, {"c": "FAIL"}) with input as cluster({"endpoint_public": true, "authorized_cidrs": []})
}

test_public_endpoint_limited_passes if {
	t.assert_statuses(check.results, {"c": "PASS"}) with input as cluster({"endpoint_public": true, "authorized_cidrs": ["203.0.113.0/24"]})
}

test_unknown_cidrs_not_evaluated if {
	t.assert_statuses(check.results, {"c": "NOT_EVALUATED"}) with input as cluster({"endpoint_public": true})
}
