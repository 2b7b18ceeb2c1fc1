# METADATA
# title: 脅威検知(侵入検知)が有効になっていない
# description: >-
#   ネットワーク上の不正なイベントを監視するため、リージョンごとに脅威検知サービス(GuardDuty 等)が有効であることを確認する。
# scope: package
# custom:
#   id: GM-IDS-001
#   title_en: Threat detection (intrusion detection) is off
#   description_en: >-
#     Checks that a threat-detection service (GuardDuty, Defender for Cloud, Security Command
#     Center) watches every region.
#   severity: medium
#   criteria: ["6.6.1.14", "6.6.1.15"]
#   risks: [H03, H05, H06, M09, M11, L17]
#   rationale:
#     "6.6.1.14": 項目はネットワーク上の不正なイベントを監視する侵入検知システムの導入を求め、マネージドの脅威検知サービスがすべてのリージョンで有効であることがその確認である。付表はH03・H05・H06・M09・M11・L17のいずれにも不正の検知の対策としてこの項目を引用する。
#     "6.6.1.15": 項目は検知ルールの更新を求め、マネージドの脅威検知サービスはクラウド事業者が検知ルールを更新するため、有効であることがその部分の確認である(自ら運用する侵入検知システムの更新は事業者の証明による)。付表は6.6.1.14と同じリスクに引用する。
#   layer: サービス管理系
#   resource_types: [cloud.region]
#   remediation:
#     ja: "すべてのリージョンで GuardDuty(Azure: Defender for Cloud、GCP: Security Command Center)を有効にし、検知結果の通知先を設定する。"
#     en: "Enable GuardDuty (Defender for Cloud, Security Command Center) in every region and route its findings to responders."
package genmei.checks.logging.threat_detection

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

# Where a collector could not read the state it says why (GCP: the Security Command
# Center call failed, or a CAI export cannot hold it): attrs.not_collected, quoted by
# lib.not_evaluated.
results contains lib.bool_result(r, ["attrs", "threat_detection_enabled"], true, ["threat detection is on", "threat detection is off"], ["脅威検知が有効", "脅威検知が無効"]) if {
	some r in lib.resources(metadata)
}
