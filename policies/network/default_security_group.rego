# METADATA
# title: 既定のセキュリティグループが自グループ以外からの受信を許可している
# description: >-
#   VPCの既定のセキュリティグループ(他のグループを指定せずに起動したインスタンスやネットワークインタフェースが
#   所属する)が、自グループの所属資源以外(アドレス範囲、プレフィックスリスト、他のセキュリティグループ)からの
#   受信を許可していないことを確認する。グループを指定し忘れた資源に外部から到達できない構成により、ネットワークに
#   接続したサービスを認可されていないアクセスから保護する管理基準に対応する。
# scope: package
# custom:
#   id: GM-NET-004
#   title_en: Default security group admits traffic from outside itself
#   description_en: >-
#     Checks that each VPC's default security group, which every instance and network interface
#     launched without another group joins, admits no inbound traffic from a source other than
#     its own members (a CIDR, a prefix list, another group). Outbound rules and the inbound rule
#     AWS gives the group (from the group itself) let nobody in from outside.
#   severity: medium
#   criteria: ["6.6.1.2"]
#   risks: [H05, M09, L17]
#   rationale:
#     "6.6.1.2": 項目はネットワークに接続したサービスを認可されていないアクセスから保護する仕組みを求め、既定のセキュリティグループが自グループ以外からの受信を許可していないことは、グループを指定し忘れた資源に外部から到達できない構成の確認である(ネットワーク管理の体制そのものは事業者の証明による)。付表はH05・M09・L17の抽象化層/リソース層に引用する。
#   layer: 抽象化層/リソース層
#   resource_types: [network.vpc]
#   providers: [aws]
#   remediation:
#     ja: "既定のセキュリティグループから、自グループ以外を送信元とする受信ルールを削除し、必要な通信は用途ごとに作成したセキュリティグループで許可する。"
#     en: "Remove every inbound rule of the default security group whose source is not the group itself; allow the traffic each workload needs in security groups made for it."
package genmei.checks.network.default_security_group

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

# The sources other than the group itself ("self": the collectors write the group's own id
# so) that an inbound allow rule admits.
outside_sources(rules) := sort({s |
	some x in rules
	x.direction == "ingress"
	x.action == "allow"
	some s in x.sources
	s != "self"
})

verdict(r) := lib.not_evaluated(r, ["attrs", "default_firewall_rules"]) if {
	lib.undetermined(r, ["attrs", "default_firewall_rules"])
} else := lib.pass(
	r,
	"the default security group has no rule",
	"既定のセキュリティグループにルールがない",
	{"default_firewall": object.get(r.attrs, "default_firewall", null), "rules": 0},
) if {
	count(r.attrs.default_firewall_rules) == 0
} else := lib.pass(
	r,
	sprintf("the default security group admits inbound traffic from no source other than itself (%d inbound and %d outbound rule(s))", [count(ingress), count(egress)]),
	sprintf("既定のセキュリティグループは自グループ以外からの受信を許可していない(受信%d件・送信%d件のルールがある)", [count(ingress), count(egress)]),
	{"default_firewall": object.get(r.attrs, "default_firewall", null), "ingress": count(ingress), "egress": count(egress), "outside_sources": []},
) if {
	count(outside_sources(r.attrs.default_firewall_rules)) == 0
	ingress := [x | some x in r.attrs.default_firewall_rules; x.direction == "ingress"]
	egress := [x | some x in r.attrs.default_firewall_rules; x.direction == "egress"]
} else := lib.fail(
	r,
	sprintf("the default security group admits inbound traffic from %s", [concat(", ", outside)]),
	sprintf("既定のセキュリティグループが自グループ以外(%s)からの受信を許可している", [concat("、", outside)]),
	{"default_firewall": object.get(r.attrs, "default_firewall", null), "ingress": count(ingress), "egress": count(egress), "outside_sources": outside},
) if {
	outside := outside_sources(r.attrs.default_firewall_rules)
	ingress := [x | some x in r.attrs.default_firewall_rules; x.direction == "ingress"]
	egress := [x | some x in r.attrs.default_firewall_rules; x.direction == "egress"]
}
