package genmei.checks.resilience.automatic_failover_test

import data.genmei.checks.resilience.automatic_failover as check
import data.genmei.test as t

dbs := t.fixture("db.instance", {
	"multi-az": {"type": "db.instance", "attrs": {"automatic_failover": true}},
	"single": {"type": "db.instance", "attrs": {"automatic_failover": false}},
	"unread": {"type": "db.instance", "attrs": {}},
	"planned": {"type": "db.instance", "attrs": {}, "unknown": ["attrs.automatic_failover"]},
})

groups := t.fixture("compute.instance_group", {
	"elb-checked": {"type": "compute.instance_group", "attrs": {"auto_repair": true, "health_check_type": "ELB"}},
	"no-repair": {"type": "compute.instance_group", "attrs": {"auto_repair": false}},
	"unread": {"type": "compute.instance_group", "attrs": {"not_collected": {"auto_repair": "AccessDenied"}}},
})

test_databases_by_their_standby if {
	t.assert_statuses(check.results, {"multi-az": "PASS", "single": "FAIL", "unread": "NOT_EVALUATED", "planned": "NOT_EVALUATED"}) with input as dbs
}

test_groups_by_their_repair if {
	t.assert_statuses(check.results, {"elb-checked": "PASS", "no-repair": "FAIL", "unread": "NOT_EVALUATED"}) with input as groups
}

# A group's attribute never judges a database, nor the reverse.
test_the_attribute_of_the_type_decides if {
	mixed := {"resources": {
		"db.instance": {"d": {"id": "d", "type": "db.instance", "attrs": {"auto_repair": true}}},
		"compute.instance_group": {"g": {"id": "g", "type": "compute.instance_group", "attrs": {"automatic_failover": true}}},
	}}
	t.assert_statuses(check.results, {"d": "NOT_EVALUATED", "g": "NOT_EVALUATED"}) with input as mixed
}

test_reasons_in_japanese_say_what_was_not_collected if {
	r := t.record(check.results, "unread") with input as groups
	r.reason_ja == "自動修復の設定を収集できなかった(AccessDenied)"
}
