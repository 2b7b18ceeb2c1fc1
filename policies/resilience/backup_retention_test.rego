package genmei.checks.resilience.backup_retention_test

import data.genmei.checks.resilience.backup_retention as check

db(attrs) := {"resources": {"db.instance": {"d": {"id": "d", "provider": "aws", "attrs": attrs}}}}

test_week_of_backups_passes if {
	some r in check.results with input as db({"backup_retention_days": 7})
	r.status == "PASS"
}

test_one_day_fails if {
	some r in check.results with input as db({"backup_retention_days": 1})
	r.status == "FAIL"
}

test_backups_off_fails if {
	some r in check.results with input as db({"backup_retention_days": 0})
	r.status == "FAIL"
}

test_unknown_not_evaluated if {
	some r in check.results with input as db({})
	r.status == "NOT_EVALUATED"
}
