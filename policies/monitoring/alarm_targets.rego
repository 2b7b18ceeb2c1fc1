# METADATA
# title: メトリクスのアラームが誰にも通知されない
# description: >-
#   メトリクスのアラーム(CloudWatchアラーム、Azure Monitorのメトリックアラートルール、Cloud Monitoringの
#   アラートポリシー)ごとに、有効で、発報時の通知先(SNSトピック、アクショングループ、通知チャネル)を
#   持つことを確認する。適切な時点で問題を知らせる探知のための管理策に対応する。スケーリングだけ、
#   またはEC2の復旧・再起動・停止だけを行うアラームは通知のためのものではなく、判定しない。
# scope: package
# custom:
#   id: GM-MON-002
#   title_en: A metric alarm notifies no one
#   description_en: >-
#     Checks, for each metric alarm (CloudWatch alarm, Azure Monitor metric alert rule, Cloud
#     Monitoring alert policy), that it is enabled and notifies someone when it fires (SNS
#     topics, action groups, notification channels). Alarms whose only actions scale a group or
#     recover, reboot or stop an EC2 instance are not meant to tell anyone and are not judged.
#   severity: medium
#   criteria: ["6.3.1.3"]
#   risks: [H04, M11]
#   rationale:
#     "6.3.1.3": 項目は適切な時点で問題を知らせる探知のための管理策を求め、通知先を持つ有効なアラームは問題を検知した時点で担当者に知らせる仕組みであり、無効なアラームや通知先のないアラームは問題を検知しても誰にも知らせない(通知を受けた後の対応は事業者の証明による)。付表はH04とM11(攻撃の検知)に引用する。
#   layer: 物理層
#   resource_types: [monitoring.alarm]
#   remediation:
#     ja: "アラームを有効にし、運用担当者に届く通知先(SNSトピック/アクショングループ/通知チャネル)を指定する。"
#     en: "Enable the alarm and give it a notification target (SNS topic, action group, notification channel) that reaches the operators."
package genmei.checks.monitoring.alarm_targets

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains alarm_verdict(r) if some r in lib.resources(metadata)

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
