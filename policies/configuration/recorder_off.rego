# METADATA
# title: 構成の変更が記録されていない(構成レコーダーが無効)
# description: >-
#   論理構成をツールで一貫して管理するため、リージョンごとに構成レコーダー(AWS Config)がすべての種類の
#   リソースの構成を記録中で、記録に失敗していないことを確認する(Azure Resource Graph と GCP Cloud Asset
#   Inventory はすべてのリソースを常に記録する)。
# scope: package
# custom:
#   id: GM-CFG-001
#   title_en: Configuration changes are not recorded (no configuration recorder)
#   description_en: >-
#     Checks that a configuration recorder (AWS Config) records every supported resource type in
#     every region, is recording now and is not failing, so the logical configuration is kept by
#     a tool (Azure Resource Graph and GCP Cloud Asset Inventory record every resource, always).
#   severity: medium
#   criteria: ["6.1.1.12"]
#   risks: [H02]
#   rationale:
#     "6.1.1.12": 項目はツール及びユーティリティを用いて物理構成と論理構成を首尾一貫して管理することを求め、すべてのリージョンで構成レコーダーがすべての種類のリソースの構成の変化を記録していることは、論理構成(仮想リソース)をツールで一貫して管理していることの確認である(物理構成はクラウド事業者の管理で、その証明による)。付表はH02のサービス管理系に「物理構成と論理構成を対応づけて管理する」対策としてこの項目を引用する。
#   layer: サービス管理系
#   resource_types: [cloud.region]
#   remediation:
#     ja: "すべてのリージョンで AWS Config の構成レコーダーを作成し、サポートされるすべてのリソースの種類を記録させ、記録を開始する。配信チャネルの失敗を解消する。"
#     en: "Create an AWS Config recorder in every region that records all supported resource types, start it, and fix any delivery failure."
package genmei.checks.configuration.recorder_off

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

# State → [English, Japanese] of a recorder that leaves configuration unrecorded.
problem := {
	"none": ["no configuration recorder", "構成レコーダーがない"],
	"stopped": ["the configuration recorder is stopped", "構成レコーダーが停止している"],
	"partial": ["the configuration recorder records only some resource types", "構成レコーダーが一部の種類のリソースしか記録していない"],
	"failing": ["the configuration recorder is failing", "構成レコーダーの記録が失敗している"],
}

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "configuration_recorder"]) if {
	lib.undetermined(r, ["attrs", "configuration_recorder"])
} else := lib.pass(r, "every resource type's configuration is recorded", "すべての種類のリソースの構成が記録されている", {"attrs.configuration_recorder": "recording"}) if {
	r.attrs.configuration_recorder == "recording"
} else := lib.fail(r, problem[state][0], problem[state][1], {"attrs.configuration_recorder": state}) if {
	state := r.attrs.configuration_recorder
}
