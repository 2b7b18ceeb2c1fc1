package genmei.checks.encryption.database_unencrypted_test

import data.genmei.checks.encryption.database_unencrypted as check

db(attrs) := {"resources": {"db.instance": {"d": {"id": "d", "provider": "azure", "attrs": attrs}}}}

test_encrypted_database_passes if {
	some r in check.results with input as db({"storage_encrypted": true})
	r.status == "PASS"
}

test_unencrypted_database_fails if {
	some r in check.results with input as db({"storage_encrypted": false})
	r.status == "FAIL"
	r.evidence["attrs.storage_encrypted"] == false
}

test_unknown_is_not_evaluated if {
	inp := {"resources": {"db.instance": {"d": {"id": "d", "provider": "aws", "attrs": {}, "unknown": ["attrs.storage_encrypted"]}}}}
	some r in check.results with input as inp
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.storage_encrypted is known only after apply"
}
