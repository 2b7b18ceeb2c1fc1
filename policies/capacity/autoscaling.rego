# METADATA
# title: インスタンスグループが需要に応じて自動でスケールしない
# description: >-
#   オートスケーリンググループ、仮想マシンスケールセット、マネージドインスタンスグループに、需要に応じて台数を
#   増減させるスケーリングポリシー(自動スケール設定、オートスケーラ)があり、最大台数が最小台数を上回って増強の
#   余地があることを確認する。判断を動かさない補助証跡として、リソースの枯渇とDoS攻撃のリスクに示す。
# scope: package
# custom:
#   id: GM-CAP-001
#   title_en: Instance group does not scale automatically within set limits
#   description_en: >-
#     Checks that auto scaling groups, VM scale sets and managed instance groups have a scaling
#     policy (autoscale setting, autoscaler) that follows demand, and a maximum size above the
#     minimum, so capacity can grow within the limits set for the workload.
#   severity: medium
#   criteria: []
#   risks: [H04, M11]
#   rationale:
#     supporting: 付表がH04とM11に引用する項目のうち、6.3.1.9は物理資源を共有する論理資源について利用者ごとに使用の最大値・最低値を定めて制限することを、6.3.1.11は容量及び能力が設計時の想定を超えた場合の対応手順を作成することを求める。台数が固定のグループやスケーリングポリシーのないグループは、利用者ごとの制限がないことも手順書がないことも示さないため、いずれの項目の不備ともせず、判断を動かさない補助証跡としてH04とM11に示す。
#   layer: 抽象化層/機能層
#   resource_types: [compute.instance_group]
#   remediation:
#     ja: "スケーリングポリシー(ターゲット追跡など)/自動スケール設定/オートスケーラを設定し、最大台数を最小台数より大きく、設計上の上限に合わせて設定する。"
#     en: "Attach a scaling policy (target tracking or similar), an autoscale setting or an autoscaler, with a maximum size above the minimum and at the designed ceiling."
package genmei.checks.capacity.autoscaling

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.no_instance_result(r) if {
	lib.runs_no_instance(r)
} else := lib.not_evaluated(r, ["attrs", "autoscaling"]) if {
	lib.undetermined(r, ["attrs", "autoscaling"])
} else := lib.fail(
	r,
	"no scaling policy: capacity stays fixed whatever the demand",
	"スケーリングポリシーがなく、需要が増えても台数が固定のまま",
	{"attrs.autoscaling": false, "max_size": object.get(r.attrs, "max_size", null)},
) if {
	r.attrs.autoscaling == false
} else := scaling_verdict(r) if {
	r.attrs.autoscaling == true
}

# A group that scales: within which limits.
scaling_verdict(r) := lib.not_evaluated(r, path) if {
	path := missing_limits(r)[0]
} else := lib.fail(
	r,
	sprintf("the maximum size (%d) does not exceed the minimum (%d): the policy cannot add capacity", [r.attrs.max_size, r.attrs.min_size]),
	sprintf("最大台数(%d)が最小台数(%d)を上回らず、スケーリングポリシーがあっても増強できない", [r.attrs.max_size, r.attrs.min_size]),
	evidence(r),
) if {
	r.attrs.max_size <= r.attrs.min_size
} else := lib.pass(
	r,
	sprintf("scales automatically between %d and %d instances", [r.attrs.min_size, r.attrs.max_size]),
	sprintf("需要に応じて%d台から%d台の間で自動的に増減する", [r.attrs.min_size, r.attrs.max_size]),
	evidence(r),
)

evidence(r) := {
	"min_size": r.attrs.min_size,
	"max_size": r.attrs.max_size,
	"scaling_policies": object.get(r.attrs, "scaling_policies", []),
}

missing_limits(r) := [p | some p in [["attrs", "min_size"], ["attrs", "max_size"]]; lib.undetermined(r, p)]
