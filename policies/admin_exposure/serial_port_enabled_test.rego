package genmei.checks.admin_exposure.serial_port_enabled_test

import data.genmei.checks.admin_exposure.serial_port_enabled as check

res(provider, attrs) := {"resources": {"compute.instance": {"x": {"id": "x", "provider": provider, "attrs": attrs}}}}

test_off_passes if {
	some r in check.results with input as res("gcp", {"serial_port_enabled": false})
	r.status == "PASS"
}

test_on_fails if {
	some r in check.results with input as res("gcp", {"serial_port_enabled": true})
	r.status == "FAIL"
	r.evidence["attrs.serial_port_enabled"] == true
}

test_not_collected_is_not_evaluated if {
	some r in check.results with input as res("gcp", {})
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.serial_port_enabled was not collected"
}

test_other_providers_are_not_judged if {
	count(check.results) == 0 with input as res("aws", {"serial_port_enabled": true})
}
