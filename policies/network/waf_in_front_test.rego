package genmei.checks.network.waf_in_front_test

import data.genmei.checks.network.waf_in_front as check
import data.genmei.test as t

lbs := t.fixture("lb.load_balancer", {
	"alb-waf": {"provider": "aws", "attrs": {"scheme": "internet-facing", "waf": true, "web_acl": "arn:aws:wafv2:r:1:regional/webacl/web/1"}},
	"alb-open": {"provider": "aws", "attrs": {"scheme": "internet-facing", "waf": false}},
	"alb-internal": {"provider": "aws", "attrs": {"scheme": "internal", "waf": false}},
	"nlb": {"provider": "aws", "attrs": {"scheme": "internet-facing", "not_collected": {"waf": "a Network Load Balancer cannot carry an AWS WAF web ACL"}}},
	"alb-denied": {"provider": "aws", "attrs": {"scheme": "internet-facing"}},
	"planned": {"provider": "aws", "attrs": {}, "unknown": ["attrs.scheme"]},
})

test_exact_statuses if {
	t.assert_statuses(check.results, {
		"alb-waf": "PASS", "alb-open": "FAIL", "alb-internal": "PASS",
		"nlb": "NOT_EVALUATED", "alb-denied": "NOT_EVALUATED", "planned": "NOT_EVALUATED",
	}) with input as lbs
}

test_reasons_say_why if {
	t.record(check.results, "alb-open").reason == "internet-facing with no web application firewall in front" with input as lbs
	t.record(check.results, "alb-open").evidence == {"attrs.waf": false} with input as lbs
	t.record(check.results, "alb-internal").reason_ja == "内部向けで、インターネットからの接続を受け付けない" with input as lbs
	t.record(check.results, "alb-waf").reason == "internet-facing, behind the web ACL arn:aws:wafv2:r:1:regional/webacl/web/1" with input as lbs
	contains(t.record(check.results, "nlb").reason, "cannot carry an AWS WAF web ACL") with input as lbs
	t.record(check.results, "alb-denied").reason == "attrs.waf was not collected" with input as lbs
	t.record(check.results, "planned").reason == "attrs.scheme is known only after apply" with input as lbs
}

test_waf_decides_only_for_internet_facing if {
	# an internal load balancer passes whatever its WAF; an internet-facing one needs it
	t.assert_statuses(check.results, {"x": "PASS"}) with input as t.fixture("lb.load_balancer", {"x": {"attrs": {"scheme": "internal"}}})
	t.assert_statuses(check.results, {"x": "FAIL"}) with input as t.fixture("lb.load_balancer", {"x": {"attrs": {"scheme": "internet-facing", "waf": false, "web_acl": "x"}}})
}

test_a_planned_web_acl_is_named_generically if {
	r := t.record(check.results, "x") with input as t.fixture("lb.load_balancer", {"x": {"attrs": {"scheme": "internet-facing", "waf": true}}})
	r.status == "PASS"
	r.reason == "internet-facing, behind a web ACL"
}
