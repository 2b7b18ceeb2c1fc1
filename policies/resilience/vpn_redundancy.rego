# METADATA
# title: 拠点間VPNに代替経路がない
# description: >-
#   拠点間VPNが独立した二つ以上のゲートウェイ端点(AWSのVPN接続の2本のトンネル、GCPのHA VPNの
#   2つのインターフェース)を持ち、スキャン時点でその二つ以上でトンネルが確立していることを確認する。
#   一方の経路が失われても他方で通信が続く。単一のインターフェースしか持たないGCPのClassic VPN、
#   一方のトンネルしか確立していない接続は代替経路がないためFAIL。トンネルの状態が分からない場合
#   (Terraformプラン、状態を返さない環境)は未評価。重要なシステムに代替経路の利用を求める管理基準に対応する。
# scope: package
# custom:
#   id: GM-VPN-001
#   title_en: Site-to-site VPN without an alternative path
#   description_en: >-
#     Checks that a site-to-site VPN terminates on at least two independent gateway endpoints
#     (an AWS VPN connection's two tunnels, a GCP HA VPN gateway's two interfaces) and that a
#     tunnel is up on at least two of them at the scan, so that losing one path leaves the
#     other. A GCP Classic VPN gateway (one interface) and a connection with only one tunnel
#     up have no alternative path (FAIL). Where the tunnels' state is not known (Terraform
#     plans, an endpoint that does not report it) the VPN is NOT_EVALUATED.
#   severity: medium
#   criteria: ["5.2.3.7"]
#   risks: [H01]
#   rationale:
#     "5.2.3.7": 項目は重要なシステムに代替経路の利用を求め、拠点間VPNが独立した二つのゲートウェイ端点(AWSのVPN接続の2本のトンネル、GCPのHA VPNの2つのインターフェース)でトンネルを確立していることは、一方の経路が失われても他方で通信が続く代替経路の確認であり、単一インターフェースのClassic VPNや一方のトンネルしか確立していない接続はスキャン時点で代替経路がない(どのシステムが重要か、専用線との組合せ、回線事業者の経路の多様性は事業者の証明による)。付表はH01(物理層・サービス管理系)に引用する。
#   layer: 物理層
#   resource_types: [network.vpn]
#   remediation:
#     ja: "AWS: 顧客ゲートウェイで VPN 接続の2本のトンネルをともに設定し確立する。GCP: Classic VPN を HA VPN に移行し、2つのインターフェースの双方にトンネルを設定する。"
#     en: "AWS: configure and bring up both tunnels of the VPN connection on the customer gateway. GCP: move from Classic VPN to HA VPN and configure a tunnel on each of its two interfaces."
package genmei.checks.resilience.vpn_redundancy

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "gateway_interfaces"]) if {
	lib.undetermined(r, ["attrs", "gateway_interfaces"])
} else := lib.fail(
	r,
	sprintf("the VPN terminates on %d gateway interface(s): no alternative path", [r.attrs.gateway_interfaces]),
	sprintf("VPNのゲートウェイ端点が%dつしかなく、代替経路がない", [r.attrs.gateway_interfaces]),
	evidence(r),
) if {
	r.attrs.gateway_interfaces < 2
} else := lib.not_evaluated(r, ["attrs", "tunnels_up"]) if {
	lib.undetermined(r, ["attrs", "tunnels_up"])
} else := lib.fail(
	r,
	sprintf("a tunnel is up on %d of its %d gateway endpoints: no alternative path at the scan", [r.attrs.tunnels_up, r.attrs.gateway_interfaces]),
	sprintf("%dつのゲートウェイ端点のうちトンネルが確立しているのは%dつで、スキャン時点で代替経路がない", [r.attrs.gateway_interfaces, r.attrs.tunnels_up]),
	evidence(r),
) if {
	r.attrs.tunnels_up < 2
} else := lib.pass(
	r,
	sprintf("tunnels are up on %d independent gateway endpoints: one path's loss leaves another", [r.attrs.tunnels_up]),
	sprintf("独立した%dつのゲートウェイ端点でトンネルが確立しており、一方の経路が失われても他方が残る", [r.attrs.tunnels_up]),
	evidence(r),
)

evidence(r) := {
	"gateway_interfaces": r.attrs.gateway_interfaces,
	"tunnels_up": object.get(r.attrs, "tunnels_up", null),
	"tunnels": object.get(r.attrs, "tunnels", null),
}
