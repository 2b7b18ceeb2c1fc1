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
#   criteria: ["6.6.1.14"]
#   risks: [H05, H06, M11]
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
results contains lib.bool_result(r, ["attrs", "threat_detection_enabled"], true, ["threat detection is on", "threat detection is off"]) if {
	some r in lib.resources(metadata)
}
