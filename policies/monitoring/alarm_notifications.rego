# METADATA
# title: アカウントにメトリクスのアラームが一つもない
# description: >-
#   アカウント(サブスクリプション、プロジェクト)にメトリクスのアラーム(CloudWatchアラーム、Azure Monitorの
#   メトリックアラートルール、Cloud Monitoringのアラートポリシー)が少なくとも一つあることを確認する。
#   個々のアラームの通知先はGM-MON-002が確認する。外部の監視ツールは読んでいない。
# scope: package
# custom:
#   id: GM-MON-001
#   title_en: No metric alarm in the account
#   description_en: >-
#     Checks that each account (subscription, project) has at least one metric alarm (CloudWatch
#     alarm, Azure Monitor metric alert rule, Cloud Monitoring alert policy). Each alarm's
#     notification targets are GM-MON-002's; external monitoring tools are not read.
#   severity: medium
#   criteria: ["6.3.1.2", "6.3.1.3"]
#   risks: [H04, M11]
#   rationale:
#     "6.3.1.2": 項目はシステムの可用性及び効率性を確実にするための監視の適用を求め、アカウントにメトリクスのアラームがあることは監視が適用されていることの構成上の証跡であり、一つもないことは(外部の監視ツールを使っていない限り)監視が適用されていないことを示す(システム調整と監視対象・しきい値の妥当性は事業者の証明による)。付表はH04(リソースの枯渇)にのみ引用する。
#     "6.3.1.3": 項目は適切な時点で問題を知らせる探知のための管理策を求め、アラームが一つもないアカウントには問題を検知して知らせる仕組みがない(個々のアラームの通知先はGM-MON-002が確認し、通知を受けた後の対応は事業者の証明による)。付表はH04とM11(攻撃の検知)に引用する。
#   layer: 物理層
#   resource_types: [cloud.account]
#   remediation:
#     ja: "CPU使用率・エラー率・容量などの主要なメトリクスにアラームを設定し、運用担当者に届く通知先(SNSトピック/アクショングループ/通知チャネル)を指定する。"
#     en: "Create alarms on key metrics (CPU, errors, capacity) with a notification target (SNS topic, action group, notification channel) that reaches the operators."
package genmei.checks.monitoring.alarm_notifications

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains account_verdict(r) if some r in lib.resources(metadata)

# What each cloud calls its metric alarms, for the reason.
alarms_ja := {"aws": "CloudWatchのアラーム", "azure": "Azure Monitorのメトリックアラートルール", "gcp": "Cloud Monitoringのアラートポリシー"}

alarms_en := {"aws": "CloudWatch alarm", "azure": "Azure Monitor metric alert rule", "gcp": "Cloud Monitoring alert policy"}

# An account with no alarm at all monitors nothing the cloud can see: a failure, not "not
# applicable" (an external monitoring tool is not read, and the reason says so). An
# account whose alarm count is unknown (a region's list failed, an import that does not
# hold alarms) is not evaluated, with the collector's reason.
account_verdict(r) := lib.not_evaluated(r, ["attrs", "metric_alarms"]) if {
	lib.undetermined(r, ["attrs", "metric_alarms"])
} else := lib.fail(
	r,
	sprintf("no %s in the account (external monitoring tools are not read)", [object.get(alarms_en, r.provider, "metric alarm")]),
	sprintf("%sが一つもない(外部の監視ツールは読んでいない)", [object.get(alarms_ja, r.provider, "メトリクスのアラーム")]),
	{"attrs.metric_alarms": 0},
) if {
	r.attrs.metric_alarms == 0
} else := lib.pass(
	r,
	sprintf("%d metric alarm(s) in the account", [r.attrs.metric_alarms]),
	sprintf("アカウントにメトリクスのアラームが%d件ある", [r.attrs.metric_alarms]),
	{"attrs.metric_alarms": r.attrs.metric_alarms},
) if {
	r.attrs.metric_alarms > 0
}
