# METADATA
# title: ストレージアカウントのインフラストラクチャ暗号化(二重暗号化)が無効になっている
# description: >-
#   Azureストレージアカウントで、サービスレベルの暗号化に加えてインフラストラクチャレベルの
#   暗号化(別の鍵と別のアルゴリズム実装による二重暗号化)が有効であることを確認する。
#   一方の暗号化の鍵やアルゴリズムが危殆化しても保存データが読めないようにする。
#   作成時にしか設定できない。
# scope: package
# custom:
#   id: GM-AZ-002
#   title_en: Storage account without infrastructure (double) encryption (Azure)
#   description_en: >-
#     Checks that Azure storage accounts add infrastructure-level encryption (a second
#     layer with a different key and implementation) to service-level encryption, so
#     that a compromise of one layer's key or algorithm does not expose data at rest.
#     It can only be set when the account is created.
#   severity: low
#   criteria: []
#   risks: [M07]
#   rationale:
#     supporting: インフラストラクチャ暗号化(二重暗号化)はサービスレベルの暗号化(Azure Storageでは常に有効)に重ねる任意の多層防御であり、6.8.1.8が求める暗号技術の利用もM07の水準(暗号化されたデータが意図せず復号されないこと)もそれなしで満たされる。無効でも項目は不充足にならないため、判断を動かさない補助証跡としてM07に示す。
#   layer: 抽象化層/リソース層
#   resource_types: [storage.bucket]
#   providers: [azure]
#   remediation:
#     ja: "機密データ用のストレージアカウントは requireInfrastructureEncryption=true で作成し直し、データを移行する(既存アカウントでは変更できない)。Azure Policy で新規作成時に必須にする。"
#     en: "Re-create storage accounts for sensitive data with requireInfrastructureEncryption=true and migrate the data (it cannot be changed later); require it for new accounts with Azure Policy."
package genmei.checks.storage.storage_infrastructure_encryption

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "infrastructure_encryption"], true, ["infrastructure encryption is on", "only service-level encryption protects data at rest"], ["インフラストラクチャ暗号化が有効", "保存データはサービスレベルの暗号化だけで保護されている"]) if {
	some r in lib.resources(metadata)
}
