package genmei.checks.logging.waf_logging_test

import data.genmei.checks.logging.waf_logging as check
import data.genmei.test as t

acls := t.fixture("network.waf", {
	"logged": {"provider": "aws", "attrs": {"logging_enabled": true, "log_destinations": ["arn:aws:logs:r:1:log-group:aws-waf-logs-web"]}},
	"silent": {"provider": "aws", "attrs": {"logging_enabled": false, "log_destinations": []}},
	"denied": {"provider": "aws", "attrs": {"not_collected": {"logging_enabled": "wafv2:GetLoggingConfiguration failed (AccessDeniedException: no)"}}},
	"planned": {"provider": "aws", "attrs": {}, "unknown": ["attrs.logging_enabled"]},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {"logged": "PASS", "silent": "FAIL", "denied": "NOT_EVALUATED", "planned": "NOT_EVALUATED"}) with input as acls
}

test_reasons_say_why if {
	t.record(check.results, "silent").evidence == {"attrs.logging_enabled": false} with input as acls
	t.record(check.results, "silent").reason_ja == "遮断・検知した要求をログに記録していない" with input as acls
	contains(t.record(check.results, "denied").reason, "AccessDeniedException") with input as acls
	t.record(check.results, "planned").reason == "attrs.logging_enabled is known only after apply" with input as acls
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as t.fixture("network.waf", {"x": {"attrs": {"logging_enabled": "yes"}}})
}
