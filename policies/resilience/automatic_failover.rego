# METADATA
# title: 障害時に代替設備へ自動で切り替わらない(フェイルオーバー・自動修復がない)
# description: >-
#   データベースに自動フェイルオーバーするスタンバイがあること、インスタンスグループ
#   (オートスケーリンググループ・スケールセット・マネージドインスタンスグループ)が
#   ヘルスチェックで異常と判定したインスタンスを自動で置き換えることを確認する。
#   一部の情報処理設備の機能の喪失時に代替の設備へ速やかに切り替えることを求める管理基準に対応する。
# scope: package
# custom:
#   id: GM-RES-001
#   title_en: No automatic failover or repair (a failed facility is not replaced)
#   description_en: >-
#     Checks that databases have a standby that takes over automatically (Multi-AZ, built-in or
#     flexible-server high availability, Cloud SQL REGIONAL) and that instance groups (auto
#     scaling groups, scale sets, managed instance groups) replace the instances their health
#     check finds unhealthy.
#   severity: medium
#   criteria: ["C.1.1.3"]
#   risks: [H01]
#   rationale:
#     "C.1.1.3": 項目は情報処理設備の機能の喪失時に代替の設備へ速やかに切り替える(フェイルオーバーなど)ことを求め、データベースの自動フェイルオーバーとインスタンスグループのヘルスチェックによる自動置換はその切替えの仕組みが構成されていることの確認である(ライブマイグレーションなど基盤側の切替えはクラウド基盤事業者の証明による)。H01 サービス管理系の「障害発生時には速やかに冗長系に切替える」対策として引用される。L18 は法執行対象データの媒体の文脈で引用するため対象外。
#   layer: サービス管理系
#   resource_types: [db.instance, compute.instance_group]
#   remediation:
#     ja: "データベースをMulti-AZ / 高可用性(ゾーン冗長)/ リージョナル構成にする。インスタンスグループはロードバランサのヘルスチェックで置換する(AWS: ヘルスチェックタイプELB、Azure: 自動インスタンス修復、GCP: 自動修復ポリシー)。"
#     en: "Run databases Multi-AZ / high-availability / regional; have instance groups replace instances on a load-balancer health check (AWS health check type ELB, Azure automatic instance repairs, GCP autohealing policy)."
package genmei.checks.resilience.automatic_failover

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.bool_result(
	r, ["attrs", "automatic_failover"], true,
	["a standby takes over automatically", "no standby takes over automatically when the instance fails"],
	["障害時に自動で引き継ぐスタンバイがある", "障害時に自動で引き継ぐスタンバイがない"],
) if {
	r.type == "db.instance"
} else := lib.bool_result(
	r, ["attrs", "auto_repair"], true,
	["instances found unhealthy by the health check are replaced automatically", "instances found unhealthy are not replaced automatically"],
	["ヘルスチェックで異常と判定したインスタンスを自動で置き換える", "異常なインスタンスを自動で置き換えない"],
)
