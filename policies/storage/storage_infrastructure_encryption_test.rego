package genmei.checks.storage.storage_infrastructure_encryption_test

import data.genmei.checks.storage.storage_infrastructure_encryption as check

account(provider, attrs) := {"resources": {"storage.bucket": {"s": {"id": "s", "provider": provider, "attrs": attrs}}}}

test_double_encryption_passes if {
	some r in check.results with input as account("azure", {"infrastructure_encryption": true})
	r.status == "PASS"
}

test_single_layer_fails if {
	some r in check.results with input as account("azure", {"infrastructure_encryption": false})
	r.status == "FAIL"
	r.evidence["attrs.infrastructure_encryption"] == false
}

test_not_collected_is_not_evaluated if {
	some r in check.results with input as account("azure", {})
	r.status == "NOT_EVALUATED"
}

test_other_providers_are_not_judged if {
	count(check.results) == 0 with input as account("aws", {"default_encryption": true})
}
