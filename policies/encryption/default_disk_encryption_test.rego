package genmei.checks.encryption.default_disk_encryption_test

import data.genmei.checks.encryption.default_disk_encryption as check
import data.genmei.test as t

res(attrs) := {"resources": {"cloud.region": {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_compliant_passes if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res({"default_disk_encryption": true})
}

test_violation_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res({"default_disk_encryption": false})
	r := t.record(check.results, "x") with input as res({"default_disk_encryption": false})
	r.evidence["attrs.default_disk_encryption"] == false
}

test_not_collected_is_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res({})
	r := t.record(check.results, "x") with input as res({})
	r.reason == "attrs.default_disk_encryption was not collected"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as res({"default_disk_encryption": "yes"})
}
