package genmei.checks.network.database_public_test

import data.genmei.checks.network.database_public as check

res(attrs) := {"resources": {"db.instance": {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_compliant_passes if {
	some r in check.results with input as res({"public": false})
	r.status == "PASS"
}

test_violation_fails if {
	some r in check.results with input as res({"public": true})
	r.status == "FAIL"
	r.evidence["attrs.public"] == true
}

test_not_collected_is_not_evaluated if {
	some r in check.results with input as res({})
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.public was not collected"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as res({"public": "yes"})
}
