package genmei.checks.monitoring.alarm_notifications_test

import data.genmei.checks.monitoring.alarm_notifications as check
import data.genmei.test as t

snapshot := {"resources": {
	"monitoring.alarm": {
		"notifies": {"id": "notifies", "type": "monitoring.alarm", "provider": "aws", "attrs": {"enabled": true, "notification_targets": ["arn:aws:sns:ap-northeast-1:1:ops"]}},
	},
	"cloud.account": {
		"watched": {"id": "watched", "type": "cloud.account", "provider": "aws", "attrs": {"metric_alarms": 3}},
		"unwatched": {"id": "unwatched", "type": "cloud.account", "provider": "gcp", "attrs": {"metric_alarms": 0}},
		"unwatched-aws": {"id": "unwatched-aws", "type": "cloud.account", "provider": "aws", "attrs": {"metric_alarms": 0}},
		"unwatched-azure": {"id": "unwatched-azure", "type": "cloud.account", "provider": "azure", "attrs": {"metric_alarms": 0}},
		"unwatched-other": {"id": "unwatched-other", "type": "cloud.account", "provider": "other", "attrs": {"metric_alarms": 0}},
		"count-unknown": {"id": "count-unknown", "type": "cloud.account", "provider": "aws", "attrs": {"not_collected": {"metric_alarms": "AWS Config does not record alarms of every region"}}},
	},
}}

# the alarms themselves are GM-MON-002's: no record for them here
test_exact_statuses if {
	t.assert_statuses(check.results, {
		"watched": "PASS", "unwatched": "FAIL", "unwatched-aws": "FAIL", "unwatched-azure": "FAIL", "unwatched-other": "FAIL",
		"count-unknown": "NOT_EVALUATED",
	}) with input as snapshot
}

test_reasons if {
	t.record(check.results, "unwatched-aws").reason_ja == "CloudWatchのアラームが一つもない(外部の監視ツールは読んでいない)" with input as snapshot
	t.record(check.results, "unwatched-aws").reason == "no CloudWatch alarm in the account (external monitoring tools are not read)" with input as snapshot
	t.record(check.results, "unwatched-azure").reason_ja == "Azure Monitorのメトリックアラートルールが一つもない(外部の監視ツールは読んでいない)" with input as snapshot
	t.record(check.results, "unwatched").reason_ja == "Cloud Monitoringのアラートポリシーが一つもない(外部の監視ツールは読んでいない)" with input as snapshot
	t.record(check.results, "unwatched-other").reason_ja == "メトリクスのアラームが一つもない(外部の監視ツールは読んでいない)" with input as snapshot
	t.record(check.results, "watched").evidence == {"attrs.metric_alarms": 3} with input as snapshot
	t.record(check.results, "watched").reason_ja == "アカウントにメトリクスのアラームが3件ある" with input as snapshot
	t.record(check.results, "count-unknown").reason == "attrs.metric_alarms was not collected: AWS Config does not record alarms of every region" with input as snapshot
}
