# METADATA
# title: 既定のセキュリティグループが通信を許可している
# description: >-
#   VPCの既定のセキュリティグループ(他のグループを指定せずに起動したインスタンスやネットワークインタフェースが
#   所属する)に受信・送信のルールがないことを確認する。明示的に許可した通信だけを通す既定拒否の構成により、
#   ネットワークに接続したサービスを認可されていないアクセスから保護する管理基準に対応する。
# scope: package
# custom:
#   id: GM-NET-004
#   title_en: Default security group allows traffic
#   description_en: >-
#     Checks that each VPC's default security group, which every instance and network interface
#     launched without another group joins, has no inbound or outbound rule, so traffic flows
#     only where a group made for it allows it (default deny).
#   severity: medium
#   criteria: ["6.6.1.2"]
#   risks: [H05, M09, L17]
#   rationale:
#     "6.6.1.2": 項目はネットワークに接続したサービスを認可されていないアクセスから保護する仕組みを求め、既定のセキュリティグループにルールがないことは、グループを指定し忘れた資源が既定で通信を拒否される(既定拒否)構成の確認である(ネットワーク管理の体制そのものは事業者の証明による)。付表はH05・M09・L17の抽象化層/リソース層に引用する。
#   layer: 抽象化層/リソース層
#   resource_types: [network.vpc]
#   providers: [aws]
#   remediation:
#     ja: "既定のセキュリティグループの受信・送信ルールをすべて削除し、必要な通信は用途ごとに作成したセキュリティグループで許可する。"
#     en: "Remove every inbound and outbound rule of the default security group; allow the traffic each workload needs in security groups made for it."
package genmei.checks.network.default_security_group

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "default_firewall_rules"]) if {
	lib.undetermined(r, ["attrs", "default_firewall_rules"])
} else := lib.pass(
	r,
	"the default security group has no rule",
	"既定のセキュリティグループにルールがない",
	{"default_firewall": object.get(r.attrs, "default_firewall", null), "rules": 0},
) if {
	count(r.attrs.default_firewall_rules) == 0
} else := lib.fail(
	r,
	sprintf("the default security group has %d inbound and %d outbound rule(s)", [count(ingress), count(egress)]),
	sprintf("既定のセキュリティグループに受信%d件・送信%d件のルールがある", [count(ingress), count(egress)]),
	{"default_firewall": object.get(r.attrs, "default_firewall", null), "rules": count(r.attrs.default_firewall_rules), "ingress": count(ingress), "egress": count(egress)},
) if {
	ingress := [x | some x in r.attrs.default_firewall_rules; x.direction == "ingress"]
	egress := [x | some x in r.attrs.default_firewall_rules; x.direction == "egress"]
}
