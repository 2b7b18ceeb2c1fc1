# METADATA
# title: 仮想ネットワークのフローログが記録されていない
# description: >-
#   仮想ネットワーク(VPC/VNet/サブネット)の通信記録(フローログ)が取得されていることを確認する。監査ログにネットワークアドレス及びプロトコルを含め、セキュリティに関連し
#   た活動を記録するための管理基準に対応する。
# scope: package
# custom:
#   id: GM-LOG-001
#   title_en: Network flow logs not recorded
#   description_en: >-
#     Checks that flow logs record the traffic of every virtual network, so that audit logs
#     hold network addresses and protocols.
#   severity: medium
#   criteria: ["6.6.1.6", "6.10.1.10"]
#   risks: [H05, M11]
#   layer: サービス管理系
#   resource_types: [network.vpc]
#   remediation:
#     ja: "VPCフローログ(Azure: VNetフローログ、GCP: サブネットのフローログ)を有効にし、ログを改ざんされにくい保管先に送る。"
#     en: "Turn on VPC flow logs (Azure VNet flow logs, GCP subnet flow logs) and ship them to tamper-resistant storage."
package genmei.checks.logging.flow_logs

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "flow_logs_enabled"], true, ["flow logs are recorded", "no flow logs are recorded"]) if {
	some r in lib.resources(metadata)
}
