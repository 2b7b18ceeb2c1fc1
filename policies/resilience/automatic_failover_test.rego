package genmei.checks.resilience.automatic_failover_test

import data.genmei.checks.resilience.automatic_failover as check
import data.genmei.test as t

dbs := t.fixture("db.instance", {
	"multi-az": {"type": "db.instance", "attrs": {"automatic_failover": true}},
	"single": {"type": "db.instance", "attrs": {"automatic_failover": false}},
	"unread": {"type": "db.instance", "attrs": {}},
	"planned": {"type": "db.instance", "attrs": {}, "unknown": ["attrs.automatic_failover"]},
})

test_databases_by_their_standby if {
	t.assert_statuses(check.results, {"multi-az": "PASS", "single": "FAIL", "unread": "NOT_EVALUATED", "planned": "NOT_EVALUATED"}) with input as dbs
}

# Instance groups are not this check's: a group with any attribute gets no record.
test_instance_groups_are_not_judged if {
	groups := {"resources": {
		"db.instance": {"d": {"id": "d", "type": "db.instance", "attrs": {"automatic_failover": true}}},
		"compute.instance_group": {"g": {"id": "g", "type": "compute.instance_group", "attrs": {"automatic_failover": false}}},
	}}
	t.assert_statuses(check.results, {"d": "PASS"}) with input as groups
}

test_reasons_in_japanese_say_what_was_not_collected if {
	r := t.record(check.results, "unread") with input as {"resources": {"db.instance": {"unread": {"id": "unread", "type": "db.instance", "attrs": {"not_collected": {"automatic_failover": "AccessDenied"}}}}}}
	r.reason_ja == "自動フェイルオーバーの構成を収集できなかった(AccessDenied)"
}
