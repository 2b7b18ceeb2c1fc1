# METADATA
# title: サービスクォータの使用量を監視するアラームがない
# description: >-
#   リージョン(Azure: サブスクリプション、GCP: プロジェクト)ごとに、クラウドのサービスクォータ(割り当てられた
#   容量の上限)に対する使用量を監視し、通知先を持つ有効なアラームがあることを確認する(AWS: AWS/Usage
#   名前空間のメトリクス又はSERVICE_QUOTA関数を使うCloudWatchアラーム、GCP: serviceruntime.googleapis.com/quota
#   のメトリクスを条件とするアラートポリシー)。主要なシステム資源の使用を監視し、容量・能力の限界値を
#   把握するための管理基準に対応する。
# scope: package
# custom:
#   id: GM-CAP-002
#   title_en: No alarm watches service-quota usage
#   description_en: >-
#     Checks that each region (Azure: subscription; GCP: project) has an enabled alarm that
#     watches usage against the cloud's service quotas (the limits of the capacity allotted)
#     and notifies someone: on AWS a CloudWatch alarm on an AWS/Usage metric or a metric math
#     expression using SERVICE_QUOTA; on GCP an alert policy on a
#     serviceruntime.googleapis.com/quota metric.
#   severity: medium
#   criteria: ["6.3.1.6"]
#   risks: [H04]
#   rationale:
#     "6.3.1.6": 項目は主要なシステム資源の使用を監視し、全体の容量・能力の限界値を把握することを求め、サービスクォータ(クラウドが割り当てる容量の上限)に対する使用量を監視して通知するアラームは、上限に近づいたことを知る仕組みの構成上の証跡である(利用者ごとに割り当てる容量の限界値の把握と、入手に時間のかかる資源の特定は事業者の証明による)。付表はH04(リソースの枯渇)の物理層とH02のサービス管理系に引用し、H02の対策(物理リソースと仮想リソースの対応関係の把握)はクォータの監視だけでは示せないため、このチェックはH04にのみ数える。
#   layer: 物理層
#   resource_types: [cloud.region]
#   remediation:
#     ja: "主要なサービスクォータ(vCPU数、IPアドレス、API呼び出し数など)の使用率にアラームを設定し、運用担当者に届く通知先を指定する(AWS: Service QuotasのコンソールからCloudWatchアラームを作成、GCP: クォータのメトリクスにアラートポリシーを作成)。"
#     en: "Alarm on the usage of key service quotas (vCPUs, IP addresses, API call rates) with a notification target that reaches the operators (AWS: create a CloudWatch alarm from the Service Quotas console; GCP: an alert policy on the quota metrics)."
package genmei.checks.capacity.quota_monitoring

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

# A region (Azure: subscription, GCP: project) where no workload runs draws on no quota
# whose exhaustion could stop the service: no verdict, unless its workloads were not read
# (a gap over one of their types). `hosts_workloads` is joined by the engine over the whole
# snapshot (engine/snapshot.py, with params quota_workload_types), never here; a region
# without the field is judged.
verdict(r) := {"resource": r.id, "status": "NOT_APPLICABLE", "reason": "no workload here: no quota to exhaust", "reason_ja": "稼働するワークロードがなく、使い切るクォータがない"} if {
	r.hosts_workloads == false
	count(gapped(r)) == 0
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("the workloads of this scope were not collected (gap in %s), so whether any draws on a quota is unknown", [gapped(r)[0].scope]),
	"reason_ja": "ワークロードを収集できず、クォータを使うワークロードの有無が分からない",
	"evidence": {"gap": gapped(r)[0].scope},
} if {
	r.hosts_workloads == false
} else := lib.not_evaluated(r, ["attrs", "quota_alarms"]) if {
	lib.undetermined(r, ["attrs", "quota_alarms"])
} else := lib.fail(
	r,
	"no enabled alarm that notifies anyone watches service-quota usage",
	"サービスクォータの使用量を監視して通知する有効なアラームがない",
	{"attrs.quota_alarms": []},
) if {
	is_array(r.attrs.quota_alarms)
	count(r.attrs.quota_alarms) == 0
} else := lib.pass(
	r,
	sprintf("%d alarm(s) watch service-quota usage and notify: %s", [count(r.attrs.quota_alarms), concat(", ", r.attrs.quota_alarms)]),
	sprintf("サービスクォータの使用量を監視して通知するアラームが%d件ある", [count(r.attrs.quota_alarms)]),
	{"attrs.quota_alarms": r.attrs.quota_alarms},
) if {
	is_array(r.attrs.quota_alarms)
}

gapped(r) := lib.scope_gaps(r, lib.params.quota_workload_types)
