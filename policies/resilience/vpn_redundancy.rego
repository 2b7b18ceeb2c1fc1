# METADATA
# title: 拠点間VPNに代替経路がない
# description: >-
#   拠点間VPNが独立した二つ以上のゲートウェイ端点(AWSのVPN接続の2本のトンネル、GCPのHA VPNの
#   2つのインターフェース)を持ち、スキャン時点でその二つ以上でトンネルが確立していることを確認する。
#   一方の経路が失われても他方で通信が続く。単一のインターフェースしか持たないGCPのClassic VPN、
#   一方のトンネルしか確立していない接続(確立しているトンネルが一つ)は、アカウント又はプロジェクトに稼働中の他の接続(VPN、
#   Direct Connect、Interconnect)がなければ代替経路がないためFAIL、他の接続があれば代替経路となって
#   いるか分からないため未評価。トンネルの状態が分からない場合(Terraformプラン、状態を返さない環境)も
#   未評価。確立しているトンネルがないVPNは、障害か使われていないVPNかが分からないため未評価。
#   重要なシステムに代替経路の利用を求める管理基準に対応する。
# scope: package
# custom:
#   id: GM-VPN-001
#   title_en: Site-to-site VPN without an alternative path
#   description_en: >-
#     Checks that a site-to-site VPN terminates on at least two independent gateway endpoints
#     (an AWS VPN connection's two tunnels, a GCP HA VPN gateway's two interfaces) and that a
#     tunnel is up on at least two of them at the scan, so that losing one path leaves the
#     other. A GCP Classic VPN gateway (one interface) or a connection with one tunnel up
#     (the VPN in use over a single path) fails when it is the account's or project's only hybrid link up (no other
#     VPN with a tunnel up, no Direct Connect virtual interface, no Interconnect attachment);
#     with another link it is NOT_EVALUATED, as that link may be its alternative path (a
#     Direct Connect line backed by this VPN). Where the tunnels' state or the other links
#     are not known (Terraform plans, an endpoint that does not report them) the VPN is
#     NOT_EVALUATED; so is a VPN with no tunnel up (an outage, or a VPN not in use).
#   severity: medium
#   criteria: ["5.2.3.7"]
#   risks: [H01]
#   rationale:
#     "5.2.3.7": 項目は重要なシステムに代替経路の利用を求め、拠点間VPNが独立した二つのゲートウェイ端点(AWSのVPN接続の2本のトンネル、GCPのHA VPNの2つのインターフェース)でトンネルを確立していることは、一方の経路が失われても他方で通信が続く代替経路の確認であり、単一インターフェースのClassic VPNや一つのトンネルだけで通信している接続が、アカウント又はプロジェクトで稼働中の唯一の接続(他のVPN、Direct Connect、Interconnectがない)であれば、スキャン時点で代替経路がない(どのシステムが重要か、専用線との組合せ、回線事業者の経路の多様性は事業者の証明による)。付表はH01(物理層・サービス管理系)に引用する。
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
} else := lib.not_evaluated(r, ["attrs", "tunnels_up"]) if {
	lib.undetermined(r, ["attrs", "tunnels_up"])
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": "no tunnel is up: the VPN carries no traffic at the scan (an outage, or a VPN not in use), which its state does not tell apart",
	"reason_ja": "確立しているトンネルがなく、スキャン時点で通信に使われていない(障害か、使われていないVPNかは状態から分からない)",
	"evidence": evidence(r),
} if {
	r.attrs.tunnels_up == 0
} else := alone_verdict(
	r,
	"the VPN has a single gateway interface",
	"VPNのゲートウェイ端点が一つしかない",
) if {
	r.attrs.gateway_interfaces < 2
} else := alone_verdict(
	r,
	sprintf("a tunnel is up on %d of its %d gateway endpoints", [r.attrs.tunnels_up, r.attrs.gateway_interfaces]),
	sprintf("%dつのゲートウェイ端点のうちトンネルが確立しているのは%dつ", [r.attrs.gateway_interfaces, r.attrs.tunnels_up]),
) if {
	r.attrs.tunnels_up < 2
} else := lib.pass(
	r,
	sprintf("tunnels are up on %d independent gateway endpoints: one path's loss leaves another", [r.attrs.tunnels_up]),
	sprintf("独立した%dつのゲートウェイ端点でトンネルが確立しており、一方の経路が失われても他方が残る", [r.attrs.tunnels_up]),
	evidence(r),
)

# The VPN alone offers no alternative path. Another hybrid link of the account or project
# (a VPN with a tunnel up, a Direct Connect virtual interface, an Interconnect attachment)
# may be its alternative — a Direct Connect line backed by this VPN is the usual design —
# and which site each link reaches is not collected: only a VPN that is the account's or
# project's sole link fails.
alone_verdict(r, why, why_ja) := lib.not_evaluated(r, ["attrs", "other_links"]) if {
	lib.undetermined(r, ["attrs", "other_links"])
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("%s, but %d other hybrid link(s) of the account or project are up and may be its alternative path (which site each reaches is not collected)", [why, r.attrs.other_links]),
	"reason_ja": sprintf("%sが、アカウント又はプロジェクトに稼働中の他の接続(VPN、専用線)が%dつあり、代替経路となっているかは構成から分からない", [why_ja, r.attrs.other_links]),
	"evidence": object.union(evidence(r), {"other_links": r.attrs.other_links}),
} if {
	r.attrs.other_links > 0
} else := lib.fail(
	r,
	sprintf("%s, and no other hybrid link of the account or project is up: no alternative path at the scan", [why]),
	sprintf("%s。アカウント又はプロジェクトに稼働中の他の接続(VPN、専用線)もなく、スキャン時点で代替経路がない", [why_ja]),
	object.union(evidence(r), {"other_links": 0}),
)

evidence(r) := {
	"gateway_interfaces": r.attrs.gateway_interfaces,
	"tunnels_up": object.get(r.attrs, "tunnels_up", null),
	"tunnels": object.get(r.attrs, "tunnels", null),
}
