package genmei.checks.logging.threat_detection_test

import data.genmei.checks.logging.threat_detection as check

res(attrs) := {"resources": {"cloud.region": {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_compliant_passes if {
	some r in check.results with input as res({"threat_detection_enabled": true})
	r.status == "PASS"
}

test_violation_fails if {
	some r in check.results with input as res({"threat_detection_enabled": false})
	r.status == "FAIL"
	r.evidence["attrs.threat_detection_enabled"] == false
}

test_not_collected_is_not_evaluated if {
	some r in check.results with input as res({})
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.threat_detection_enabled was not collected"
}

test_not_collected_says_why if {
	some r in check.results with input as res({"not_collected": {"threat_detection_enabled": "the call failed (PERMISSION_DENIED: denied)"}})
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.threat_detection_enabled was not collected: the call failed (PERMISSION_DENIED: denied)"
	r.evidence.missing == ["attrs.threat_detection_enabled"]
}

test_a_collected_value_outweighs_a_stale_reason if {
	some r in check.results with input as res({"threat_detection_enabled": false, "not_collected": {"threat_detection_enabled": "x"}})
	r.status == "FAIL"
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as res({"threat_detection_enabled": "yes"})
}
