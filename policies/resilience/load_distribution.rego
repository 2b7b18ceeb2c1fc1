# METADATA
# title: ロードバランサ配下のインスタンスグループが冗長化されていない
# description: >-
#   ロードバランサ(ターゲットグループ、バックエンドプール、バックエンドサービス、ターゲットプール)の配下で
#   要求を受けるオートスケーリンググループ、仮想マシンスケールセット、マネージドインスタンスグループが、
#   最小台数でも所定の台数以上(既定2台)のインスタンスに負荷を分散していることを確認する。一部の設備の過負荷が
#   サービスを停止させないよう、設備を冗長化し負荷を分散することを求める管理基準に対応する。ロードバランサの
#   配下にないグループは、キューから処理を受けるワーカーなど別の方法で負荷を分散しうるため判定しない(未評価)。
# scope: package
# custom:
#   id: GM-RES-003
#   title_en: Load-balanced instance group is not redundant
#   description_en: >-
#     Checks that auto scaling groups, VM scale sets and managed instance groups that receive
#     requests through a load balancer (target group, backend pool, backend service, target
#     pool) keep at least the set number of instances (2 by default) even at their minimum
#     size, so no single instance carries the whole load. A group behind no load balancer is
#     NOT_EVALUATED: it may spread its load otherwise (workers fed by a queue). Autoscaling is
#     not required here (GM-CAP-001 judges it): the item asks for redundancy and distribution.
#   severity: medium
#   criteria: ["C.1.1.7"]
#   risks: [M11]
#   rationale:
#     "C.1.1.7": 項目は一部の情報処理設備の過負荷がサービスを停止させないよう情報処理設備を冗長化し負荷を分散することを求め、インスタンスグループがロードバランサの配下で要求を受けるグループが最小台数でも複数台を保つことは、利用者向けの処理設備が冗長で負荷が分散される構成の確認である(ロードバランサの配下にないグループの負荷分散、物理サーバ・ネットワーク機器・回線の冗長化と容量設計はクラウド基盤事業者及び事業者の証明による)。付表はM11(DDoS/DoS攻撃)に引用する。
#   layer: 抽象化層/リソース層
#   resource_types: [compute.instance_group]
#   remediation:
#     ja: "インスタンスグループをロードバランサのターゲットグループ/バックエンドプール/バックエンドサービスに登録し、最小台数を2台以上(params.yaml の min_load_balanced_instances 以上)にする。"
#     en: "Register the group with a load balancer's target group, backend pool or backend service, and set its minimum size to at least min_load_balanced_instances (params.yaml, 2 by default)."
package genmei.checks.resilience.load_distribution

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.no_instance_result(r) if {
	lib.runs_no_instance(r)
} else := lib.not_evaluated(r, ["attrs", "load_balancers"]) if {
	lib.undetermined(r, ["attrs", "load_balancers"])
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": "no load balancer serves the group: whether it spreads its load otherwise (workers fed by a queue) is not shown by its configuration",
	"reason_ja": "ロードバランサの配下になく、キューから処理を受けるワーカーなど別の方法で負荷を分散しているかは構成からは分からない",
	"evidence": {"load_balancers": []},
} if {
	count(r.attrs.load_balancers) == 0
} else := lib.not_evaluated(r, ["attrs", "min_size"]) if {
	lib.undetermined(r, ["attrs", "min_size"])
} else := lib.fail(
	r,
	sprintf("behind a load balancer, but the group may shrink to %d instance(s), fewer than %d: not redundant", [r.attrs.min_size, floor_needed]),
	sprintf("ロードバランサの配下にあるが、最小台数が%d台で%d台を下回り、冗長化されていない", [r.attrs.min_size, floor_needed]),
	evidence(r),
) if {
	r.attrs.min_size < floor_needed
} else := lib.pass(
	r,
	sprintf("a load balancer spreads requests over at least %d instances", [r.attrs.min_size]),
	sprintf("ロードバランサが最小でも%d台のインスタンスに要求を分散する", [r.attrs.min_size]),
	evidence(r),
)

floor_needed := lib.params.min_load_balanced_instances

evidence(r) := {"load_balancers": r.attrs.load_balancers, "min_size": r.attrs.min_size, "min_load_balanced_instances": floor_needed}
