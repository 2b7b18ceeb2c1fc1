package genmei.checks.storage.bucket_uniform_access_test

import data.genmei.checks.storage.bucket_uniform_access as check
import data.genmei.test as t

res(provider, attrs) := {"resources": {"storage.bucket": {"x": {"id": "x", "provider": provider, "attrs": attrs}}}}

test_uniform_passes if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res("gcp", {"uniform_access": true})
}

test_object_acls_fail if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res("gcp", {"uniform_access": false})
	r := t.record(check.results, "x") with input as res("gcp", {"uniform_access": false})
	r.evidence["attrs.uniform_access"] == false
}

test_not_collected_is_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res("gcp", {})
}

test_other_providers_are_not_judged if {
	count(check.results) == 0 with input as res("aws", {"uniform_access": false})
}
