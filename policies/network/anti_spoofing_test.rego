package genmei.checks.network.anti_spoofing_test

import data.genmei.checks.network.anti_spoofing as check

res(attrs) := {"resources": {"compute.instance": {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_compliant_passes if {
	some r in check.results with input as res({"anti_spoofing": true})
	r.status == "PASS"
}

test_violation_fails if {
	some r in check.results with input as res({"anti_spoofing": false})
	r.status == "FAIL"
	r.evidence["attrs.anti_spoofing"] == false
}

test_not_collected_is_not_evaluated if {
	some r in check.results with input as res({})
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.anti_spoofing was not collected"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as res({"anti_spoofing": "yes"})
}
