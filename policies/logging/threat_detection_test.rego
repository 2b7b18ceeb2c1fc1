package genmei.checks.logging.threat_detection_test

import data.genmei.checks.logging.threat_detection as check
import data.genmei.test as t

res(attrs) := {"resources": {"cloud.region": {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_compliant_passes if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res({"threat_detection_enabled": true})
}

test_violation_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res({"threat_detection_enabled": false})
	r := t.record(check.results, "x") with input as res({"threat_detection_enabled": false})
	r.evidence["attrs.threat_detection_enabled"] == false
}

test_not_collected_is_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res({})
	r := t.record(check.results, "x") with input as res({})
	r.reason == "attrs.threat_detection_enabled was not collected"
}

test_not_collected_says_why if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res({"not_collected": {"threat_detection_enabled": "the call failed (PERMISSION_DENIED: denied)"}})
	r := t.record(check.results, "x") with input as res({"not_collected": {"threat_detection_enabled": "the call failed (PERMISSION_DENIED: denied)"}})
	r.reason == "attrs.threat_detection_enabled was not collected: the call failed (PERMISSION_DENIED: denied)"
	r.evidence.missing == ["attrs.threat_detection_enabled"]
}

test_a_collected_value_outweighs_a_stale_reason if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res({"threat_detection_enabled": false, "not_collected": {"threat_detection_enabled": "x"}})
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as res({"threat_detection_enabled": "yes"})
}
