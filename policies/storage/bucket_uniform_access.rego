# METADATA
# title: バケットの均一なバケットレベルアクセスが無効になっている
# description: >-
#   Cloud Storageバケットで均一なバケットレベルアクセスが無効な(オブジェクト単位のACLが有効な)
#   ものを検出する。オブジェクトACLはIAMポリシーの外でアクセスを許可でき、バケット単位の
#   点検では公開範囲を確定できないため、アクセス制御方針に基づく一元的な制御が損なわれる。
# scope: package
# custom:
#   id: GM-GCP-003
#   title_en: Uniform bucket-level access off on a bucket (GCP)
#   description_en: >-
#     Finds Cloud Storage buckets without uniform bucket-level access, where per-object
#     ACLs can grant access outside the IAM policy and no bucket-level review can bound
#     who may read the data.
#   severity: medium
#   criteria: ["6.6.1.10"]
#   risks: [H05]
#   rationale:
#     "6.6.1.10": 項目はアクセス制御方針に基づくアクセス制御を求め、均一なバケットレベルアクセスはオブジェクト単位のACLによる方針外の許可をなくし、H05 抽象化層/リソース層(論理資源へのアクセス制御)を一元的に確認できる状態にする。H03は特定の利用者に割り当てたアドレスからの送信(発信規制)の文脈で引用するため、受信の規制であるこのチェックはH03の判断に用いない。
#   layer: 抽象化層/リソース層
#   resource_types: [storage.bucket]
#   providers: [gcp]
#   remediation:
#     ja: バケットの均一なバケットレベルアクセスを有効にし(必要なアクセスはIAMで付与し直す)、組織ポリシー storage.uniformBucketLevelAccess を適用する。
#     en: Turn on uniform bucket-level access (re-granting needed access through IAM) and enforce the organisation policy constraint storage.uniformBucketLevelAccess.
package genmei.checks.storage.bucket_uniform_access

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "uniform_access"], true, ["uniform bucket-level access is on", "object ACLs are in force"], ["均一なバケットレベルアクセスが有効", "オブジェクト単位のACLが有効"]) if {
	some r in lib.resources(metadata)
}
