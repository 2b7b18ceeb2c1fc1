package genmei.checks.encryption.disk_unencrypted_test

import data.genmei.checks.encryption.disk_unencrypted as check

disk(attrs) := {"resources": {"compute.disk": {"vol-1": {"id": "vol-1", "provider": "aws", "attrs": attrs}}}}

test_encrypted_disk_passes if {
	some r in check.results with input as disk({"encrypted": true, "key_type": "customer"})
	r.status == "PASS"
	r.evidence["attrs.encrypted"] == true
}

test_unencrypted_disk_fails if {
	some r in check.results with input as disk({"encrypted": false})
	r.status == "FAIL"
}

test_missing_flag_not_evaluated if {
	some r in check.results with input as disk({})
	r.status == "NOT_EVALUATED"
}

test_non_disk_types_ignored if {
	count(check.results) == 0 with input as {"resources": {"storage.bucket": {"b": {"id": "b", "attrs": {"encrypted": false}}}}}
}

test_planned_value_known_only_after_apply_is_not_evaluated if {
	plan := {"resources": {"compute.disk": {"vol-1": {"id": "vol-1", "provider": "aws", "attrs": {"encrypted": true}, "unknown": ["attrs.encrypted"]}}}}
	some r in check.results with input as plan
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.encrypted is known only after apply"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as disk({"encrypted": "yes"})
}
