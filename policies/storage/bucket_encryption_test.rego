package genmei.checks.storage.bucket_encryption_test

import data.genmei.checks.storage.bucket_encryption as check

bucket(attrs) := {"resources": {"storage.bucket": {"b1": {"id": "b1", "provider": "gcp", "attrs": attrs}}}}

test_default_encryption_passes if {
	some r in check.results with input as bucket({"default_encryption": true})
	r.status == "PASS"
}

test_no_default_encryption_fails if {
	some r in check.results with input as bucket({"default_encryption": false})
	r.status == "FAIL"
}

test_unknown_after_apply_not_evaluated if {
	inp := {"resources": {"storage.bucket": {"b1": {"id": "b1", "provider": "aws", "attrs": {}, "unknown": ["attrs.default_encryption"]}}}}
	some r in check.results with input as inp
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.default_encryption is known only after apply"
}
