package genmei.checks.encryption.default_disk_encryption_test

import data.genmei.checks.encryption.default_disk_encryption as check

res(attrs) := {"resources": {"cloud.region": {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_compliant_passes if {
	some r in check.results with input as res({"default_disk_encryption": true})
	r.status == "PASS"
}

test_violation_fails if {
	some r in check.results with input as res({"default_disk_encryption": false})
	r.status == "FAIL"
	r.evidence["attrs.default_disk_encryption"] == false
}

test_not_collected_is_not_evaluated if {
	some r in check.results with input as res({})
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.default_disk_encryption was not collected"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as res({"default_disk_encryption": "yes"})
}
