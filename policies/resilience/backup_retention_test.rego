package genmei.checks.resilience.backup_retention_test

import data.genmei.checks.resilience.backup_retention as check
import data.genmei.test as t

db(attrs) := {"resources": {"db.instance": {"d": {"id": "d", "provider": "aws", "attrs": attrs}}}}

test_week_of_backups_passes if {
	t.assert_statuses(check.results, {"d": "PASS"}) with input as db({"backup_retention_days": 7})
}

test_one_day_fails if {
	t.assert_statuses(check.results, {"d": "FAIL"}) with input as db({"backup_retention_days": 1})
}

test_backups_off_fails if {
	t.assert_statuses(check.results, {"d": "FAIL"}) with input as db({"backup_retention_days": 0})
}

test_unknown_not_evaluated if {
	t.assert_statuses(check.results, {"d": "NOT_EVALUATED"}) with input as db({})
}
