package genmei.checks.logging.waf_logging_test

import data.genmei.checks.logging.waf_logging as check
import data.genmei.test as t

acls := t.fixture("network.waf", {
	"logged": {"provider": "aws", "attrs": {"associated": true, "logging_enabled": true, "log_destinations": ["arn:aws:logs:r:1:log-group:aws-waf-logs-web"]}},
	"silent": {"provider": "aws", "attrs": {"associated": true, "logging_enabled": false, "log_destinations": []}},
	"denied": {"provider": "aws", "attrs": {"associated": true, "not_collected": {"logging_enabled": "wafv2:GetLoggingConfiguration failed (AccessDeniedException: no)"}}},
	"planned": {"provider": "aws", "attrs": {"associated": true}, "unknown": ["attrs.logging_enabled"]},
	"spare-silent": {"provider": "aws", "attrs": {"associated": false, "logging_enabled": false, "log_destinations": []}},
	"spare-logged": {"provider": "aws", "attrs": {"associated": false, "logging_enabled": true}},
	"elsewhere": {"provider": "aws", "attrs": {"logging_enabled": false, "not_collected": {"associated": "no load balancer read is associated with it"}}},
	"association-planned": {"provider": "aws", "attrs": {"logging_enabled": false}, "unknown": ["attrs.associated"]},
	"contradictory-true": {"provider": "aws", "attrs": {"associated": true, "logging_enabled": false}, "unknown": ["attrs.associated"]},
	"contradictory-false": {"provider": "aws", "attrs": {"associated": false}, "unknown": ["attrs.associated"]},
	"unknown-and-said": {"provider": "aws", "attrs": {"not_collected": {"associated": "x"}}, "unknown": ["attrs.associated"]},
	"odd-why": {"provider": "aws", "attrs": {"not_collected": {"associated": 5}}},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {
		"logged": "PASS", "silent": "FAIL", "denied": "NOT_EVALUATED", "planned": "NOT_EVALUATED",
		"spare-silent": "NOT_EVALUATED", "spare-logged": "NOT_EVALUATED", "elsewhere": "NOT_EVALUATED",
		"association-planned": "NOT_EVALUATED", "contradictory-true": "NOT_EVALUATED", "contradictory-false": "NOT_EVALUATED",
		"unknown-and-said": "NOT_EVALUATED", "odd-why": "NOT_EVALUATED",
	}) with input as acls
}

test_reasons_say_why if {
	t.record(check.results, "logged").reason_ja == "ログの保管先が設定されている" with input as acls
	t.record(check.results, "silent").evidence == {"attrs.logging_enabled": false} with input as acls
	t.record(check.results, "silent").reason_ja == "遮断・検知した要求をログに記録していない" with input as acls
	contains(t.record(check.results, "denied").reason, "AccessDeniedException") with input as acls
	t.record(check.results, "planned").reason == "attrs.logging_enabled is known only after apply" with input as acls
	t.record(check.results, "spare-silent").reason_ja == "どのリソースにも関連付けられておらず、警報を発しない" with input as acls
	t.record(check.results, "spare-silent").evidence == {"attrs.associated": false} with input as acls
	t.record(check.results, "elsewhere").reason == "attrs.associated was not collected: no load balancer read is associated with it" with input as acls
	t.record(check.results, "elsewhere").reason_ja == "WAFの関連付け先を収集できなかった" with input as acls
	t.record(check.results, "association-planned").reason == "attrs.associated is known only after apply" with input as acls
	t.record(check.results, "contradictory-false").reason == "attrs.associated is known only after apply" with input as acls
	t.record(check.results, "unknown-and-said").reason == "attrs.associated is known only after apply" with input as acls
	t.record(check.results, "odd-why").reason == "attrs.associated was not collected" with input as acls
}

test_non_boolean_yields_no_record if {
	count(check.results) == 0 with input as t.fixture("network.waf", {"x": {"attrs": {"associated": true, "logging_enabled": "yes"}}})
}
