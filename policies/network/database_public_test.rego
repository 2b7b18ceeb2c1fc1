package genmei.checks.network.database_public_test

import data.genmei.checks.network.database_public as check
import data.genmei.test as t

res(attrs) := {"resources": {"db.instance": {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_compliant_passes if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res({"public": false})
}

test_violation_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res({"public": true})
	r := t.record(check.results, "x") with input as res({"public": true})
	r.evidence["attrs.public"] == true
}

test_not_collected_is_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res({})
	r := t.record(check.results, "x") with input as res({})
	r.reason == "attrs.public was not collected"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as res({"public": "yes"})
}
