# METADATA
# title: WAFの検知・遮断の記録が監査ログに送られていない
# description: >-
#   Webアプリケーションファイアウォール(AWS WAFのWeb ACL)が、遮断・検知した要求とその規則の記録(WAFの
#   ログ)をログの保管先(CloudWatch Logs、S3、Firehose)に送っていることを確認する。アクセス制御システムが
#   発した警報を監査ログに含めるための管理基準に対応する。
# scope: package
# custom:
#   id: GM-LOG-003
#   title_en: WAF alarms not sent to the audit log
#   description_en: >-
#     Checks that each web application firewall (AWS WAF web ACL) delivers its logs — every
#     request it blocked or counted, with the rule that matched — to a log destination
#     (CloudWatch Logs, S3, Firehose), so that the alarms of this access-control system are in
#     the audit log.
#   severity: medium
#   criteria: ["6.10.1.11"]
#   risks: [M11]
#   rationale:
#     "6.10.1.11": 項目は監査ログにアクセス制御システムが発した警報を含めることを求め、WAFは公開されたサービスへの要求を規則で許可・遮断するアクセス制御システムであり、そのログ(遮断・検知した要求と一致した規則の記録)をログの保管先に送る設定は、その警報を監査ログに含める構成である(他のアクセス制御システムの警報とログの保全・確認は事業者の証明による)。付表はM11のサービス管理系にのみ引用する。
#   layer: サービス管理系
#   resource_types: [network.waf]
#   remediation:
#     ja: "Web ACLのログ記録を有効にし、CloudWatch Logsのロググループ、S3バケット又はFirehoseストリーム(名前はaws-waf-logs-で始める)に送る。保管先は改ざんされにくく、監査ログとして保持期間を定めたものにする。"
#     en: "Turn on logging for the web ACL to a CloudWatch Logs group, S3 bucket or Firehose stream (named aws-waf-logs-…) that is tamper-resistant and kept as an audit log."
package genmei.checks.logging.waf_logging

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(
	r,
	["attrs", "logging_enabled"],
	true,
	["its blocked and counted requests are logged", "its blocked and counted requests are not logged"],
	["遮断・検知した要求をログに記録している", "遮断・検知した要求をログに記録していない"],
) if {
	some r in lib.resources(metadata)
}
