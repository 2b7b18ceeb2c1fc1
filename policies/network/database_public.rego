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
#   rationale:
#     "6.6.1.10": 項目はアクセス制御方針に基づくすべてのネットワークインタフェースでのアクセス制御を求め、データベースにインターネットから到達できないことはH05 抽象化層/リソース層(論理資源へのアクセス制御)の受信側の確認である。H03は特定の利用者に割り当てたアドレスからの送信(発信規制)の文脈で引用するため、受信の規制であるこのチェックはH03の判断に用いない。M09・L17の論理ネットワーク(ファイアウォール)のアクセス制御はGM-NET-001が確認する。
#   layer: 抽象化層/リソース層
#   resource_types: [db.instance]
#   remediation:
#     ja: "データベースのパブリックアクセスを無効にし、プライベートサブネット/プライベートエンドポイント経由でのみ接続する。"
#     en: "Turn off public accessibility and connect through private subnets or private endpoints only."
package genmei.checks.network.database_public

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "public"], false, ["not reachable from the internet", "reachable from the internet"], ["インターネットから到達できない", "インターネットから到達できる"]) if {
	some r in lib.resources(metadata)
}
