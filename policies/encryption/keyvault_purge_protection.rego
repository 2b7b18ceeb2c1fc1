# METADATA
# title: Key Vaultの論理削除または消去保護が無効になっている
# description: >-
#   Azure Key Vaultで論理削除(soft delete)と消去保護(purge protection)が有効であることを
#   確認する。無効な場合、誤操作や特権の悪用によって鍵が即時かつ回復不能に削除され、
#   その鍵で暗号化されたデータも読めなくなる。暗号かぎを改変、紛失及び破壊から保護する
#   管理基準に対応する(L16: 基本言明の対象外)。
# scope: package
# custom:
#   id: GM-AZ-001
#   title_en: Key Vault without soft delete or purge protection (Azure)
#   description_en: >-
#     Checks that Azure Key Vaults have soft delete and purge protection on, so that no
#     mistake or misuse of privileges can destroy keys at once and for good (and with
#     them the data they encrypt). Protecting keys against loss and destruction; L16,
#     outside the basic statement.
#   severity: medium
#   criteria: ["8.3.2.1"]
#   risks: [L16]
#   rationale:
#     "8.3.2.1": 項目はすべての暗号かぎを改変・紛失・破壊から保護することを求め、論理削除と消去保護はかぎの誤削除・悪意による破壊を防ぐ仕組みの確認である。付表はL16にのみ引用する。
#   layer: サービス管理系
#   resource_types: [kms.vault]
#   providers: [azure]
#   remediation:
#     ja: "Key Vaultの消去保護を有効にする(az keyvault update --enable-purge-protection true)。論理削除が無効な古いコンテナーは有効にし、保持期間を90日にする。"
#     en: "Turn on purge protection (az keyvault update --enable-purge-protection true); turn on soft delete on older vaults that lack it, with 90 days' retention."
package genmei.checks.encryption.keyvault_purge_protection

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.combined_result(r, problems, unknowns, ["soft delete and purge protection are on", "論理削除と消去保護が有効"]) if {
	some r in lib.resources(metadata)
	problems := lib.proven_problems(r, rules)
	unknowns := lib.undetermined_paths(r, {path | some [path, _, _, _] in rules})
}

rules := [
	[["attrs", "soft_delete_enabled"], false, "soft delete is off: deleted keys are gone at once", "論理削除が無効で、削除した鍵は直ちに失われる"],
	[["attrs", "purge_protection_enabled"], false, "purge protection is off: deleted keys can be purged before the retention period ends", "消去保護が無効で、削除した鍵を保持期間の終了前に完全に消去できる"],
]
