package genmei.checks.resilience.backup_media_test

import data.genmei.checks.resilience.backup_media as check
import data.genmei.test as t

disks := t.fixture("compute.disk", {
	"daily": {"attrs": {"backup_count": 7, "latest_backup_age_hours": 3}},
	# an old snapshot is still a backup on separate storage (its age is GM-BAK-002's)
	"stale": {"attrs": {"backup_count": 1, "latest_backup_age_hours": 900}},
	"undated": {"attrs": {"backup_count": 2}},
	"never": {"attrs": {"backup_count": 0}},
	"unread": {"attrs": {"not_collected": {"backup_count": "AccessDenied"}}},
	"planned": {"attrs": {}, "unknown": ["attrs.backup_count"]},
})

test_each_disk_by_whether_a_backup_is_kept_apart if {
	t.assert_statuses(check.results, {
		"daily": "PASS", "stale": "PASS", "undated": "PASS", "never": "FAIL",
		"unread": "NOT_EVALUATED", "planned": "NOT_EVALUATED",
	}) with input as disks
}

test_reasons if {
	f := t.record(check.results, "never") with input as disks
	f.reason_ja == "EBSスナップショットが一つもない(他の単位のバックアップは読んでいない)"
	f.reason == "the disk has no EBS snapshot at all (backups at other units are not read)"
	p := t.record(check.results, "daily") with input as disks
	p.reason_ja == "ディスクのバックアップ(スナップショット)が別の記憶域に7件ある"
	p.evidence == {"backup_count": 7}
	u := t.record(check.results, "unread") with input as disks
	u.reason_ja == "ディスクのバックアップの有無を収集できなかった(AccessDenied)"
}
