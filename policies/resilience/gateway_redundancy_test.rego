package genmei.checks.resilience.gateway_redundancy_test

import data.genmei.checks.resilience.gateway_redundancy as check
import data.genmei.test as t

gateways := t.fixture("network.gateway", {
	"nat-a": {"attrs": {"kind": "nat", "network_zones": ["ap-northeast-1a", "ap-northeast-1c"]}, "zones": ["ap-northeast-1a"]},
	"nat-lone": {"attrs": {"kind": "nat", "network_zones": ["ap-northeast-1a"]}, "zones": ["ap-northeast-1a"]},
	"nat-twice-one-zone": {"attrs": {"kind": "nat", "network_zones": ["ap-northeast-1a", "ap-northeast-1a"]}},
	"nat-unread": {"attrs": {"kind": "nat"}},
	"nat-planned": {"attrs": {"kind": "nat"}, "unknown": ["attrs.network_zones"]},
})

test_each_gateway_by_its_network_zones if {
	t.assert_statuses(check.results, {
		"nat-a": "PASS", "nat-lone": "FAIL", "nat-twice-one-zone": "FAIL",
		"nat-unread": "NOT_EVALUATED", "nat-planned": "NOT_EVALUATED",
	}) with input as gateways
}

test_the_zone_count_is_a_parameter if {
	t.assert_statuses(check.results, {"nat-a": "FAIL"}) with input as t.fixture("network.gateway", {"nat-a": {"attrs": {"network_zones": ["a", "b"]}}})
		with data.genmei.params.min_zones as 3
}

test_reasons if {
	r := t.record(check.results, "nat-lone") with input as gateways
	r.reason_ja == "ネットワークのNATゲートウェイが1つのゾーンにしかなく、2つ以上が必要"
	n := t.record(check.results, "nat-unread") with input as gateways
	n.reason_ja == "ネットワークのNATゲートウェイのゾーンが収集されていない"
}
