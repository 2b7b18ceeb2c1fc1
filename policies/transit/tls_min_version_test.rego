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

known_after_apply(attrs, paths) := {"resources": {"lb.listener": {"x": {"id": "x", "provider": "aws", "attrs": attrs, "unknown": paths}}}}

test_version_known_only_after_apply_is_not_evaluated_even_with_a_planned_value if {
	some r in check.results with input as known_after_apply({"tls": {"enforced": true, "min_version": "1.2"}}, ["attrs.tls.min_version"])
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.tls.min_version is known only after apply"
}

test_enforcement_known_only_after_apply_is_not_evaluated if {
	some r in check.results with input as known_after_apply({"tls": {"enforced": false}}, ["attrs.tls.enforced"])
	r.status == "NOT_EVALUATED"
	r.reason == "attrs.tls.enforced is known only after apply"
}

test_non_boolean_enforcement_yields_no_record if {
	count(check.results) == 0 with input as res("lb.listener", {"tls": {"enforced": "yes", "min_version": "1.2"}})
}

test_non_boolean_enforcement_without_version_yields_no_record if {
	count(check.results) == 0 with input as res("lb.listener", {"tls": {"enforced": "true"}})
}
