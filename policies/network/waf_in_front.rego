# METADATA
# title: インターネットに公開されたロードバランサーの前にWAFがない
# description: >-
#   インターネットからの接続を受け付けるロードバランサー(AWS: Application Load Balancer)に、要求を規則で
#   検査して遮断するWebアプリケーションファイアウォール(AWS WAFのWeb ACL)が関連付けられていることを
#   確認する。利用者の接続を事前に定めた規則でフィルタにかけてネットワークゲートウェイで制限し、公開された
#   システムの攻撃に対する耐性を確かめるための管理基準に対応する。内部向けのロードバランサーはインターネット
#   からの接続を受け付けないため合格とし、理由にそう記す。
# scope: package
# custom:
#   id: GM-NET-005
#   title_en: Internet-facing load balancer without a WAF in front
#   description_en: >-
#     Checks that every load balancer that accepts connections from the internet (AWS: an
#     Application Load Balancer) has a web application firewall (an AWS WAF web ACL) that
#     inspects its requests by rules and blocks the ones they match. Internal load balancers
#     accept no connection from the internet and pass, saying so.
#   severity: high
#   criteria: ["7.4.6.3", "6.9.1.18"]
#   risks: [M11]
#   rationale:
#     "7.4.6.3": 項目は利用者の接続を事前に定められた表又は規則によってフィルタにかけ、ネットワークゲートウェイによって制限することを求め、公開ロードバランサーに関連付けたWAFのWeb ACLはインターネットからの要求をその入口で規則により検査・遮断するゲートウェイの規則表である(規則の内容の妥当性は事業者の証明による)。付表はM11(攻撃の検知)の物理層に引用する。
#     "6.9.1.18": 項目はサービスを提供する基幹コンピュータの攻撃に対する耐性とネットワーク相互接続のセキュリティ上の影響の確認を求め、インターネットに公開した入口にWAFがあることはその耐性を支える構成の確認の一部である(侵入テストやぜい弱性診断の結果は事業者の証明による)。付表はM11の物理層に引用する。
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
} else := lib.bool_result(
	r,
	["attrs", "waf"],
	true,
	[
		sprintf("internet-facing, behind %s", [web_acl_words(r)]),
		"internet-facing with no web application firewall in front",
	],
	["インターネットに公開され、WAFのWeb ACLが要求を検査している", "インターネットに公開されているが、要求を検査するWAFがない"],
) if {
	r.attrs.scheme == "internet-facing"
}

# The web ACL as evidence: its ARN where the collector read one (a plan names none).
web_acl_words(r) := sprintf("the web ACL %s", [r.attrs.web_acl]) if is_string(r.attrs.web_acl)

else := "a web ACL"
