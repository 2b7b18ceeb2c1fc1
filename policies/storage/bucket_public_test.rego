package genmei.checks.storage.bucket_public_test

import data.genmei.checks.storage.bucket_public as check
import data.genmei.test as t

bucket(attrs) := {"resources": {"storage.bucket": {"b1": {"id": "b1", "provider": "aws", "attrs": attrs}}}}

test_private_bucket_passes if {
	t.assert_statuses(check.results, {"b1": "PASS"}) with input as bucket({"public": false})
}

test_public_bucket_fails if {
	t.assert_statuses(check.results, {"b1": "FAIL"}) with input as bucket({"public": true, "public_via": ["policy"]})
	r := t.record(check.results, "b1") with input as bucket({"public": true, "public_via": ["policy"]})
	r.evidence.public_via == ["policy"]
}

test_null_not_evaluated if {
	t.assert_statuses(check.results, {"b1": "NOT_EVALUATED"}) with input as bucket({"public": null})
}
