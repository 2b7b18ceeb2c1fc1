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

# hosts_workloads, which the engine joins over the whole snapshot (params quota_workload_types):
# 111/ap-northeast-3 and subscription sub-b run no workload; 111/eu-west-1's databases were
# not read (a gap over a workload type), 111/us-east-1's buckets were (a gap over no workload
# type); project proj-c's instance groups were not read.
idle(p, acct, name, attrs) := {"provider": p, "account": acct, "region": name, "attrs": attrs, "hosts_workloads": false}

busy(p, acct, name, attrs) := object.union(idle(p, acct, name, attrs), {"hosts_workloads": true})

scoped := object.union(t.fixture("cloud.region", {
	"busy-unwatched": busy("aws", "111", "ap-northeast-1", {"quota_alarms": []}),
	"busy-watched": busy("gcp", "proj-a", "global", {"quota_alarms": ["cpus-quota"]}),
	"empty": idle("aws", "111", "ap-northeast-3", {"quota_alarms": []}),
	"empty-azure": idle("azure", "sub-b", "global", {"not_collected": {"quota_alarms": "Azure quota alerts are not read"}}),
	"gapped": idle("aws", "111", "eu-west-1", {"quota_alarms": []}),
	"other-gap": idle("aws", "111", "us-east-1", {"quota_alarms": []}),
	"gcp-gapped": idle("gcp", "proj-c", "global", {"quota_alarms": []}),
}), {"meta": {"gaps": [
	{"scope": "111/eu-west-1", "resource_types": ["db.instance"]},
	{"scope": "111/us-east-1", "resource_types": ["storage.bucket"]},
	{"scope": "projects/proj-c", "resource_types": ["compute.instance_group"]},
]}})

test_a_region_with_no_workload_is_not_judged if {
	t.assert_statuses(check.results, {
		"busy-unwatched": "FAIL", "busy-watched": "PASS", "empty": "NOT_APPLICABLE", "empty-azure": "NOT_APPLICABLE",
		"gapped": "NOT_EVALUATED", "other-gap": "NOT_APPLICABLE", "gcp-gapped": "NOT_EVALUATED",
	}) with input as scoped
	t.record(check.results, "empty").reason_ja == "稼働するワークロードがなく、使い切るクォータがない" with input as scoped
	r := t.record(check.results, "gapped") with input as scoped
	r.reason_ja == "ワークロードを収集できず、クォータを使うワークロードの有無が分からない"
	r.evidence == {"gap": "111/eu-west-1"}
}
