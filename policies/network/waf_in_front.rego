# METADATA
# title: インターネットに公開されたロードバランサーの前にWAFがない
# description: >-
#   インターネットからの接続を受け付けるロードバランサー(AWS: Application Load Balancer)に、要求を規則で
#   検査して遮断するWebアプリケーションファイアウォール(AWS WAFのWeb ACL)が関連付けられていることを
#   確認する(規則の内容は読まない)。利用者の接続を事前に定めた規則でフィルタにかけてネットワークゲートウェイで
#   制限する管理基準に対応する。内部向けのロードバランサーはインターネットからの接続を受け付けないため合格とし、
#   理由にそう記す。WAFを関連付けられないNetwork/Gateway Load Balancerは未評価とする(Network Firewallは読まない)。
#   CloudFrontの配信元として前段でWAFを受けるロードバランサーも、それ自体にWeb ACLがなければ不合格とする
#   (CloudFrontは読まない)。
# scope: package
# custom:
#   id: GM-NET-005
#   title_en: Internet-facing load balancer without a WAF in front
#   description_en: >-
#     Checks that every load balancer that accepts connections from the internet (AWS: an
#     Application Load Balancer) has a web application firewall (an AWS WAF web ACL) that
#     inspects its requests by rules and blocks the ones they match. Internal load balancers
#     accept no connection from the internet and pass, saying so. Network and Gateway Load
#     Balancers cannot carry a web ACL: not evaluated (AWS Network Firewall is not read). The
#     web ACL's rules are not read. CloudFront is not read: an ALB that is the origin of a
#     distribution with a web ACL fails unless it carries a regional web ACL of its own.
#   severity: high
#   criteria: ["7.4.6.3"]
#   risks: [M11]
#   rationale:
#     "7.4.6.3": 項目は利用者の接続を事前に定められた表又は規則によってフィルタにかけ、ネットワークゲートウェイによって制限することを求め、公開ロードバランサーに関連付けたWAFのWeb ACLはインターネットからの要求をその入口で規則により検査・遮断するゲートウェイの規則表である(規則の内容の妥当性は事業者の証明による)。付表はM11(攻撃の検知)の物理層に引用する。
#   layer: 物理層
#   resource_types: [lb.load_balancer]
#   remediation:
#     ja: "インターネットに公開するApplication Load BalancerにAWS WAFのWeb ACL(マネージドルールグループを含む)を関連付ける。Network Load Balancerを公開する場合はAWS Network Firewallを経由させ、その構成を証跡として示す。"
#     en: "Associate an AWS WAF web ACL (with managed rule groups) with every internet-facing Application Load Balancer. Route internet traffic to a public Network Load Balancer through AWS Network Firewall and show that configuration as evidence."
package genmei.checks.network.waf_in_front

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "scheme"]) if {
	lib.undetermined(r, ["attrs", "scheme"])
} else := lib.pass(
	r,
	"internal: it accepts no connection from the internet",
	"内部向けで、インターネットからの接続を受け付けない",
	{"attrs.scheme": "internal"},
) if {
	r.attrs.scheme == "internal"
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("a %s Load Balancer cannot carry a web ACL (AWS Network Firewall is not read)", [word]),
	"reason_ja": "NLB/GWLBにはWAFを関連付けられない(Network Firewallは読んでいない)",
	"evidence": {"attrs.kind": r.attrs.kind},
} if {
	r.attrs.scheme == "internet-facing"
	word := kind_words[r.attrs.kind]
} else := lib.bool_result(
	r,
	["attrs", "waf"],
	true,
	[
		sprintf("internet-facing, with %s associated (its rules not read)", [web_acl_words(r)]),
		"internet-facing with no web application firewall associated",
	],
	["インターネットに公開され、Web ACLが関連付けられている(規則の内容は読んでいない)", "インターネットに公開されているが、WAFが関連付けられていない"],
) if {
	r.attrs.scheme == "internet-facing"
}

# The load balancer kinds that cannot carry a web ACL.
kind_words := {"network": "Network", "gateway": "Gateway"}

# The web ACL as evidence: its ARN where the collector read one (a plan names none).
web_acl_words(r) := sprintf("the web ACL %s", [r.attrs.web_acl]) if is_string(r.attrs.web_acl)

else := "a web ACL"
