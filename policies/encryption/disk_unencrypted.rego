# METADATA
# title: ブロックストレージ(ディスク・ボリューム)が暗号化されていない
# description: >-
#   仮想マシンのディスク・ボリュームが保存時に暗号化されていることを確認する。
#   暗号化されていない媒体は、事業者内部の特権の悪用や媒体の持ち出しによって
#   利用者の情報が読み取られるおそれがある。
# scope: package
# custom:
#   id: GM-ENC-001
#   title_en: Block storage (disks, volumes) not encrypted at rest
#   description_en: >-
#     Checks that every VM disk or volume is encrypted at rest, so that privileged
#     insiders or media leaving the data centre cannot read customer data.
#   severity: high
#   criteria: ["6.8.1.8"]
#   risks: [M07]
#   rationale:
#     "6.8.1.8": 項目は暗号技術の利用を求め、付表はM07 抽象化層/リソース層(暗号化されたデータが意図せず復号されないこと)にこの項目を引用する。ディスク・ボリュームの保存時暗号化はその確認である。付表はM09にもこの項目を引用するが、それは通信経路の暗号化(抽象化層/機能層)の文脈であり、保存時の暗号化はM09の判断に用いない。
#   layer: 抽象化層/リソース層
#   resource_types: [compute.disk]
#   remediation:
#     ja: ボリュームを暗号化して作り直し(スナップショットを暗号化コピーして復元)、アカウント/リージョンの既定の暗号化(EBS暗号化の既定化、Azureのディスク暗号化セット、GCPのCMEK)を有効にする。
#     en: Re-create the volume encrypted (copy a snapshot with encryption and restore) and turn on encryption by default (EBS default encryption, Azure disk encryption sets, GCP CMEK).
package genmei.checks.encryption.disk_unencrypted

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "encrypted"], true, ["encrypted at rest", "not encrypted at rest"], ["保存時に暗号化されている", "保存時に暗号化されていない"]) if {
	some r in lib.resources(metadata)
}
