package genmei.checks.identity.root_account_test

import data.genmei.checks.identity.root_account as check

acct(attrs) := {"resources": {"cloud.account": {"a": {"id": "a", "provider": "aws", "attrs": attrs}}}}

test_mfa_and_no_keys_passes if {
	some r in check.results with input as acct({"root_mfa_enabled": true, "root_access_keys_present": false})
	r.status == "PASS"
}

test_keys_fail_even_when_mfa_unknown if {
	some r in check.results with input as acct({"root_access_keys_present": true})
	r.status == "FAIL"
	r.evidence.problems == ["root user has access keys"]
}

test_both_problems_listed if {
	some r in check.results with input as acct({"root_mfa_enabled": false, "root_access_keys_present": true})
	r.status == "FAIL"
	count(r.evidence.problems) == 2
}

test_unknown_not_evaluated if {
	some r in check.results with input as acct({"root_mfa_enabled": true})
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.root_access_keys_present was not collected"
}

test_other_providers_not_judged if {
	count(check.results) == 0 with input as {"resources": {"cloud.account": {"s": {"id": "s", "provider": "azure", "attrs": {}}}}}
}
