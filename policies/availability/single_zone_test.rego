package genmei.checks.availability.single_zone_test

import data.genmei.checks.availability.single_zone as check

res(t, zones) := {"resources": {t: {"x": {"id": "x", "provider": "gcp", "zones": zones, "attrs": {}}}}}

test_two_zones_pass if {
	some r in check.results with input as res("db.instance", ["ap-northeast-1a", "ap-northeast-1c"])
	r.status == "PASS"
}

test_one_zone_fails if {
	some r in check.results with input as res("lb.load_balancer", ["japaneast-1"])
	r.status == "FAIL"
}

test_duplicate_zone_counts_once if {
	some r in check.results with input as res("network.vpc", ["a", "a"])
	r.status == "FAIL"
}

test_unknown_zones_not_evaluated if {
	some r in check.results with input as res("k8s.cluster", null)
	r.status == "NOT_EVALUATED"
}
