package genmei.checks.encryption.database_unencrypted_test

import data.genmei.checks.encryption.database_unencrypted as check
import data.genmei.test as t

db(attrs) := {"resources": {"db.instance": {"d": {"id": "d", "provider": "azure", "attrs": attrs}}}}

test_encrypted_database_passes if {
	t.assert_statuses(check.results, {"d": "PASS"}) with input as db({"storage_encrypted": true})
}

test_unencrypted_database_fails if {
	t.assert_statuses(check.results, {"d": "FAIL"}) with input as db({"storage_encrypted": false})
	r := t.record(check.results, "d") with input as db({"storage_encrypted": false})
	r.evidence["attrs.storage_encrypted"] == false
}

test_unknown_is_not_evaluated if {
	inp := {"resources": {"db.instance": {"d": {"id": "d", "provider": "aws", "attrs": {}, "unknown": ["attrs.storage_encrypted"]}}}}
	t.assert_statuses(check.results, {"d": "NOT_EVALUATED"}) with input as inp
	r := t.record(check.results, "d") with input as inp
	r.reason == "attrs.storage_encrypted is known only after apply"
}
