package genmei.checks.logging.audit_trail_test

import data.genmei.checks.logging.audit_trail as check

acct(log) := {"resources": {"cloud.account": {"a": {"id": "a", "provider": "aws", "attrs": {"audit_log": log}}}}}

test_full_trail_passes if {
	some r in check.results with input as acct({"all_regions": true, "integrity_validation": true, "trails": ["main"]})
	r.status == "PASS"
}

test_single_region_trail_fails if {
	some r in check.results with input as acct({"all_regions": false, "integrity_validation": true})
	r.status == "FAIL"
	r.evidence.problems == ["no trail records every region and is logging"]
}

test_no_validation_fails if {
	some r in check.results with input as acct({"all_regions": true, "integrity_validation": false})
	r.status == "FAIL"
}

test_not_collected_not_evaluated if {
	some r in check.results with input as {"resources": {"cloud.account": {"a": {"id": "a", "provider": "gcp", "attrs": {}}}}}
	r.status == "NOT_EVALUATED"
}
