# METADATA
# title: 仮想マシンのシリアルコンソール(対話型シリアルポート)接続が有効になっている
# description: >-
#   Compute Engineの対話型シリアルポートアクセス(メタデータ serial-port-enable)が有効な仮想マシンを検出する。
#   シリアルコンソールはインターネット上のプロキシ経由で到達できる遠隔診断用のポートであり、
#   ファイアウォールルールの対象外となるため、管理用ネットワークの論理的な分離を損なう。
# scope: package
# custom:
#   id: GM-GCP-001
#   title_en: Interactive serial console access enabled on a VM (GCP)
#   description_en: >-
#     Finds Compute Engine instances with interactive serial port access on (metadata
#     serial-port-enable, on the instance or inherited from the project). The serial
#     console is a remote diagnostic port reached through an internet-facing proxy that
#     VPC firewall rules do not govern, so it breaks the separation of management access.
#   severity: medium
#   criteria: ["7.4.4.2", "7.4.4.6"]
#   risks: [H05, H06, M08, M09, L15, L17]
#   rationale:
#     "7.4.4.2": シリアルコンソールはファイアウォールの外からプロキシ経由で到達できる遠隔診断用のポートであり、それが無効であることは項目が求める遠隔診断用ネットワークの論理的な分離の確認である。付表はH06・M08・M09・L15・L17のいずれにも管理用ネットワークへのアクセスの制御としてこの項目を引用する。
#     "7.4.4.6": 項目は保守要員との間で合意できた場合にだけ遠隔診断用のポートへのアクセスを可能にすることを求め、対話型シリアルポートは遠隔診断用のポートそのものであり、それを合意した保守の期間に限らずメタデータで期限なく有効にしていることは項目を満たさないことを示す。無効であることはスキャン時点で接続できないことの確認にとどまり、保守要員との合意と、合意した場合にだけ期限付きで有効化する手順は確認しない(事業者の証明による)。付表はH05・M08・M09・L15・L17のいずれにも遠隔診断用・環境設定用のポートへのアクセスの制御としてこの項目を引用する(H06は引用しない)。
#   layer: サービス管理系
#   resource_types: [compute.instance]
#   providers: [gcp]
#   remediation:
#     ja: インスタンスとプロジェクトのメタデータ serial-port-enable を削除するか FALSE にし、組織ポリシー compute.disableSerialPortAccess を適用する。障害対応で必要な場合は期限付きで有効化し、例外として記録する。
#     en: Remove serial-port-enable from instance and project metadata (or set it to FALSE) and enforce the organisation policy constraint compute.disableSerialPortAccess; enable it only for a time-boxed incident, recorded as an exception.
package genmei.checks.admin_exposure.serial_port_enabled

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "serial_port_enabled"], false, ["serial console access is off", "serial console access is on"], ["シリアルコンソール接続は無効", "シリアルコンソール接続が有効"]) if {
	some r in lib.resources(metadata)
}
