package genmei.checks.identity.console_user_mfa_test

import data.genmei.checks.identity.console_user_mfa as check
import data.genmei.test as t

user(attrs) := {"resources": {"iam.user": {"u": {"id": "u", "provider": "aws", "attrs": attrs}}}}

test_console_user_with_mfa_passes if {
	t.assert_statuses(check.results, {"u": "PASS"}) with input as user({"console_access": true, "mfa_enabled": true})
}

test_console_user_without_mfa_fails if {
	t.assert_statuses(check.results, {"u": "FAIL"}) with input as user({"console_access": true, "mfa_enabled": false})
}

test_programmatic_user_passes if {
	t.assert_statuses(check.results, {"u": "PASS"}) with input as user({"console_access": false, "mfa_enabled": false})
	r := t.record(check.results, "u") with input as user({"console_access": false, "mfa_enabled": false})
	r.reason == "no console password"
	r.evidence == {"console_access": false}
}

test_unknown_mfa_not_evaluated if {
	t.assert_statuses(check.results, {"u": "NOT_EVALUATED"}) with input as user({"console_access": true})
}
