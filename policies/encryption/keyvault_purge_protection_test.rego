package genmei.checks.encryption.keyvault_purge_protection_test

import data.genmei.checks.encryption.keyvault_purge_protection as check
import data.genmei.test as t

vault(provider, attrs) := {"resources": {"kms.vault": {"v": {"id": "v", "provider": provider, "attrs": attrs}}}}

test_protected_vault_passes if {
	t.assert_statuses(check.results, {"v": "PASS"}) with input as vault("azure", {"soft_delete_enabled": true, "purge_protection_enabled": true})
}

test_no_purge_protection_fails if {
	t.assert_statuses(check.results, {"v": "FAIL"}) with input as vault("azure", {"soft_delete_enabled": true, "purge_protection_enabled": false})
	r := t.record(check.results, "v") with input as vault("azure", {"soft_delete_enabled": true, "purge_protection_enabled": false})
	r.evidence.problems == ["purge protection is off: deleted keys can be purged before the retention period ends"]
}

test_no_soft_delete_fails_even_when_purge_unknown if {
	t.assert_statuses(check.results, {"v": "FAIL"}) with input as vault("azure", {"soft_delete_enabled": false})
}

test_soft_delete_unknown_is_not_evaluated if {
	t.assert_statuses(check.results, {"v": "NOT_EVALUATED"}) with input as vault("azure", {"purge_protection_enabled": true})
	r := t.record(check.results, "v") with input as vault("azure", {"purge_protection_enabled": true})
	r.reason == "attrs.soft_delete_enabled was not collected"
}

test_other_providers_are_not_judged if {
	count(check.results) == 0 with input as vault("gcp", {"soft_delete_enabled": false})
}
