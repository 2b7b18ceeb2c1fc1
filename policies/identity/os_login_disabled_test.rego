package genmei.checks.identity.os_login_disabled_test

import data.genmei.checks.identity.os_login_disabled as check

res(provider, attrs) := {"resources": {"compute.instance": {"x": {"id": "x", "provider": provider, "attrs": attrs}}}}

test_on_passes if {
	some r in check.results with input as res("gcp", {"os_login_enabled": true})
	r.status == "PASS"
}

test_off_fails if {
	some r in check.results with input as res("gcp", {"os_login_enabled": false})
	r.status == "FAIL"
	r.evidence["attrs.os_login_enabled"] == false
}

test_not_collected_is_not_evaluated if {
	some r in check.results with input as res("gcp", {"os_login_enabled": null})
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.os_login_enabled was not collected"
}

test_other_providers_are_not_judged if {
	count(check.results) == 0 with input as res("azure", {"os_login_enabled": false})
}
