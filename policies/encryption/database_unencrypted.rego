# METADATA
# title: データベースのストレージが暗号化されていない
# description: >-
#   マネージドデータベース(RDS、Azure SQL の TDE、Cloud SQL など)の保存領域が暗号化されて
#   いることを確認する。暗号化されていない媒体は、事業者内部の特権の悪用や媒体の持ち出しに
#   よって利用者の情報が読み取られるおそれがある。
# scope: package
# custom:
#   id: GM-ENC-002
#   title_en: Database storage not encrypted at rest
#   description_en: >-
#     Checks that managed databases (RDS, Azure SQL TDE, Cloud SQL) encrypt their storage
#     at rest, so privileged insiders or media leaving the data centre cannot read data.
#   severity: high
#   criteria: ["6.8.1.8"]
#   risks: [M07]
#   rationale:
#     "6.8.1.8": 項目は暗号技術の利用を求め、付表はM07 抽象化層/リソース層(暗号化されたデータが意図せず復号されないこと)にこの項目を引用する。データベースの保存時暗号化はその確認である。付表はM09にもこの項目を引用するが、それは通信経路の暗号化(抽象化層/機能層)の文脈であり、保存時の暗号化はM09の判断に用いない。
#   layer: 抽象化層/リソース層
#   resource_types: [db.instance]
#   remediation:
#     ja: "暗号化を有効にしたインスタンスをスナップショットから作り直す(RDS)、TDEを有効にする(Azure SQL)。機密データには利用者管理鍵を用いる。"
#     en: "Re-create the instance encrypted from a snapshot (RDS) or turn on TDE (Azure SQL); use customer-managed keys for sensitive data."
package genmei.checks.encryption.database_unencrypted

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "storage_encrypted"], true, ["storage encrypted at rest", "storage not encrypted at rest"], ["ストレージは保存時に暗号化されている", "ストレージが保存時に暗号化されていない"]) if {
	some r in lib.resources(metadata)
}
