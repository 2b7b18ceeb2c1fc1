package genmei.checks.storage.bucket_encryption_test

import data.genmei.checks.storage.bucket_encryption as check
import data.genmei.test as t

bucket(attrs) := {"resources": {"storage.bucket": {"b1": {"id": "b1", "provider": "gcp", "attrs": attrs}}}}

test_default_encryption_passes if {
	t.assert_statuses(check.results, {"b1": "PASS"}) with input as bucket({"default_encryption": true})
}

test_no_default_encryption_fails if {
	t.assert_statuses(check.results, {"b1": "FAIL"}) with input as bucket({"default_encryption": false})
}

test_unknown_after_apply_not_evaluated if {
	inp := {"resources": {"storage.bucket": {"b1": {"id": "b1", "provider": "aws", "attrs": {}, "unknown": ["attrs.default_encryption"]}}}}
	t.assert_statuses(check.results, {"b1": "NOT_EVALUATED"}) with input as inp
	r := t.record(check.results, "b1") with input as inp
	r.reason == "attrs.default_encryption is known only after apply"
}
