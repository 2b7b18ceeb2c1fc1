package genmei.checks.transit.tls_min_version_test

import data.genmei.checks.transit.tls_min_version as check
import data.genmei.test as t

res(t, attrs) := {"resources": {t: {"x": {"id": "x", "provider": "aws", "attrs": attrs}}}}

test_https_listener_tls12_passes if {
	t.assert_statuses(check.results, {"x": "PASS"}) with input as res("lb.listener", {"tls": {"enforced": true, "min_version": "1.2", "policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}})
}

test_plain_http_listener_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res("lb.listener", {"tls": {"enforced": false}})
	r := t.record(check.results, "x") with input as res("lb.listener", {"tls": {"enforced": false}})
	r.reason == "accepts plaintext connections"
}

test_tls10_database_fails if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as res("db.instance", {"tls": {"enforced": true, "min_version": "1.0"}})
}

test_unknown_min_version_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res("storage.bucket", {"tls": {"enforced": true}})
	r := t.record(check.results, "x") with input as res("storage.bucket", {"tls": {"enforced": true}})
	r.reason == "attrs.tls.min_version was not collected"
}

test_unrecognised_version_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as res("lb.listener", {"tls": {"enforced": true, "min_version": "SSLv3-ish"}})
}

test_exactly_one_record if {
	count(check.results) == 1 with input as res("lb.listener", {"tls": {"enforced": false, "min_version": "1.0"}})
}

known_after_apply(attrs, paths) := {"resources": {"lb.listener": {"x": {"id": "x", "provider": "aws", "attrs": attrs, "unknown": paths}}}}

test_version_known_only_after_apply_is_not_evaluated_even_with_a_planned_value if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as known_after_apply({"tls": {"enforced": true, "min_version": "1.2"}}, ["attrs.tls.min_version"])
	r := t.record(check.results, "x") with input as known_after_apply({"tls": {"enforced": true, "min_version": "1.2"}}, ["attrs.tls.min_version"])
	r.reason == "attrs.tls.min_version is known only after apply"
}

test_enforcement_known_only_after_apply_is_not_evaluated if {
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as known_after_apply({"tls": {"enforced": false}}, ["attrs.tls.enforced"])
	r := t.record(check.results, "x") with input as known_after_apply({"tls": {"enforced": false}}, ["attrs.tls.enforced"])
	r.reason == "attrs.tls.enforced is known only after apply"
}

test_non_boolean_enforcement_yields_no_record if {
	count(check.results) == 0 with input as res("lb.listener", {"tls": {"enforced": "yes", "min_version": "1.2"}})
}

test_non_boolean_enforcement_without_version_yields_no_record if {
	count(check.results) == 0 with input as res("lb.listener", {"tls": {"enforced": "true"}})
}

test_a_planned_pass_whose_enforcement_is_known_only_after_apply_is_not_evaluated if {
	inp := known_after_apply({"tls": {"enforced": true, "min_version": "1.2"}}, ["attrs.tls.enforced"])
	t.assert_statuses(check.results, {"x": "NOT_EVALUATED"}) with input as inp
	t.record(check.results, "x").reason == "attrs.tls.enforced is known only after apply" with input as inp
}

test_non_boolean_enforcement_with_an_old_version_yields_no_record if {
	count(check.results) == 0 with input as res("lb.listener", {"tls": {"enforced": "yes", "min_version": "1.0"}})
}

# Every status the check gives, over the three types it reads, in one snapshot.
test_statuses_of_every_fixture_resource if {
	inp := {"resources": {
		"lb.listener": {
			"tls13": {"id": "tls13", "provider": "aws", "attrs": {"tls": {"enforced": true, "min_version": "1.3"}}},
			"plain": {"id": "plain", "provider": "aws", "attrs": {"tls": {"enforced": false, "min_version": "1.2"}}},
		},
		"db.instance": {"tls11": {"id": "tls11", "provider": "azure", "attrs": {"tls": {"enforced": true, "min_version": "1.1"}}}},
		"storage.bucket": {
			"no-version": {"id": "no-version", "provider": "aws", "attrs": {"tls": {"enforced": true}}},
			"no-tls": {"id": "no-tls", "provider": "gcp", "attrs": {}},
		},
	}}
	t.assert_statuses(check.results, {
		"tls13": "PASS", "plain": "FAIL", "tls11": "FAIL", "no-version": "NOT_EVALUATED", "no-tls": "NOT_EVALUATED",
	}) with input as inp
	t.record(check.results, "tls11").reason == "minimum TLS 1.1 is below 1.2" with input as inp
}

# A pass-through listener (TCP, UDP, TCP_UDP, GENEVE) terminates nothing: whether its targets
# require TLS is not in the configuration. An HTTP or a TLS listener is still judged.
listeners := {"resources": {"lb.listener": {
	"tcp": {"id": "tcp", "type": "lb.listener", "provider": "aws", "attrs": {"protocol": "TCP", "tls": {"enforced": false}}},
	"udp": {"id": "udp", "type": "lb.listener", "provider": "aws", "attrs": {"protocol": "UDP", "tls": {"enforced": false}}},
	"tcp-udp": {"id": "tcp-udp", "type": "lb.listener", "provider": "aws", "attrs": {"protocol": "TCP_UDP", "tls": {"enforced": false}}},
	"geneve": {"id": "geneve", "type": "lb.listener", "provider": "aws", "attrs": {"protocol": "GENEVE"}},
	"azure-tcp": {"id": "azure-tcp", "type": "lb.listener", "provider": "azure", "attrs": {"protocol": "Tcp", "tls": {"enforced": false}}},
	"http": {"id": "http", "type": "lb.listener", "provider": "aws", "attrs": {"protocol": "HTTP", "tls": {"enforced": false}}},
	"tls": {"id": "tls", "type": "lb.listener", "provider": "aws", "attrs": {"protocol": "TLS", "tls": {"enforced": true, "min_version": "1.0"}}},
}}}

test_pass_through_listeners_are_not_evaluated if {
	t.assert_statuses(check.results, {
		"tcp": "NOT_EVALUATED", "udp": "NOT_EVALUATED", "tcp-udp": "NOT_EVALUATED", "geneve": "NOT_EVALUATED",
		"azure-tcp": "NOT_EVALUATED", "http": "FAIL", "tls": "FAIL",
	}) with input as listeners
	r := t.record(check.results, "tcp") with input as listeners
	r.reason_ja == "TCPのリスナーは接続をそのまま転送先に渡し、TLSを必須にするかは転送先が決める(ロードバランサの構成からは分からない)"
	r.evidence == {"protocol": "TCP"}
}
