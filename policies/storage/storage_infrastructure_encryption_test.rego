package genmei.checks.storage.storage_infrastructure_encryption_test

import data.genmei.checks.storage.storage_infrastructure_encryption as check
import data.genmei.test as t

account(provider, attrs) := {"resources": {"storage.bucket": {"s": {"id": "s", "provider": provider, "attrs": attrs}}}}

test_double_encryption_passes if {
	t.assert_statuses(check.results, {"s": "PASS"}) with input as account("azure", {"infrastructure_encryption": true})
}

test_single_layer_fails if {
	t.assert_statuses(check.results, {"s": "FAIL"}) with input as account("azure", {"infrastructure_encryption": false})
	r := t.record(check.results, "s") with input as account("azure", {"infrastructure_encryption": false})
	r.evidence["attrs.infrastructure_encryption"] == false
}

test_not_collected_is_not_evaluated if {
	t.assert_statuses(check.results, {"s": "NOT_EVALUATED"}) with input as account("azure", {})
}

test_other_providers_are_not_judged if {
	count(check.results) == 0 with input as account("aws", {"default_encryption": true})
}
