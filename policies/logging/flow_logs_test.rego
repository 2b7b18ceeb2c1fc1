package genmei.checks.logging.flow_logs_test

import data.genmei.checks.logging.flow_logs as check

res(attrs) := {"resources": {"network.vpc": {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_compliant_passes if {
	some r in check.results with input as res({"flow_logs_enabled": true})
	r.status == "PASS"
}

test_violation_fails if {
	some r in check.results with input as res({"flow_logs_enabled": false})
	r.status == "FAIL"
	r.evidence["attrs.flow_logs_enabled"] == false
}

test_not_collected_is_not_evaluated if {
	some r in check.results with input as res({})
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.flow_logs_enabled was not collected"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as res({"flow_logs_enabled": "yes"})
}
