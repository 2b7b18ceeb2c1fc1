# METADATA
# title: データベースが障害時に代替設備へ自動で切り替わらない(自動フェイルオーバーがない)
# description: >-
#   データベースに自動フェイルオーバーするスタンバイがあることを確認する。
#   一部の情報処理設備の機能の喪失時に代替の設備へ速やかに切り替えることを求める管理基準に対応する。
#   インスタンスグループは対象外: 物理サーバの障害時にはどのクラウドのグループも
#   インスタンスを置き換える(AWSのEC2ステータスチェック、Azureのサービス復旧、GCPの
#   マネージドインスタンスグループの再作成)ため、構成によって×になることがない。
# scope: package
# custom:
#   id: GM-RES-001
#   title_en: No automatic failover (a failed database is not replaced by a standby)
#   description_en: >-
#     Checks that databases have a standby that takes over automatically (Multi-AZ, built-in or
#     flexible-server high availability, Cloud SQL REGIONAL) and that instance groups (auto
#     scaling groups, scale sets, managed instance groups) replace the instances their health
#     check finds unhealthy.
#   severity: medium
#   criteria: ["C.1.1.3"]
#   risks: [H01]
#   rationale:
#     "C.1.1.3": 項目は情報処理設備の機能の喪失時に代替の設備へ速やかに切り替える(フェイルオーバーなど)ことを求め、データベースの自動フェイルオーバーはその切替えの仕組みが構成されていることの確認である(ライブマイグレーションなど基盤側の切替えはクラウド基盤事業者の証明による)。H01 サービス管理系の「障害発生時には速やかに冗長系に切替える」対策として引用される。L18 は法執行対象データの媒体の文脈で引用するため対象外。
#   layer: サービス管理系
#   resource_types: [db.instance]
#   remediation:
#     ja: "データベースをMulti-AZ / 高可用性(ゾーン冗長)/ リージョナル構成にする。"
#     en: "Run databases Multi-AZ / high-availability / regional."
package genmei.checks.resilience.automatic_failover

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.bool_result(
	r, ["attrs", "automatic_failover"], true,
	["a standby takes over automatically", "no standby takes over automatically when the instance fails"],
	["障害時に自動で引き継ぐスタンバイがある", "障害時に自動で引き継ぐスタンバイがない"],
)
