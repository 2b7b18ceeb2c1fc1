# METADATA
# title: データベースの自動バックアップが無効、または保持期間が短い
# description: >-
#   マネージドデータベースの自動バックアップが有効で、保持期間が基準(既定7日)以上であることを確認する。
#   バックアップの範囲及び頻度を事業継続上の重要度に応じて定める管理基準に対応する。
# scope: package
# custom:
#   id: GM-BAK-001
#   title_en: Database backups off or kept too briefly
#   description_en: >-
#     Checks that managed databases keep automated backups for at least the configured
#     number of days (7 by default).
#   severity: medium
#   criteria: ["6.5.1.6"]
#   risks: [H03]
#   rationale:
#     "6.5.1.6": 項目はバックアップの範囲と頻度を業務上の要求事項に基づいて決めることを求め、自動バックアップが有効で保持期間が基準以上であることは構成で確認できる部分である(基準日数はgenmeiのパラメータで、要求事項の根拠は事業者の証明による)。付表はH03 サービス管理系にのみ引用する。
#   layer: サービス管理系
#   resource_types: [db.instance]
#   remediation:
#     ja: "自動バックアップを有効にし、保持期間を業務要件(最低7日)以上にする。重要なデータは別アカウント・別リージョンへのコピーも行う。"
#     en: "Turn on automated backups with retention of at least 7 days (or your requirement); copy critical backups to another account and region."
package genmei.checks.resilience.backup_retention

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

minimum := lib.params.min_backup_retention_days

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "backup_retention_days"]) if {
	lib.undetermined(r, ["attrs", "backup_retention_days"])
} else := days_verdict(r, r.attrs.backup_retention_days) if {
	is_number(r.attrs.backup_retention_days)
}

days_verdict(r, days) := lib.pass(
	r,
	sprintf("backups kept %d days", [days]),
	sprintf("バックアップを%d日間保持している", [days]),
	{"backup_retention_days": days},
) if {
	days >= minimum
} else := lib.fail(
	r,
	sprintf("backups kept %d days; at least %d required", [days, minimum]),
	sprintf("バックアップの保持期間が%d日で、%d日以上が必要", [days, minimum]),
	{"backup_retention_days": days},
)
