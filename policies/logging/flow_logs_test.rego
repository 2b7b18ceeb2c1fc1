package genmei.checks.logging.flow_logs_test

import data.genmei.checks.logging.flow_logs as check
import data.genmei.test as t

res(attrs) := {"resources": {"network.vpc": {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_compliant_passes if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res({"flow_logs_enabled": true})
}

test_violation_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res({"flow_logs_enabled": false})
	r := t.record(check.results, "x") with input as res({"flow_logs_enabled": false})
	r.evidence["attrs.flow_logs_enabled"] == false
}

test_not_collected_is_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res({})
	r := t.record(check.results, "x") with input as res({})
	r.reason == "attrs.flow_logs_enabled was not collected"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as res({"flow_logs_enabled": "yes"})
}
