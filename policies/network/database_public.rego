# METADATA
# title: データベースがインターネットから到達可能になっている
# description: >-
#   マネージドデータベースにパブリックなエンドポイントやアドレスが付与されていないことを確認する。
# scope: package
# custom:
#   id: GM-DB-001
#   title_en: Database reachable from the internet
#   description_en: >-
#     Checks that managed databases have no public endpoint or address.
#   severity: high
#   criteria: ["6.6.1.10"]
#   risks: [H05]
#   layer: 抽象化層/リソース層
#   resource_types: [db.instance]
#   remediation:
#     ja: "データベースのパブリックアクセスを無効にし、プライベートサブネット/プライベートエンドポイント経由でのみ接続する。"
#     en: "Turn off public accessibility and connect through private subnets or private endpoints only."
package genmei.checks.network.database_public

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "public"], false, ["not reachable from the internet", "reachable from the internet"]) if {
	some r in lib.resources(metadata)
}
