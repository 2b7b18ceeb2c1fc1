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
#   risks: [H03, H05, H06, M09, M11, L17]
#   rationale:
#     "6.6.1.6": 項目はセキュリティに関連した活動を記録するログ取得と監視を求め、仮想ネットワークのフローログはネットワーク上の活動の記録としてその一部を確認する(監視の運用は事業者の証明による)。付表はH03(行為者の識別)・H05・M09・L17(偵察行為を行う者の特定)・H06(サービス管理系へのアクセスの監視)・M11(攻撃の検知)のいずれにも活動の記録と検知の対策としてこの項目を引用する。
#     "6.10.1.10": 項目は監査ログにネットワークアドレス及びプロトコルを含めることを求め、フローログは送信元・宛先アドレス、ポート及びプロトコルを記録する。付表はM11にのみ引用する。
#   layer: サービス管理系
#   resource_types: [network.vpc]
#   remediation:
#     ja: "VPCフローログ(Azure: VNetフローログ、GCP: サブネットのフローログ)を有効にし、ログを改ざんされにくい保管先に送る。"
#     en: "Turn on VPC flow logs (Azure VNet flow logs, GCP subnet flow logs) and ship them to tamper-resistant storage."
package genmei.checks.logging.flow_logs

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "flow_logs_enabled"], true, ["flow logs are recorded", "no flow logs are recorded"], ["フローログを記録している", "フローログを記録していない"]) if {
	some r in lib.resources(metadata)
}
