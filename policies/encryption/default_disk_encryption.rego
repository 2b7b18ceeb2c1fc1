# METADATA
# title: 新規ディスクの既定の暗号化が有効になっていない
# description: >-
#   リージョンの設定で、新しく作成されるボリュームが既定で暗号化されることを確認する。
# scope: package
# custom:
#   id: GM-ENC-003
#   title_en: Encryption by default of new disks is off
#   description_en: >-
#     Checks that the region encrypts every new block volume by default, so no unencrypted
#     disk can be created by mistake.
#   severity: medium
#   criteria: ["6.8.1.8"]
#   risks: [M07]
#   rationale:
#     "6.8.1.8": 項目は暗号技術の利用を求め、付表はM07 抽象化層/リソース層(暗号化されたデータが意図せず復号されないこと)にこの項目を引用する。新規ディスクの既定の暗号化は暗号化されていない媒体が作られない仕組みの確認である。付表はM09にもこの項目を引用するが、それは通信経路の暗号化(抽象化層/機能層)の文脈であり、保存時の暗号化はM09の判断に用いない。
#   layer: 抽象化層/リソース層
#   resource_types: [cloud.region]
#   remediation:
#     ja: "EBS暗号化の既定化(EnableEbsEncryptionByDefault)をすべてのリージョンで有効にする。"
#     en: "Turn on EBS encryption by default in every region (or the provider's equivalent policy)."
package genmei.checks.encryption.default_disk_encryption

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "default_disk_encryption"], true, ["new disks are encrypted by default", "new disks are not encrypted by default"], ["新規ディスクは既定で暗号化される", "新規ディスクが既定で暗号化されない"]) if {
	some r in lib.resources(metadata)
}
