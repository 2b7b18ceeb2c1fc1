# METADATA
# title: 送信元アドレスの検証(なりすまし防止)が無効になっている
# description: >-
#   仮想マシンが自分宛て・自分発以外のトラフィックを送受信できないこと(送信元/送信先チェック、IP転送の無効化)を確認する。不正なアドレスのトラフィックの送出を許可しないための管
#   理基準に対応する。
# scope: package
# custom:
#   id: GM-NET-003
#   title_en: Source address check (anti-spoofing) disabled
#   description_en: >-
#     Checks that a VM cannot send or receive traffic not addressed from or to itself
#     (source/destination check on, IP forwarding off).
#   severity: medium
#   criteria: ["7.4.7.3"]
#   risks: [M11]
#   rationale:
#     "7.4.7.3": 項目は発信元アドレスを確認し不正なアドレスのトラフィックの送出を許可しないことを求め、送信元/送信先チェック(IP転送の無効化)はその確認である。付表はM11 抽象化層/機能層(アドレス偽装の防止)にのみ引用する。
#   layer: 抽象化層/機能層
#   resource_types: [compute.instance]
#   remediation:
#     ja: "NATやルータとして設計された仮想マシン以外では送信元/送信先チェックを有効にし(Azure: NICのIP転送を無効、GCP: canIpForward=false)、例外は承認を得て例外ファイルに記録する。"
#     en: "Keep the source/destination check on (Azure: NIC IP forwarding off; GCP: canIpForward false) except on designed NAT/router instances, which get an approved exception."
package genmei.checks.network.anti_spoofing

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "anti_spoofing"], true, ["source address check is on", "the instance may forward or spoof traffic"], ["送信元/送信先チェックが有効", "自分宛て・自分発以外のトラフィックを転送・偽装できる"]) if {
	some r in lib.resources(metadata)
}
