package genmei.checks.logging.audit_trail_test

import data.genmei.checks.logging.audit_trail as check
import data.genmei.test as t

acct(log) := {"resources": {"cloud.account": {"a": {"id": "a", "provider": "aws", "attrs": {"audit_log": log}}}}}

test_full_trail_passes if {
	t.assert_statuses(check.results, {"a": "PASS"}) with input as acct({"all_regions": true, "integrity_validation": true, "trails": ["main"]})
}

test_single_region_trail_fails if {
	t.assert_statuses(check.results, {"a": "FAIL"}) with input as acct({"all_regions": false, "integrity_validation": true})
	r := t.record(check.results, "a") with input as acct({"all_regions": false, "integrity_validation": true})
	r.evidence.problems == ["no logging trail records every region's write operations"]
}

test_no_validation_fails if {
	t.assert_statuses(check.results, {"a": "FAIL"}) with input as acct({"all_regions": true, "integrity_validation": false})
}

test_not_collected_not_evaluated if {
	t.assert_statuses(check.results, {"a": "NOT_EVALUATED"}) with input as {"resources": {"cloud.account": {"a": {"id": "a", "provider": "gcp", "attrs": {}}}}}
}
