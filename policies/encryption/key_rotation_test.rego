package genmei.checks.encryption.key_rotation_test

import data.genmei.checks.encryption.key_rotation as check

key(attrs) := {"resources": {"kms.key": {"k": {"id": "k", "provider": "aws", "attrs": attrs}}}}

test_rotating_customer_key_passes if {
	some r in check.results with input as key({"managed_by": "customer", "rotation_enabled": true})
	r.status == "PASS"
}

test_customer_key_without_rotation_fails if {
	some r in check.results with input as key({"managed_by": "customer", "rotation_enabled": false})
	r.status == "FAIL"
}

test_provider_key_passes if {
	some r in check.results with input as key({"managed_by": "provider"})
	r.status == "PASS"
}

test_unknown_rotation_not_evaluated if {
	some r in check.results with input as key({"managed_by": "customer"})
	r.status == "NOT_EVALUATED"
}
