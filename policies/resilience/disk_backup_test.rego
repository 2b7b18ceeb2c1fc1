package genmei.checks.resilience.disk_backup_test

import data.genmei.checks.resilience.disk_backup as check
import data.genmei.test as t

disks := t.fixture("compute.disk", {
	"daily": {"attrs": {"backup_count": 7, "latest_backup_age_hours": 3}},
	"at-limit": {"attrs": {"backup_count": 1, "latest_backup_age_hours": 26}},
	"stale": {"attrs": {"backup_count": 30, "latest_backup_age_hours": 27}},
	"never": {"attrs": {"backup_count": 0}},
	"unread": {"attrs": {"not_collected": {"backup_count": "AccessDenied"}}},
	"undated": {"attrs": {"backup_count": 2}},
	"planned": {"attrs": {}, "unknown": ["attrs.backup_count"]},
})

test_each_disk_by_its_latest_backup if {
	t.assert_statuses(check.results, {
		"daily": "PASS", "at-limit": "PASS", "stale": "FAIL", "never": "FAIL",
		"unread": "NOT_EVALUATED", "undated": "NOT_EVALUATED", "planned": "NOT_EVALUATED",
	}) with input as disks
}

test_the_age_is_a_parameter if {
	t.assert_statuses(check.results, {"d": "FAIL"}) with input as t.fixture("compute.disk", {"d": {"attrs": {"backup_count": 1, "latest_backup_age_hours": 3}}})
		with data.genmei.params.max_backup_age_hours as 2
}

test_reasons if {
	r := t.record(check.results, "stale") with input as disks
	r.reason_ja == "最新のバックアップが27時間前で、26時間以内が必要"
	n := t.record(check.results, "unread") with input as disks
	n.reason_ja == "ディスクのバックアップの有無を収集できなかった(AccessDenied)"
}
