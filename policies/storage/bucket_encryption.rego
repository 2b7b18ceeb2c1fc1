# METADATA
# title: オブジェクトストレージに既定の暗号化が設定されていない
# description: >-
#   バケット・ストレージアカウントに保存時の既定の暗号化が設定されていることを確認する。
# scope: package
# custom:
#   id: GM-STO-001
#   title_en: Object storage without default encryption at rest
#   description_en: >-
#     Checks that buckets and storage accounts encrypt new objects at rest by default.
#   severity: medium
#   criteria: ["6.8.1.8"]
#   risks: [M07]
#   rationale:
#     "6.8.1.8": 項目は暗号技術の利用を求め、付表はM07 抽象化層/リソース層(暗号化されたデータが意図せず復号されないこと)にこの項目を引用する。オブジェクトストレージの既定の保存時暗号化はその確認である。付表はM09にもこの項目を引用するが、それは通信経路の暗号化(抽象化層/機能層)の文脈であり、保存時の暗号化はM09の判断に用いない。
#   layer: 抽象化層/リソース層
#   resource_types: [storage.bucket]
#   remediation:
#     ja: バケットの既定の暗号化(SSE-S3/SSE-KMS、Azure Storageの暗号化、GCSのCMEK)を有効にする。機密データには利用者管理鍵を用いる。
#     en: Turn on default bucket encryption (SSE-S3/SSE-KMS, Azure Storage encryption, GCS CMEK); use customer-managed keys for sensitive data.
package genmei.checks.storage.bucket_encryption

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "default_encryption"], true, ["default encryption at rest is on", "no default encryption at rest"], ["既定の保存時暗号化が有効", "既定の保存時暗号化が設定されていない"]) if {
	some r in lib.resources(metadata)
}
