# METADATA
# title: 管理用ポート(SSH/RDP/WinRM)がインターネットに公開されている
# description: >-
#   遠隔診断用及び環境設定用のポート(既定: SSH 22, RDP 3389, WinRM 5985/5986)への
#   インターネット全体(0.0.0.0/0, ::/0)からの受信を許可するファイアウォールルールを検出する。
#   管理用ネットワークは他のネットワークから論理的に分離されていなければならない。
# scope: package
# custom:
#   id: GM-ADMIN-001
#   title_en: Administrative ports (SSH/RDP/WinRM) open to the internet
#   description_en: >-
#     Finds firewall rules (security groups, NSGs, VPC firewall rules) that admit
#     traffic from anywhere (0.0.0.0/0, ::/0) to remote-administration ports (by default
#     SSH, RDP, WinRM). Management interfaces must be logically separated from other networks.
#   severity: critical
#   criteria: ["7.4.4.2", "7.4.4.6"]
#   risks: [H05, H06, M08, M09, L15, L17]
#   rationale:
#     "7.4.4.2": 項目は遠隔診断用・環境設定用のネットワークを他のネットワークから論理的に分離することを求め、管理用ポートがインターネット全体から到達できないことはその分離の確認である。付表はH06・M08・M09・L15・L17のいずれにも管理用ネットワークへのアクセス(偵察行為を含む)の制御としてこの項目を引用する。
#     "7.4.4.6": 項目は保守要員との間で合意できた場合にだけ遠隔診断用及び環境設定用のポートへのアクセスを可能にすることを求め、管理用ポートへの受信をインターネット全体から期限なく許可していることは、合意の有無にかかわらず誰でもいつでも環境設定用のポートにアクセスできる状態であり、項目を満たさないことを示す。インターネット全体に開いていないことは常時公開していないことの確認にとどまり、保守要員との合意と、合意した場合にだけアクセスを可能にする手順(ジャストインタイムのアクセス)は確認しない(事業者の証明による)。付表はH05・M08・M09・L15・L17のいずれにも遠隔診断用・環境設定用のポートへのアクセスの制御としてこの項目を引用する(H06は引用しない)。
#   layer: サービス管理系
#   resource_types: [network.firewall]
#   remediation:
#     ja: 管理用ポートへの受信元を踏み台・VPN・管理用ネットワークのアドレスに限定するか、SSM Session Manager / Azure Bastion / IAP などのプロキシ経由の接続に切り替える。
#     en: Restrict the sources of administrative ports to a bastion, VPN or management network, or use a brokered connection (SSM Session Manager, Azure Bastion, IAP).
package genmei.checks.admin_exposure.admin_ports_world_open

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "rules"]) if {
	lib.undetermined(r, ["attrs", "rules"])
} else := exposure_verdict(r, exposed_ports(r.attrs.rules))

# Only the world-ingress rules are examined, with no call per port (this runs for every
# firewall); shadowing is asked only of the exposed ports.
exposed_ports(rules) := {port |
	some rule in lib.world_ingress_rules(rules)
	not lib.portless(rule)
	some port in covered(rule)
	not lib.shadowed(rule, port, rules)
}

covered(rule) := lib.params.admin_ports if {
	count(object.get(rule, "port_ranges", [])) == 0
} else := [port |
	some pr in rule.port_ranges
	some port in lib.params.admin_ports
	pr.from <= port
	port <= pr.to
]

exposure_verdict(r, exposed) := lib.fail(
	r,
	sprintf("inbound traffic from any internet address allowed to admin port(s) %v", [sort(exposed)]),
	sprintf("管理用ポート %v への受信をインターネット全体から許可している", [sort(exposed)]),
	{"exposed_ports": sort(exposed)},
) if {
	count(exposed) > 0
} else := lib.pass(r, "no administrative port is open to the internet", closed_ja, {"exposed_ports": []})

# Built once per evaluation, not per firewall: the ports come from the parameters.
closed_ja := sprintf("管理用ポート %v のいずれもインターネット全体に開いていない", [sort(lib.params.admin_ports)])
