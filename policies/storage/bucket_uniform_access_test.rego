package genmei.checks.storage.bucket_uniform_access_test

import data.genmei.checks.storage.bucket_uniform_access as check

res(provider, attrs) := {"resources": {"storage.bucket": {"x": {"id": "x", "provider": provider, "attrs": attrs}}}}

test_uniform_passes if {
	some r in check.results with input as res("gcp", {"uniform_access": true})
	r.status == "PASS"
}

test_object_acls_fail if {
	some r in check.results with input as res("gcp", {"uniform_access": false})
	r.status == "FAIL"
	r.evidence["attrs.uniform_access"] == false
}

test_not_collected_is_not_evaluated if {
	some r in check.results with input as res("gcp", {})
	r.status == "NOT_EVALUATED"
}

test_other_providers_are_not_judged if {
	count(check.results) == 0 with input as res("aws", {"uniform_access": false})
}
