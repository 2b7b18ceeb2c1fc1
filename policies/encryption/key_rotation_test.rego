package genmei.checks.encryption.key_rotation_test

import data.genmei.checks.encryption.key_rotation as check
import data.genmei.test as t

key(attrs) := {"resources": {"kms.key": {"k": {"id": "k", "provider": "aws", "attrs": attrs}}}}

test_rotating_customer_key_passes if {
	t.assert_statuses(check.results, {"k": "PASS"}) with input as key({"managed_by": "customer", "rotation_enabled": true})
}

test_customer_key_without_rotation_fails if {
	t.assert_statuses(check.results, {"k": "FAIL"}) with input as key({"managed_by": "customer", "rotation_enabled": false})
}

test_provider_key_passes if {
	t.assert_statuses(check.results, {"k": "PASS"}) with input as key({"managed_by": "provider"})
}

test_unknown_rotation_not_evaluated if {
	t.assert_statuses(check.results, {"k": "NOT_EVALUATED"}) with input as key({"managed_by": "customer"})
}

# AWS cannot rotate asymmetric, HMAC or signing keys, nor imported key material: such a key
# is not judged (NOT_EVALUATED, saying why), never failed for rotation being off.
test_keys_the_provider_cannot_rotate_are_not_judged if {
	keys := {
		"rsa-sign": {"managed_by": "customer", "rotation_supported": false, "key_spec": "RSA_2048", "key_usage": "sign_verify", "origin": "AWS_KMS"},
		"hmac": {"managed_by": "customer", "rotation_supported": false, "key_usage": "mac"},
		"symmetric-on": {"managed_by": "customer", "rotation_supported": true, "rotation_enabled": true},
		"symmetric-off": {"managed_by": "customer", "rotation_supported": true, "rotation_enabled": false},
		"older-snapshot": {"managed_by": "customer", "rotation_enabled": false},
	}
	inp := t.fixture("kms.key", {id: {"provider": "aws", "attrs": a} | some id, a in keys})
	t.assert_statuses(check.results, {
		"rsa-sign": "NOT_EVALUATED", "hmac": "NOT_EVALUATED", "symmetric-on": "PASS",
		"symmetric-off": "FAIL", "older-snapshot": "FAIL",
	}) with input as inp
	r := t.record(check.results, "rsa-sign") with input as inp
	r.reason == "the provider cannot rotate this key automatically (RSA_2048, sign_verify, AWS_KMS): its rotation is not judged here"
	r.evidence == {"rotation_supported": false, "key_spec": "RSA_2048", "key_usage": "sign_verify", "origin": "AWS_KMS"}
	h := t.record(check.results, "hmac") with input as inp
	h.reason == "the provider cannot rotate this key automatically (mac): its rotation is not judged here"
}

test_whether_the_key_can_rotate_known_only_after_apply if {
	inp := {"resources": {"kms.key": {"k": {"id": "k", "provider": "aws", "attrs": {"managed_by": "customer", "rotation_enabled": false}, "unknown": ["attrs.rotation_supported"]}}}}
	t.assert_statuses(check.results, {"k": "NOT_EVALUATED"}) with input as inp
	t.record(check.results, "k").reason == "attrs.rotation_supported is known only after apply" with input as inp
}
