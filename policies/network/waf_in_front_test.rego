package genmei.checks.network.waf_in_front_test

import data.genmei.checks.network.waf_in_front as check
import data.genmei.test as t

lbs := t.fixture("lb.load_balancer", {
	"alb-waf": {"provider": "aws", "attrs": {"scheme": "internet-facing", "kind": "application", "waf": true, "web_acl": "arn:aws:wafv2:r:1:regional/webacl/web/1"}},
	"alb-open": {"provider": "aws", "attrs": {"scheme": "internet-facing", "kind": "application", "waf": false}},
	"alb-internal": {"provider": "aws", "attrs": {"scheme": "internal", "waf": false}},
	"nlb": {"provider": "aws", "attrs": {"scheme": "internet-facing", "kind": "network", "not_collected": {"waf": "a Network Load Balancer cannot carry an AWS WAF web ACL"}}},
	"gwlb": {"provider": "aws", "attrs": {"scheme": "internet-facing", "kind": "gateway"}},
	"nlb-internal": {"provider": "aws", "attrs": {"scheme": "internal", "kind": "network"}},
	"alb-denied": {"provider": "aws", "attrs": {"scheme": "internet-facing", "kind": "application"}},
	"planned": {"provider": "aws", "attrs": {}, "unknown": ["attrs.scheme"]},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {
		"alb-waf": "PASS", "alb-open": "FAIL", "alb-internal": "PASS",
		"nlb": "NOT_EVALUATED", "gwlb": "NOT_EVALUATED", "nlb-internal": "PASS",
		"alb-denied": "NOT_EVALUATED", "planned": "NOT_EVALUATED",
	}) with input as lbs
}

test_reasons_say_why if {
	t.record(check.results, "alb-open").reason == "internet-facing with no web application firewall associated" with input as lbs
	t.record(check.results, "alb-open").reason_ja == "インターネットに公開されているが、WAFが関連付けられていない" with input as lbs
	t.record(check.results, "alb-open").evidence == {"attrs.waf": false} with input as lbs
	t.record(check.results, "alb-internal").reason_ja == "内部向けで、インターネットからの接続を受け付けない" with input as lbs
	t.record(check.results, "alb-waf").reason == "internet-facing, with the web ACL arn:aws:wafv2:r:1:regional/webacl/web/1 associated (its rules not read)" with input as lbs
	t.record(check.results, "alb-waf").reason_ja == "インターネットに公開され、Web ACLが関連付けられている(規則の内容は読んでいない)" with input as lbs
	t.record(check.results, "nlb").reason == "a Network Load Balancer cannot carry a web ACL (AWS Network Firewall is not read)" with input as lbs
	t.record(check.results, "nlb").reason_ja == "NLB/GWLBにはWAFを関連付けられない(Network Firewallは読んでいない)" with input as lbs
	t.record(check.results, "gwlb").evidence == {"attrs.kind": "gateway"} with input as lbs
	t.record(check.results, "alb-denied").reason == "attrs.waf was not collected" with input as lbs
	t.record(check.results, "planned").reason == "attrs.scheme is known only after apply" with input as lbs
}

test_waf_decides_only_for_internet_facing if {
	# an internal load balancer passes whatever its WAF; an internet-facing one needs it
	t.assert_statuses(check.results, {"x": "PASS"}) with input as t.fixture("lb.load_balancer", {"x": {"attrs": {"scheme": "internal"}}})
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as t.fixture("lb.load_balancer", {"x": {"attrs": {"scheme": "internet-facing", "waf": false, "web_acl": "x"}}})
}

test_a_scheme_neither_internal_nor_internet_facing_yields_no_record if {
	count(check.results) == 0 with input as t.fixture("lb.load_balancer", {"x": {"attrs": {"scheme": "dualstack", "kind": "network"}}})
}

test_a_planned_web_acl_is_named_generically if {
	r := t.record(check.results, "x") with input as t.fixture("lb.load_balancer", {"x": {"attrs": {"scheme": "internet-facing", "waf": true}}})
	r.status == "PASS"
	r.reason == "internet-facing, with a web ACL associated (its rules not read)"
}
