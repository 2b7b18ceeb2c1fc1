package genmei.checks.resilience.cross_region_copy_test

import data.genmei.checks.resilience.cross_region_copy as check
import data.genmei.test as t

dr := {"genmei-dr": "required"}

buckets := t.fixture("storage.bucket", {
	"crr": {"attrs": {"cross_region_copy": true, "copy_regions": ["ap-northeast-3"]}, "tags": dr},
	"crr-undeclared": {"attrs": {"cross_region_copy": true, "copy_regions": ["ap-northeast-3"]}},
	"grs": {"attrs": {"cross_region_copy": true}},
	"local": {"attrs": {"cross_region_copy": false, "copy_regions": []}, "tags": dr},
	"local-undeclared": {"provider": "aws", "attrs": {"cross_region_copy": false, "copy_regions": []}, "tags": {"purpose": "audit"}},
	"local-other-value": {"attrs": {"cross_region_copy": false, "copy_regions": []}, "tags": {"genmei-dr": "none"}},
	"unread": {"attrs": {"not_collected": {"cross_region_copy": "AccessDenied"}}, "tags": dr},
	"planned": {"attrs": {}, "unknown": ["attrs.cross_region_copy"], "tags": dr},
})

test_each_bucket_by_its_copies_and_its_dr_scope if {
	t.assert_statuses(check.results, {
		"crr": "PASS", "crr-undeclared": "PASS", "grs": "PASS",
		"local": "FAIL", "local-undeclared": "NOT_EVALUATED", "local-other-value": "NOT_EVALUATED",
		"unread": "NOT_EVALUATED", "planned": "NOT_EVALUATED",
	}) with input as buckets
}

test_the_reason_and_evidence_name_the_regions if {
	r := t.record(check.results, "crr") with input as buckets
	r.reason_ja == "データの複製を別のリージョン(ap-northeast-3)に保持している"
	r.evidence == {"cross_region_copy": true, "copy_regions": ["ap-northeast-3"], "dr_scope": true}
	u := t.record(check.results, "crr-undeclared") with input as buckets
	u.evidence.dr_scope == false
	f := t.record(check.results, "local") with input as buckets
	f.reason_ja == "DRの対象として宣言されているが、データの複製を別のリージョンに保持していない"
	f.evidence == {"cross_region_copy": false, "dr_scope": true}
}

test_undeclared_storage_without_a_copy_says_what_was_not_read if {
	n := t.record(check.results, "local-undeclared") with input as buckets
	n.reason_ja == "DRの対象として宣言されておらず、別リージョンへの複製の設定もない(AWS Backupのコピーやアプリケーションによる複製は読んでいない)"
	n.evidence == {"cross_region_copy": false, "dr_scope": false}
	g := t.record(check.results, "gcs") with input as t.fixture("storage.bucket", {"gcs": {"provider": "gcp", "attrs": {"cross_region_copy": false}}})
	g.status == "NOT_EVALUATED"
	g.reason_ja == "DRの対象として宣言されておらず、別リージョンへの複製の設定もない(バックアップサービスのコピーやアプリケーションによる複製は読んでいない)"
}

# Tags that could not be read leave the scope unknown: without a copy, not evaluated saying
# so (never "not declared"); a declared tag read alongside still decides; a copy passes.
test_unread_tags_leave_the_scope_unknown if {
	doc := t.fixture("storage.bucket", {
		"tags-denied": {"provider": "aws", "attrs": {"cross_region_copy": false, "not_collected": {"tags": "AccessDenied"}}},
		"tags-denied-copied": {"provider": "aws", "attrs": {"cross_region_copy": true, "copy_regions": ["r2"], "not_collected": {"tags": "AccessDenied"}}},
	})
	t.assert_statuses(check.results, {"tags-denied": "NOT_EVALUATED", "tags-denied-copied": "PASS"}) with input as doc
	r := t.record(check.results, "tags-denied") with input as doc
	r.reason_ja == "別リージョンへの複製の設定はないが、タグを収集できずDRの対象かどうか分からない(AccessDenied)"
	r.evidence == {"cross_region_copy": false, "missing": ["tags"], "why": "AccessDenied"}
}

test_the_scope_tag_is_a_parameter if {
	t.assert_statuses(check.results, {"local": "NOT_EVALUATED", "local-undeclared": "FAIL", "local-other-value": "NOT_EVALUATED"}) with input as t.fixture("storage.bucket", {
		"local": {"attrs": {"cross_region_copy": false}, "tags": dr},
		"local-undeclared": {"attrs": {"cross_region_copy": false}, "tags": {"purpose": "audit"}},
		"local-other-value": {"attrs": {"cross_region_copy": false}, "tags": {"purpose": "logs"}},
	})
		with data.genmei.params.dr_scope_tag as {"key": "purpose", "value": "audit"}
}

test_a_value_that_is_not_boolean_gives_no_record if {
	t.assert_statuses(check.results, {}) with input as t.fixture("storage.bucket", {"odd": {"attrs": {"cross_region_copy": "yes"}, "tags": dr}})
	t.assert_statuses(check.results, {}) with input as t.fixture("storage.bucket", {"odd": {"attrs": {"cross_region_copy": "yes", "not_collected": {"tags": "AccessDenied"}}}})
}

# Only a reason in words says the tags were not read; anything else there is ignored.
test_a_tags_note_that_is_not_text_is_ignored if {
	doc := t.fixture("storage.bucket", {"b": {"provider": "aws", "attrs": {"cross_region_copy": false, "not_collected": {"tags": true}}}})
	r := t.record(check.results, "b") with input as doc
	r.evidence == {"cross_region_copy": false, "dr_scope": false}
}
