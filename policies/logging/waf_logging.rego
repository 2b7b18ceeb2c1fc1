# METADATA
# title: WAFの検知・遮断の記録が監査ログに送られていない
# description: >-
#   リソースに関連付けられたWebアプリケーションファイアウォール(AWS WAFのWeb ACL)が、遮断・検知した要求と
#   その規則の記録(WAFのログ)をログの保管先(CloudWatch Logs、S3、Firehose)に送る設定であることを確認する
#   (ログの絞り込み条件は読まない)。アクセス制御システムが発した警報を監査ログに含めるための管理基準に対応する。
#   どのリソースにも関連付けられていないWeb ACLは警報を発しないため判定せず、未評価とする。
# scope: package
# custom:
#   id: GM-LOG-003
#   title_en: WAF alarms not sent to the audit log
#   description_en: >-
#     Checks that each web application firewall (AWS WAF web ACL) delivers its logs — every
#     request it blocked or counted, with the rule that matched — to a log destination
#     (CloudWatch Logs, S3, Firehose), so that the alarms of this access-control system are in
#     the audit log. Only a web ACL associated with a resource is judged (one associated with
#     nothing inspects no request: not evaluated, saying so); the logging filter is not read.
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

results contains verdict(r) if some r in lib.resources(metadata)

# Only a web ACL associated with something inspects requests and can raise an alarm; one
# associated with nothing gets no verdict but NOT_EVALUATED, saying so.
verdict(r) := lib.bool_result(
	r,
	["attrs", "logging_enabled"],
	true,
	["a log destination is set for its blocked and counted requests", "its blocked and counted requests are not logged"],
	["ログの保管先が設定されている", "遮断・検知した要求をログに記録していない"],
) if {
	r.attrs.associated == true
	not "attrs.associated" in object.get(r, "unknown", [])
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": "associated with no resource, it inspects no request and raises no alarm",
	"reason_ja": "どのリソースにも関連付けられておらず、警報を発しない",
	"evidence": {"attrs.associated": false},
} if {
	r.attrs.associated == false
	not "attrs.associated" in object.get(r, "unknown", [])
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("attrs.associated was not collected: %s", [why]),
	"reason_ja": "WAFの関連付け先を収集できなかった",
	"evidence": {"missing": ["attrs.associated"], "why": why},
} if {
	not "attrs.associated" in object.get(r, "unknown", [])
	why := r.attrs.not_collected.associated
	is_string(why)
} else := lib.not_evaluated(r, ["attrs", "associated"]) if {
	lib.undetermined(r, ["attrs", "associated"])
}
