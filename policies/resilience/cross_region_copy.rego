# METADATA
# title: データの複製が別のリージョンにない(一地域の災害でデータを失う)
# description: >-
#   オブジェクトストレージのデータが地理的に離れた別のリージョンにも複製されていることを
#   確認する(S3のリージョン間レプリケーション、Azureの地理冗長ストレージ GRS/GZRS、
#   Cloud Storageのデュアル/マルチリージョン)。一地域の災害がクラウドサービスを停止させないために
#   代替地域の設備に切り替えること、地理的に離れた複数の地域に設備を設けることを求める管理基準に対応する。
#   複製がないことを不備とするのは、事業者がDRの対象とタグ(ラベル)で宣言したものに限る
#   (パラメータ dr_scope_tag)。宣言のないものは、複製があれば適合、なければ未評価とする。
# scope: package
# custom:
#   id: GM-DR-001
#   title_en: No copy of the data in another region (a regional disaster loses it)
#   description_en: >-
#     Checks that object storage keeps a copy of its data in another, geographically
#     separate region: S3 replication of the whole bucket to a bucket in another region,
#     Azure geo-redundant storage (GRS, RA-GRS, GZRS, RA-GZRS), a dual- or multi-region
#     Cloud Storage bucket. Only storage the provider declares in DR scope by a tag
#     (label) (parameter dr_scope_tag) fails for lack of a copy; undeclared storage passes
#     with a copy and is not evaluated without one.
#   severity: medium
#   criteria: ["C.1.1.6", "C.2.1.4"]
#   risks: [H01]
#   rationale:
#     "C.1.1.6": 項目は一部地域の災害時に代替地域のデータセンターの設備へ速やかに切り替えることを求め、データが別リージョンに複製されていることは切替え先でデータを使えるための構成上の前提の確認である(切替え手順・訓練は事業者の証明による)。H01 サービス管理系の「障害発生時には速やかに冗長系に切替える」対策として引用される。
#     "C.2.1.4": 項目は地理的に離れた複数の地域に設備を設けることを求め、データの別リージョンへの複製はその構成の確認である(データセンターの所在は基盤事業者の証明による)。H01 物理層の「データセンタを地理的に離れた複数の地域に設ける」対策として引用される。
#   layer: 物理層
#   resource_types: [storage.bucket]
#   remediation:
#     ja: "S3はバケット全体を別リージョンのバケットへ複製するレプリケーションルールを設定する。Azureは冗長性をGRS / GZRS(読み取りが必要ならRA-)にする。Cloud Storageはデュアルリージョンまたはマルチリージョンのバケットを使う。"
#     en: "S3: replicate the whole bucket to a bucket in another region. Azure: use GRS / GZRS (RA- for read access). Cloud Storage: use a dual- or multi-region bucket."
package genmei.checks.resilience.cross_region_copy

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "cross_region_copy"]) if {
	lib.undetermined(r, ["attrs", "cross_region_copy"])
} else := lib.pass(
	r,
	sprintf("a copy of the data is kept in another region (%s)", [concat(", ", regions(r))]),
	sprintf("データの複製を別のリージョン(%s)に保持している", [concat("、", regions(r))]),
	{"cross_region_copy": true, "copy_regions": regions(r), "dr_scope": in_scope(r)},
) if {
	r.attrs.cross_region_copy == true
} else := lib.fail(
	r,
	sprintf("declared in DR scope (tag %s=%s) but no copy of the data is kept in another region", [scope.key, scope.value]),
	"DRの対象として宣言されているが、データの複製を別のリージョンに保持していない",
	{"cross_region_copy": false, "dr_scope": true},
) if {
	r.attrs.cross_region_copy == false
	in_scope(r) == true
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("no replication to another region is configured, and whether the storage is declared in DR scope is unknown: its tags were not read (%s)", [why]),
	"reason_ja": sprintf("別リージョンへの複製の設定はないが、タグを収集できずDRの対象かどうか分からない(%s)", [why]),
	"evidence": {"cross_region_copy": false, "missing": ["tags"], "why": why},
} if {
	r.attrs.cross_region_copy == false
	why := r.attrs.not_collected.tags
	is_string(why)
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("not declared in DR scope (no tag %s=%s) and no replication to another region is configured (backup-service copies and application-level copies are not read)", [scope.key, scope.value]),
	"reason_ja": sprintf("DRの対象として宣言されておらず、別リージョンへの複製の設定もない(%sやアプリケーションによる複製は読んでいない)", [unread_copies_ja(r)]),
	"evidence": {"cross_region_copy": false, "dr_scope": false},
} if {
	r.attrs.cross_region_copy == false
}

regions(r) := object.get(r.attrs, "copy_regions", [])

# The provider declares which storage must survive a regional disaster by a tag (label)
# on it (params dr_scope_tag): only storage so declared can fail for lack of a copy.
scope := lib.params.dr_scope_tag

in_scope(r) := object.get(object.get(r, "tags", {}), scope.key, null) == scope.value

# Copies made outside the storage's own replication, which the check does not read.
unread_copies_ja(r) := "AWS Backupのコピー" if {
	r.provider == "aws"
} else := "バックアップサービスのコピー"
