# METADATA
# title: ネットワークのNATゲートウェイが単一のゾーンにしかない(経路の単一障害点)
# description: >-
#   ネットワーク(VPC)の外向き通信が通るNATゲートウェイが2つ以上のアベイラビリティゾーンに
#   配置されていることを確認する。1つのゾーンにしかない場合、そのゾーンの障害で
#   ネットワーク全体の外向き通信が止まる。停止が許容できないシステムのネットワークの
#   冗長化を求める管理基準に対応する。
# scope: package
# custom:
#   id: GM-RES-002
#   title_en: A network's NAT gateways in one zone only (a single point of failure on the path)
#   description_en: >-
#     Checks that the NAT gateways a network's outbound traffic goes through run in at least
#     two availability zones; in one zone, that zone's failure stops the whole network's
#     outbound traffic.
#   severity: medium
#   criteria: ["6.6.1.16"]
#   risks: [H01]
#   rationale:
#     "6.6.1.16": 項目は停止が許容できないシステムのネットワークの冗長化を求め、外向き経路のNATゲートウェイが複数のゾーンにあることはネットワーク経路の冗長化の構成上の確認である(どのシステムが停止を許容できないかは事業者の証明による)。H01 物理層の「クラウドシステムを冗長化する」対策として引用される。
#   layer: 物理層
#   resource_types: [network.gateway]
#   remediation:
#     ja: "ワークロードを置くゾーンごとにNATゲートウェイを置き、各ゾーンのサブネットの経路を同じゾーンのNATゲートウェイに向ける。"
#     en: "Put a NAT gateway in every zone that runs workloads and route each zone's subnets through the gateway in the same zone."
package genmei.checks.resilience.gateway_redundancy

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "network_zones"]) if {
	lib.undetermined(r, ["attrs", "network_zones"])
} else := zones_verdict(r, {z | some z in r.attrs.network_zones})

zones_verdict(r, zones) := lib.pass(
	r,
	sprintf("the network's NAT gateways run in %d zones", [count(zones)]),
	sprintf("ネットワークのNATゲートウェイが%dつのゾーンにある", [count(zones)]),
	{"network_zones": sort(zones)},
) if {
	count(zones) >= lib.params.min_zones
} else := lib.fail(
	r,
	sprintf("the network's NAT gateways run in %d zone(s); at least %d required", [count(zones), lib.params.min_zones]),
	sprintf("ネットワークのNATゲートウェイが%dつのゾーンにしかなく、%dつ以上が必要", [count(zones), lib.params.min_zones]),
	{"network_zones": sort(zones)},
)
