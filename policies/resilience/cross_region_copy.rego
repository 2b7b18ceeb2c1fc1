# METADATA
# title: データの複製が別のリージョンにない(一地域の災害でデータを失う)
# description: >-
#   オブジェクトストレージのデータが地理的に離れた別のリージョンにも複製されていることを
#   確認する(S3のリージョン間レプリケーション、Azureの地理冗長ストレージ GRS/GZRS、
#   Cloud Storageのデュアル/マルチリージョン)。一地域の災害がクラウドサービスを停止させないために
#   代替地域の設備に切り替えること、地理的に離れた複数の地域に設備を設けることを求める管理基準に対応する。
# scope: package
# custom:
#   id: GM-DR-001
#   title_en: No copy of the data in another region (a regional disaster loses it)
#   description_en: >-
#     Checks that object storage keeps a copy of its data in another, geographically
#     separate region: S3 replication of the whole bucket to a bucket in another region,
#     Azure geo-redundant storage (GRS, RA-GRS, GZRS, RA-GZRS), a dual- or multi-region
#     Cloud Storage bucket.
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
	{"cross_region_copy": true, "copy_regions": regions(r)},
) if {
	r.attrs.cross_region_copy == true
} else := lib.fail(
	r,
	"no copy of the data is kept in another region",
	"データの複製を別のリージョンに保持していない",
	{"cross_region_copy": false},
) if {
	r.attrs.cross_region_copy == false
}

regions(r) := object.get(r.attrs, "copy_regions", [])
