package genmei.checks.deletion.deleted_data_kept_test

import data.genmei.checks.deletion.deleted_data_kept as check
import data.genmei.test as t

buckets := t.fixture("storage.bucket", {
	"unversioned": {"attrs": {"versioning": false}},
	# a rule without versioning needs no expiry days
	"unversioned-with-rule": {"attrs": {"versioning": false, "versions_expire": true}},
	"expiring": {"attrs": {"versioning": true, "versions_expire": true, "noncurrent_expiry_days": 30}},
	"at-limit": {"attrs": {"versioning": true, "versions_expire": true, "noncurrent_expiry_days": 365}},
	"kept-forever": {"attrs": {"versioning": true, "versions_expire": false}},
	"kept-long": {"attrs": {"versioning": true, "versions_expire": true, "noncurrent_expiry_days": 366}},
	"soft-delete-ok": {"attrs": {"versioning": false, "soft_delete_days": 7}},
	"soft-delete-long": {"attrs": {"versioning": false, "soft_delete_days": 400}},
	"versioning-unread": {"attrs": {"not_collected": {"versioning": "AccessDenied"}}},
	"lifecycle-unread": {"attrs": {"versioning": true}},
	"days-unread": {"attrs": {"versioning": true, "versions_expire": true}},
	"planned": {"attrs": {"versioning": true}, "unknown": ["attrs.versions_expire"]},
	# a proven problem outweighs an unknown
	"long-and-unread": {"attrs": {"soft_delete_days": 400}},
})

test_each_bucket_by_how_long_deleted_data_stays if {
	t.assert_statuses(check.results, {
		"unversioned": "PASS", "unversioned-with-rule": "PASS", "expiring": "PASS", "at-limit": "PASS", "soft-delete-ok": "PASS",
		"kept-forever": "FAIL", "kept-long": "FAIL", "soft-delete-long": "FAIL", "long-and-unread": "FAIL",
		"versioning-unread": "NOT_EVALUATED", "lifecycle-unread": "NOT_EVALUATED", "days-unread": "NOT_EVALUATED",
		"planned": "NOT_EVALUATED",
	}) with input as buckets
}

test_the_limit_is_a_parameter if {
	t.assert_statuses(check.results, {"e": "FAIL"}) with input as t.fixture("storage.bucket", {"e": {"attrs": {"versioning": true, "versions_expire": true, "noncurrent_expiry_days": 30}}})
		with data.genmei.params.max_deleted_data_days as 14
}

test_reasons_quote_the_limit if {
	r := t.record(check.results, "kept-long") with input as buckets
	r.reason_ja == "旧バージョンの削除が366日後で、365日以内が必要"
	p := t.record(check.results, "expiring") with input as buckets
	p.reason_ja == "削除したデータは365日以内に消去される"
	u := t.record(check.results, "unversioned") with input as buckets
	u.reason_ja == "バージョニングが無効で旧バージョンは残らない"
	s := t.record(check.results, "soft-delete-ok") with input as buckets
	s.reason_ja == "バージョニングが無効で旧バージョンは残らず、論理削除したデータは365日以内に消去される"
	n := t.record(check.results, "lifecycle-unread") with input as buckets
	n.reason_ja == "旧バージョンを削除するライフサイクルルールが収集されていない"
}
