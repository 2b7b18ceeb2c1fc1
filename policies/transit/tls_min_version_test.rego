package genmei.checks.transit.tls_min_version_test

import data.genmei.checks.transit.tls_min_version as check

res(t, attrs) := {"resources": {t: {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_https_listener_tls12_passes if {
	some r in check.results with input as res("lb.listener", {"tls": {"enforced": true, "min_version": "1.2", "policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}})
	r.status == "PASS"
}

test_plain_http_listener_fails if {
	some r in check.results with input as res("lb.listener", {"tls": {"enforced": false}})
	r.status == "FAIL"
	r.reason == "accepts plaintext connections"
}

test_tls10_database_fails if {
	some r in check.results with input as res("db.instance", {"tls": {"enforced": true, "min_version": "1.0"}})
	r.status == "FAIL"
}

test_unknown_min_version_not_evaluated if {
	some r in check.results with input as res("storage.bucket", {"tls": {"enforced": true}})
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.tls.min_version was not collected"
}

test_unrecognised_version_not_evaluated if {
	some r in check.results with input as res("lb.listener", {"tls": {"enforced": true, "min_version": "SSLv3-ish"}})
	r.status == "NOT_EVALUATED"
}

test_exactly_one_record if {
	count(check.results) == 1 with input as res("lb.listener", {"tls": {"enforced": false, "min_version": "1.0"}})
}
