package genmei.checks.monitoring.alarm_targets_test

import data.genmei.checks.monitoring.alarm_targets as check
import data.genmei.test as t

snapshot := {"resources": {
	"monitoring.alarm": {
		"notifies": {"id": "notifies", "type": "monitoring.alarm", "provider": "aws", "attrs": {"enabled": true, "notification_targets": ["arn:aws:sns:ap-northeast-1:1:ops"]}},
		"silent": {"id": "silent", "type": "monitoring.alarm", "provider": "azure", "attrs": {"enabled": true, "notification_targets": []}},
		"disabled": {"id": "disabled", "type": "monitoring.alarm", "provider": "gcp", "attrs": {"enabled": false, "notification_targets": ["projects/p/notificationChannels/1"]}},
		"disabled-silent": {"id": "disabled-silent", "type": "monitoring.alarm", "provider": "aws", "attrs": {"enabled": false, "notification_targets": []}},
		"targets-unknown": {"id": "targets-unknown", "type": "monitoring.alarm", "provider": "aws", "attrs": {"enabled": true}},
		"enabled-unknown": {"id": "enabled-unknown", "type": "monitoring.alarm", "provider": "aws", "attrs": {"notification_targets": ["t"]}},
		"disabled-targets-unknown": {"id": "disabled-targets-unknown", "type": "monitoring.alarm", "provider": "aws", "attrs": {"enabled": false}},
	},
	"cloud.account": {"watched": {"id": "watched", "type": "cloud.account", "provider": "aws", "attrs": {"metric_alarms": 0}}},
}}

# the account's count is GM-MON-001's: no record for it here
test_exact_statuses if {
	t.assert_statuses(check.results, {
		"notifies": "PASS", "silent": "FAIL", "disabled": "FAIL", "disabled-silent": "FAIL",
		"targets-unknown": "NOT_EVALUATED", "enabled-unknown": "NOT_EVALUATED", "disabled-targets-unknown": "FAIL",
	}) with input as snapshot
}

test_reasons if {
	t.record(check.results, "notifies").reason == "enabled, notifies 1 target(s)" with input as snapshot
	t.record(check.results, "notifies").reason_ja == "有効で、1件の通知先に通知する" with input as snapshot
	t.record(check.results, "silent").reason == "no notification target" with input as snapshot
	t.record(check.results, "silent").reason_ja == "通知先が設定されていない" with input as snapshot
	t.record(check.results, "disabled-silent").reason == "disabled: it notifies no one; no notification target" with input as snapshot
	t.record(check.results, "targets-unknown").evidence.missing == ["attrs.notification_targets"] with input as snapshot
}
