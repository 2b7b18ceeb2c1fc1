package genmei.checks.resilience.cross_region_copy_test

import data.genmei.checks.resilience.cross_region_copy as check
import data.genmei.test as t

buckets := t.fixture("storage.bucket", {
	"crr": {"attrs": {"cross_region_copy": true, "copy_regions": ["ap-northeast-3"]}},
	"grs": {"attrs": {"cross_region_copy": true}},
	"local": {"attrs": {"cross_region_copy": false, "copy_regions": []}},
	"unread": {"attrs": {"not_collected": {"cross_region_copy": "AccessDenied"}}},
	"planned": {"attrs": {}, "unknown": ["attrs.cross_region_copy"]},
})

test_each_bucket_by_its_copies if {
	t.assert_statuses(check.results, {"crr": "PASS", "grs": "PASS", "local": "FAIL", "unread": "NOT_EVALUATED", "planned": "NOT_EVALUATED"}) with input as buckets
}

test_the_reason_and_evidence_name_the_regions if {
	r := t.record(check.results, "crr") with input as buckets
	r.reason_ja == "データの複製を別のリージョン(ap-northeast-3)に保持している"
	r.evidence == {"cross_region_copy": true, "copy_regions": ["ap-northeast-3"]}
	f := t.record(check.results, "local") with input as buckets
	f.evidence == {"cross_region_copy": false}
}

test_a_value_that_is_not_boolean_gives_no_record if {
	t.assert_statuses(check.results, {}) with input as t.fixture("storage.bucket", {"odd": {"attrs": {"cross_region_copy": "yes"}}})
}
