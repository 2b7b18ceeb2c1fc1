# METADATA
# title: メトリクスの警報が誰にも通知されない、または警報がない
# description: >-
#   メトリクスのアラーム(CloudWatchアラーム、Azure Monitorのメトリックアラートルール、Cloud Monitoringの
#   アラートポリシー)が有効で、発報時の通知先(SNSトピック、アクショングループ、通知チャネル)を持つことを
#   確認する。アカウント(サブスクリプション、プロジェクト)にアラームが一つもない場合も不合格とする。
#   システムの監視と、適切な時点で問題を知らせる探知のための管理策に対応する。
# scope: package
# custom:
#   id: GM-MON-001
#   title_en: Metric alarms notify no one, or there are none
#   description_en: >-
#     Checks that metric alarms (CloudWatch alarms, Azure Monitor metric alert rules, Cloud
#     Monitoring alert policies) are enabled and notify someone when they fire (SNS topics,
#     action groups, notification channels), and that each account has at least one.
#   severity: medium
#   criteria: ["6.3.1.2", "6.3.1.3"]
#   risks: [H04, M11]
#   rationale:
#     "6.3.1.2": 項目はシステムの可用性及び効率性を確実にするための監視の適用を求め、メトリクスのアラームが設定され有効であることは監視が適用されていることの構成上の証跡である(システム調整と監視対象・しきい値の妥当性は事業者の証明による)。付表はH04(リソースの枯渇)にのみ引用する。
#     "6.3.1.3": 項目は適切な時点で問題を知らせる探知のための管理策を求め、通知先を持つ有効なアラームは問題を検知した時点で担当者に知らせる仕組みである(通知を受けた後の対応は事業者の証明による)。付表はH04とM11(攻撃の検知)に引用する。
#   layer: 物理層
#   resource_types: [monitoring.alarm, cloud.account]
#   remediation:
#     ja: "CPU使用率・エラー率・容量などの主要なメトリクスにアラームを設定して有効にし、運用担当者に届く通知先(SNSトピック/アクショングループ/通知チャネル)を指定する。"
#     en: "Create and enable alarms on key metrics (CPU, errors, capacity) with a notification target (SNS topic, action group, notification channel) that reaches the operators."
package genmei.checks.monitoring.alarm_notifications

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains alarm_verdict(r) if {
	some r in lib.resources(metadata)
	r.type == "monitoring.alarm"
}

results contains account_verdict(r) if {
	some r in lib.resources(metadata)
	r.type == "cloud.account"
}

alarm_verdict(r) := lib.combined_result(r, problems, unknowns, [
	sprintf("enabled, notifies %d target(s)", [count(object.get(r.attrs, "notification_targets", []))]),
	sprintf("有効で、%d件の通知先に通知する", [count(object.get(r.attrs, "notification_targets", []))]),
]) if {
	problems := {p |
		some p in [
			["disabled: it notifies no one", "無効化されており、誰にも通知しない"],
			["no notification target", "通知先が設定されていない"],
		]
		proven(r, p[0])
	}
	unknowns := lib.undetermined_paths(r, {["attrs", "enabled"], ["attrs", "notification_targets"]})
}

proven(r, "disabled: it notifies no one") if r.attrs.enabled == false

proven(r, "no notification target") if count(r.attrs.notification_targets) == 0

# An account with no alarm at all monitors nothing: a failure, not "not applicable". An
# account whose alarm count is unknown (a region's list failed, an import that does not
# hold alarms) is not evaluated, with the collector's reason.
account_verdict(r) := lib.not_evaluated(r, ["attrs", "metric_alarms"]) if {
	lib.undetermined(r, ["attrs", "metric_alarms"])
} else := lib.fail(r, "no metric alarm in the account", "アカウントにメトリクスのアラームが一つもない", {"attrs.metric_alarms": 0}) if {
	r.attrs.metric_alarms == 0
} else := lib.pass(
	r,
	sprintf("%d metric alarm(s) in the account", [r.attrs.metric_alarms]),
	sprintf("アカウントにメトリクスのアラームが%d件ある", [r.attrs.metric_alarms]),
	{"attrs.metric_alarms": r.attrs.metric_alarms},
) if {
	r.attrs.metric_alarms > 0
}
