package genmei.checks.capacity.quota_monitoring_test

import data.genmei.checks.capacity.quota_monitoring as check
import data.genmei.test as t

regions := t.fixture("cloud.region", {
	"watched": {"provider": "aws", "attrs": {"quota_alarms": ["vcpu-quota-80"]}},
	"unwatched": {"provider": "aws", "attrs": {"quota_alarms": []}},
	"unread": {"provider": "aws", "attrs": {"not_collected": {"quota_alarms": "the alarms of the region could not be read (cloudwatch:DescribeAlarms)"}}},
	"azure": {"provider": "azure", "attrs": {"threat_detection_enabled": true}},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {"watched": "PASS", "unwatched": "FAIL", "unread": "NOT_EVALUATED", "azure": "NOT_EVALUATED"}) with input as regions
}

test_reasons_say_why if {
	t.record(check.results, "watched").reason == "1 alarm(s) watch service-quota usage and notify: vcpu-quota-80" with input as regions
	t.record(check.results, "watched").evidence == {"attrs.quota_alarms": ["vcpu-quota-80"]} with input as regions
	t.record(check.results, "unwatched").reason_ja == "サービスクォータの使用量を監視して通知する有効なアラームがない" with input as regions
	contains(t.record(check.results, "unread").reason, "cloudwatch:DescribeAlarms") with input as regions
	t.record(check.results, "azure").reason == "attrs.quota_alarms was not collected" with input as regions
}

test_non_list_yields_no_record if {
	count(check.results) == 0 with input as t.fixture("cloud.region", {"x": {"attrs": {"quota_alarms": 3}}})
}
