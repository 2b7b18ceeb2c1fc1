package genmei.checks.configuration.recorder_off_test

import data.genmei.checks.configuration.recorder_off as check
import data.genmei.test as t

regions := t.fixture("cloud.region", {
	"recording": {"provider": "aws", "attrs": {"configuration_recorder": "recording"}},
	"none": {"provider": "aws", "attrs": {"configuration_recorder": "none"}},
	"stopped": {"provider": "aws", "attrs": {"configuration_recorder": "stopped"}},
	"partial": {"provider": "aws", "attrs": {"configuration_recorder": "partial"}},
	"failing": {"provider": "aws", "attrs": {"configuration_recorder": "failing"}},
	"unread": {"provider": "aws", "attrs": {"not_collected": {"configuration_recorder": "config:DescribeConfigurationRecorderStatus was denied"}}},
	"azure": {"provider": "azure", "attrs": {"configuration_recorder": "recording"}},
})

test_each_region_gets_its_status if {
	t.assert_statuses(check.results, {
		"recording": "PASS", "none": "FAIL", "stopped": "FAIL", "partial": "FAIL", "failing": "FAIL", "unread": "NOT_EVALUATED",
		"azure": "PASS",
	}) with input as regions
}

test_a_failure_says_what_is_wrong if {
	t.record(check.results, "partial").reason_ja == "構成レコーダーが一部の種類のリソースしか記録していない" with input as regions
	t.record(check.results, "none").reason == "no configuration recorder" with input as regions
	t.record(check.results, "stopped").evidence == {"attrs.configuration_recorder": "stopped"} with input as regions
	t.record(check.results, "unread").reason == "attrs.configuration_recorder was not collected: config:DescribeConfigurationRecorderStatus was denied" with input as regions
}
