package genmei.checks.network.anti_spoofing_test

import data.genmei.checks.network.anti_spoofing as check
import data.genmei.test as t

res(attrs) := {"resources": {"compute.instance": {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_compliant_passes if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res({"anti_spoofing": true})
}

test_violation_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res({"anti_spoofing": false})
	r := t.record(check.results, "x") with input as res({"anti_spoofing": false})
	r.evidence["attrs.anti_spoofing"] == false
}

test_not_collected_is_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res({})
	r := t.record(check.results, "x") with input as res({})
	r.reason == "attrs.anti_spoofing was not collected"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as res({"anti_spoofing": "yes"})
}
