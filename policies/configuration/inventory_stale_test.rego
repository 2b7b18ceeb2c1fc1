package genmei.checks.configuration.inventory_stale_test

import data.genmei.checks.configuration.inventory_stale as check
import data.genmei.test as t

at := "2026-12-07T03:00:00Z"

vm(attrs) := {"provider": "gcp", "attrs": object.union({"managed": true, "observed_at": at}, attrs)}

# inventory_max_age_days (policies/params.yaml) is 7.
hosts := t.fixture("compute.host_management", {
	"current": vm({"software_inventory": true, "inventory_collected_at": "2026-11-30T03:00:00Z"}),
	"stale": vm({"software_inventory": true, "inventory_collected_at": "2026-11-29T03:00:00Z"}),
	"none": vm({"software_inventory": false}),
	"running-none": vm({"software_inventory": false, "running": true}),
	"stopped": vm({"software_inventory": false, "running": false}),
	"unmanaged": {"provider": "aws", "attrs": {"managed": false, "observed_at": at}},
	"azure": vm({"not_collected": {"software_inventory": "Azure keeps software inventory in Log Analytics, which genmei does not read"}}),
	"undated": vm({"software_inventory": true}),
	"unknown": {"provider": "aws", "attrs": {}},
})

test_each_vm_gets_its_status if {
	t.assert_statuses(check.results, {
		"current": "PASS", "stale": "FAIL", "none": "FAIL", "running-none": "FAIL", "stopped": "NOT_EVALUATED", "unmanaged": "NOT_EVALUATED", "azure": "NOT_EVALUATED",
		"undated": "NOT_EVALUATED", "unknown": "NOT_EVALUATED",
	}) with input as hosts
}

test_the_reasons_give_the_age if {
	t.record(check.results, "current").reason == "the software inventory was collected 7 days ago (at most 7)" with input as hosts
	t.record(check.results, "stale").reason_ja == "ソフトウェアインベントリの最後の収集が8日前で、7日を超えている" with input as hosts
	t.record(check.results, "none").reason_ja == "仮想マシンのソフトウェアインベントリが収集されていない" with input as hosts
	t.record(check.results, "none").evidence == {"attrs.software_inventory": false} with input as hosts
}

test_what_is_unknown_says_why if {
	t.record(check.results, "unmanaged").evidence == {"attrs.managed": false} with input as hosts
	t.record(check.results, "azure").reason == "attrs.software_inventory was not collected: Azure keeps software inventory in Log Analytics, which genmei does not read" with input as hosts
	t.record(check.results, "undated").evidence.missing == ["attrs.inventory_collected_at"] with input as hosts
	t.record(check.results, "unknown").evidence.missing == ["attrs.managed"] with input as hosts
}

test_the_age_limit_is_a_parameter if {
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as t.fixture("compute.host_management", {"x": vm({"software_inventory": true, "inventory_collected_at": "2026-12-06T00:00:00Z"})})
		with data.genmei.params.inventory_max_age_days as 0
}

test_a_stopped_vm_is_not_judged if {
	r := t.record(check.results, "stopped") with input as hosts
	r.reason_ja == "停止中の仮想マシン"
	r.evidence == {"attrs.running": false}
}
