package genmei.checks.identity.root_account_test

import data.genmei.checks.identity.root_account as check
import data.genmei.test as t

acct(attrs) := {"resources": {"cloud.account": {"a": {"id": "a", "provider": "aws", "attrs": attrs}}}}

test_mfa_and_no_keys_passes if {
	t.assert_statuses(check.results, {"a": "PASS"}) with input as acct({"root_mfa_enabled": true, "root_access_keys_present": false})
}

test_keys_fail_even_when_mfa_unknown if {
	t.assert_statuses(check.results, {"a": "FAIL"}) with input as acct({"root_access_keys_present": true})
	r := t.record(check.results, "a") with input as acct({"root_access_keys_present": true})
	r.evidence.problems == ["root user has access keys"]
}

test_both_problems_listed if {
	t.assert_statuses(check.results, {"a": "FAIL"}) with input as acct({"root_mfa_enabled": false, "root_access_keys_present": true})
	r := t.record(check.results, "a") with input as acct({"root_mfa_enabled": false, "root_access_keys_present": true})
	count(r.evidence.problems) == 2
}

test_unknown_not_evaluated if {
	t.assert_statuses(check.results, {"a": "NOT_EVALUATED"}) with input as acct({"root_mfa_enabled": true})
	r := t.record(check.results, "a") with input as acct({"root_mfa_enabled": true})
	r.reason == "attrs.root_access_keys_present was not collected"
}

test_other_providers_not_judged if {
	count(check.results) == 0 with input as {"resources": {"cloud.account": {"s": {"id": "s", "provider": "azure", "attrs": {}}}}}
}
