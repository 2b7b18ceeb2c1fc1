package genmei.checks.storage.bucket_public_test

import data.genmei.checks.storage.bucket_public as check

bucket(attrs) := {"resources": {"storage.bucket": {"b1": {"id": "b1", "provider": "aws", "attrs": attrs}}}}

test_private_bucket_passes if {
	some r in check.results with input as bucket({"public": false})
	r.status == "PASS"
}

test_public_bucket_fails if {
	some r in check.results with input as bucket({"public": true, "public_via": ["policy"]})
	r.status == "FAIL"
	r.evidence.public_via == ["policy"]
}

test_null_not_evaluated if {
	some r in check.results with input as bucket({"public": null})
	r.status == "NOT_EVALUATED"
}
