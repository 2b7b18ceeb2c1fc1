# METADATA
# title: 単一のゾーンにしか配置されていない(ゾーン障害が全面停止を招く)
# description: >-
#   ロードバランサ、データベース、ネットワーク(サブネット)、インスタンスグループ、
#   Kubernetesクラスタが2つ以上のアベイラビリティゾーンにまたがって配置されていることを
#   確認する。一部の情報処理設備の機能の喪失がサービスの全面停止を招かないよう、
#   複数の設備に分けて設置することを求める管理基準に対応する。
# scope: package
# custom:
#   id: GM-AVL-001
#   title_en: Single-zone deployment (a zone failure stops the service)
#   description_en: >-
#     Checks that load balancers, databases, networks (their subnets), instance groups
#     and Kubernetes clusters span at least two availability zones.
#   severity: medium
#   criteria: ["C.1.1.1", "C.2.1.1"]
#   risks: [H01]
#   rationale:
#     "C.1.1.1": 項目は情報処理設備の冗長化を求め、2つ以上のゾーンへの配置は利用者の構成で確認できる冗長化の部分である(物理設備の冗長化そのものはクラウド基盤事業者の証明による)。H01 物理層の「クラウドシステムを冗長化する」対策として引用される。L18 は法執行対象データの媒体の文脈で引用するため対象外。
#     "C.2.1.1": 項目は複数の情報処理設備に分けて設置することを求め、2つ以上のゾーンへの分散配置がその確認である。H01 物理層の「クラウドシステムを複数に分割する」対策として引用される。
#   layer: 物理層
#   resource_types: [lb.load_balancer, db.instance, network.vpc, compute.instance_group, k8s.cluster]
#   remediation:
#     ja: 2つ以上のアベイラビリティゾーンにサブネット・ノードを配置し、データベースはMulti-AZ / ゾーン冗長 / リージョナル(HA)構成にする。
#     en: Place subnets and nodes in at least two availability zones; run databases Multi-AZ, zone-redundant or regional (HA).
package genmei.checks.availability.single_zone

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["zones"]) if {
	lib.undetermined(r, ["zones"])
} else := zone_verdict(r, {z | some z in r.zones})

zone_verdict(r, zones) := lib.pass(
	r,
	sprintf("spans %d zones", [count(zones)]),
	sprintf("%dつのゾーンに配置されている", [count(zones)]),
	{"zones": sort(zones)},
) if {
	count(zones) >= lib.params.min_zones
} else := lib.fail(
	r,
	sprintf("spans %d zone(s); at least %d required", [count(zones), lib.params.min_zones]),
	sprintf("配置されたゾーンが%dつで、%dつ以上が必要", [count(zones), lib.params.min_zones]),
	{"zones": sort(zones)},
)
