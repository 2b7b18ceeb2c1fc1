package genmei.checks.admin_exposure.serial_port_enabled_test

import data.genmei.checks.admin_exposure.serial_port_enabled as check
import data.genmei.test as t

res(provider, attrs) := {"resources": {"compute.instance": {"x": {"id": "x", "provider": provider, "attrs": attrs}}}}

test_off_passes if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res("gcp", {"serial_port_enabled": false})
}

test_on_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res("gcp", {"serial_port_enabled": true})
	r := t.record(check.results, "x") with input as res("gcp", {"serial_port_enabled": true})
	r.evidence["attrs.serial_port_enabled"] == true
}

test_not_collected_is_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res("gcp", {})
	r := t.record(check.results, "x") with input as res("gcp", {})
	r.reason == "attrs.serial_port_enabled was not collected"
}

test_other_providers_are_not_judged if {
	count(check.results) == 0 with input as res("aws", {"serial_port_enabled": true})
}
