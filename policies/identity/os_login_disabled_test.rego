package genmei.checks.identity.os_login_disabled_test

import data.genmei.checks.identity.os_login_disabled as check
import data.genmei.test as t

res(provider, attrs) := {"resources": {"compute.instance": {"x": {"id": "x", "provider": provider, "attrs": attrs}}}}

test_on_passes if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res("gcp", {"os_login_enabled": true})
}

test_off_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res("gcp", {"os_login_enabled": false})
	r := t.record(check.results, "x") with input as res("gcp", {"os_login_enabled": false})
	r.evidence["attrs.os_login_enabled"] == false
}

test_not_collected_is_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res("gcp", {"os_login_enabled": null})
	r := t.record(check.results, "x") with input as res("gcp", {"os_login_enabled": null})
	r.reason == "attrs.os_login_enabled was not collected"
}

test_other_providers_are_not_judged if {
	count(check.results) == 0 with input as res("azure", {"os_login_enabled": false})
}
