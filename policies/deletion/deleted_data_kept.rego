# METADATA
# title: 削除したデータが期限なく復元可能なまま残る(旧バージョン・論理削除の保持期間)
# description: >-
#   オブジェクトストレージで削除・上書きしたデータ(旧バージョン、論理削除されたオブジェクト)が
#   期限なく残らないことを確認する。バージョニングが有効なバケットには旧バージョンを
#   基準日数(既定365日)以内に削除するライフサイクルルールがあり、論理削除の保持期間も
#   基準日数以内であること。媒体の廃棄等において復元できないように情報の消去を確実にする
#   仕組みを求める管理基準の、利用者の構成で確認できる部分に対応する。
# scope: package
# custom:
#   id: GM-DEL-001
#   title_en: Deleted data stays recoverable without limit (previous versions, soft delete)
#   description_en: >-
#     Checks that data deleted or overwritten in object storage (previous versions,
#     soft-deleted objects) does not stay recoverable without limit: a versioned bucket has
#     a lifecycle rule over the whole bucket that deletes previous versions within the
#     configured number of days (365 by default), and soft delete keeps objects no longer.
#   severity: low
#   criteria: ["6.7.2.3"]
#   risks: [M10]
#   rationale:
#     "6.7.2.3": 項目は媒体の廃棄等において復元できないように情報の消去を確実にする仕組みを求め、削除・上書きしたデータ(旧バージョン・論理削除)が基準日数以内に消去される構成であることは、利用者が削除したデータを確実に消去する仕組みのうち構成で確認できる部分である(物理媒体の消去はクラウド基盤事業者の証明、消去手順は事業者の証明による)。M10 サービス管理系の対策の要点「データの削除は、そのデータの記憶域に、乱数などの無意味な記録を上書きし、データの痕跡を消去する」の項目として引用され、想定される脅威「削除データの復旧」「バックアップデータの放置」に対応する。期限内の消去は残留リスク「バックアップのサイクル期間中のデータの残留」を基準日数の範囲に限るもので、その期間中の残留をなくすものではない。
#   layer: サービス管理系
#   resource_types: [storage.bucket]
#   remediation:
#     ja: "バージョニングを有効にしたバケットには、旧バージョン(非現行バージョン)を基準日数以内に削除するライフサイクルルールをバケット全体に設定する。論理削除の保持期間を基準日数以内にする。"
#     en: "Give every versioned bucket a lifecycle rule over the whole bucket that deletes previous (noncurrent) versions within the allowed days; keep soft-delete retention within them."
package genmei.checks.deletion.deleted_data_kept

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

limit := lib.params.max_deleted_data_days

results contains lib.combined_result(r, problems(r), unknowns(r), pass_reasons(r)) if {
	some r in lib.resources(metadata)
}

# An unversioned bucket keeps no previous version to erase: its PASS says only that (and
# the soft delete period, where one is read), not that deleted data is erased.
pass_reasons(r) := [
	"versioning is off: no previous versions are kept",
	"バージョニングが無効で旧バージョンは残らない",
] if {
	r.attrs.versioning == false
	not r.attrs.soft_delete_days
} else := [
	sprintf("versioning is off: no previous versions are kept; soft-deleted data is erased within %d days", [limit]),
	sprintf("バージョニングが無効で旧バージョンは残らず、論理削除したデータは%d日以内に消去される", [limit]),
] if {
	r.attrs.versioning == false
} else := [
	sprintf("deleted data is erased within %d days", [limit]),
	sprintf("削除したデータは%d日以内に消去される", [limit]),
]

# Proven problems: previous versions kept without limit, or longer than the limit; soft
# delete longer than the limit.
problems(r) := {p |
	some p in [
		[
			"previous versions are kept without limit (versioning on, no lifecycle rule deletes them)",
			"バージョニングが有効で、旧バージョンを削除するライフサイクルルールがなく期限なく残る",
		] |
		r.attrs.versioning == true
		r.attrs.versions_expire == false
	]
} | {p |
	some p in [
		[
			sprintf("previous versions are deleted after %d days; at most %d allowed", [r.attrs.noncurrent_expiry_days, limit]),
			sprintf("旧バージョンの削除が%d日後で、%d日以内が必要", [r.attrs.noncurrent_expiry_days, limit]),
		] |
		r.attrs.versioning == true
		r.attrs.versions_expire == true
		r.attrs.noncurrent_expiry_days > limit
	]
} | {p |
	some p in [
		[
			sprintf("soft-deleted objects are kept %d days; at most %d allowed", [r.attrs.soft_delete_days, limit]),
			sprintf("論理削除したデータの保持期間が%d日で、%d日以内が必要", [r.attrs.soft_delete_days, limit]),
		] |
		r.attrs.soft_delete_days > limit
	]
}

# What must be known: versioning; with versioning on, whether and when old versions expire.
unknowns(r) := lib.undetermined_paths(r, {["attrs", "versioning"]}) | {p |
	r.attrs.versioning == true
	some p in lib.undetermined_paths(r, {["attrs", "versions_expire"]})
} | {p |
	r.attrs.versioning == true
	r.attrs.versions_expire == true
	some p in lib.undetermined_paths(r, {["attrs", "noncurrent_expiry_days"]})
}
