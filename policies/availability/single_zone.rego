# METADATA
# title: ワークロードが単一のゾーンにしか配置されていない(ゾーン障害が全面停止を招く)
# description: >-
#   処理を担うワークロード(ロードバランサ、データベース、オートスケーリンググループ・
#   スケールセット・マネージドインスタンスグループ、Kubernetesクラスタのノード)が
#   2つ以上のアベイラビリティゾーンにまたがって配置されていることを確認する。
#   ネットワーク(VPC・サブネット)のゾーン分散はワークロードの冗長性を示さないため判定しない。
#   一部の情報処理設備の機能の喪失がサービスの全面停止を招かないよう、複数の設備に
#   分けて設置することを求める管理基準に対応する。
# scope: package
# custom:
#   id: GM-AVL-001
#   title_en: Single-zone workload (a zone failure stops the service)
#   description_en: >-
#     Checks that workloads — load balancers, databases, auto scaling groups / scale sets /
#     managed instance groups and Kubernetes clusters' nodes — run in at least two
#     availability zones. A network's subnet spread shows nothing about the workloads
#     and is not judged; an instance outside any group is not judged either (whether it
#     is a single point of failure depends on the service it belongs to).
#   severity: medium
#   criteria: ["C.1.1.1", "C.2.1.1"]
#   risks: [H01]
#   rationale:
#     "C.1.1.1": 項目は情報処理設備の冗長化を求め、ワークロード(負荷分散装置・データベース・インスタンスグループ・クラスタ)を2つ以上のゾーンに配置していることは利用者の構成で確認できる冗長化の部分である(物理設備の冗長化そのものはクラウド基盤事業者の証明による)。H01 物理層の「クラウドシステムを冗長化する」対策として引用される。L18 は法執行対象データの媒体の文脈で引用するため対象外。
#     "C.2.1.1": 項目は複数の情報処理設備に分けて設置することを求め、ワークロードの2つ以上のゾーンへの分散配置がその確認である。H01 物理層の「クラウドシステムを複数に分割する」対策として引用される。
#   layer: 物理層
#   resource_types: [lb.load_balancer, db.instance, compute.instance_group, k8s.cluster]
#   remediation:
#     ja: ワークロードを2つ以上のアベイラビリティゾーンに配置する(ロードバランサとインスタンスグループは複数ゾーンのサブネット、データベースはMulti-AZ / ゾーン冗長 / リージョナル(HA)構成、マネージドインスタンスグループはリージョナル構成)。
#     en: Run workloads in at least two availability zones (load balancers and instance groups over subnets in several zones; databases Multi-AZ, zone-redundant or regional HA; regional managed instance groups).
package genmei.checks.availability.single_zone

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.no_instance_result(r) if {
	lib.runs_no_instance(r)
} else := lib.not_evaluated(r, ["zones"]) if {
	lib.undetermined(r, ["zones"])
} else := zone_verdict(r, {z | some z in r.zones})

zone_verdict(r, zones) := lib.pass(
	r,
	sprintf("runs in %d zones", [count(zones)]),
	sprintf("%dつのゾーンで稼働している", [count(zones)]),
	{"zones": sort(zones)},
) if {
	count(zones) >= lib.params.min_zones
} else := lib.fail(
	r,
	sprintf("runs in %d zone(s); at least %d required", [count(zones), lib.params.min_zones]),
	sprintf("稼働するゾーンが%dつで、%dつ以上が必要", [count(zones), lib.params.min_zones]),
	{"zones": sort(zones)},
)
