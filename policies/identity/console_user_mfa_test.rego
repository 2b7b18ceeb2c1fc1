package genmei.checks.identity.console_user_mfa_test

import data.genmei.checks.identity.console_user_mfa as check

user(attrs) := {"resources": {"iam.user": {"u": {"id": "u", "provider": "aws", "attrs": attrs}}}}

test_console_user_with_mfa_passes if {
	some r in check.results with input as user({"console_access": true, "mfa_enabled": true})
	r.status == "PASS"
}

test_console_user_without_mfa_fails if {
	some r in check.results with input as user({"console_access": true, "mfa_enabled": false})
	r.status == "FAIL"
}

test_programmatic_user_passes if {
	some r in check.results with input as user({"console_access": false, "mfa_enabled": false})
	r.status == "PASS"
	r.reason == "no console password"
}

test_unknown_mfa_not_evaluated if {
	some r in check.results with input as user({"console_access": true})
	r.status == "NOT_EVALUATED"
}
