package genmei.checks.encryption.disk_unencrypted_test

import data.genmei.checks.encryption.disk_unencrypted as check
import data.genmei.test as t

disk(attrs) := {"resources": {"compute.disk": {"vol-1": {"id": "vol-1", "provider": "aws", "attrs": attrs}}}}

test_encrypted_disk_passes if {
	t.assert_statuses(check.results, {"vol-1": "PASS"}) with input as disk({"encrypted": true, "key_type": "customer"})
	r := t.record(check.results, "vol-1") with input as disk({"encrypted": true, "key_type": "customer"})
	r.evidence["attrs.encrypted"] == true
}

test_unencrypted_disk_fails if {
	t.assert_statuses(check.results, {"vol-1": "FAIL"}) with input as disk({"encrypted": false})
}

test_missing_flag_not_evaluated if {
	t.assert_statuses(check.results, {"vol-1": "NOT_EVALUATED"}) with input as disk({})
}

test_non_disk_types_ignored if {
	count(check.results) == 0 with input as {"resources": {"storage.bucket": {"b": {"id": "b", "attrs": {"encrypted": false}}}}}
}

test_planned_value_known_only_after_apply_is_not_evaluated if {
	plan := {"resources": {"compute.disk": {"vol-1": {"id": "vol-1", "provider": "aws", "attrs": {"encrypted": true}, "unknown": ["attrs.encrypted"]}}}}
	t.assert_statuses(check.results, {"vol-1": "NOT_EVALUATED"}) with input as plan
	r := t.record(check.results, "vol-1") with input as plan
	r.reason == "attrs.encrypted is known only after apply"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as disk({"encrypted": "yes"})
}
