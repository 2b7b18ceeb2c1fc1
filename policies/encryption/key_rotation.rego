# METADATA
# title: 利用者管理の暗号鍵の自動ローテーションが無効
# description: >-
#   鍵管理サービスの利用者管理鍵(CMK)で自動ローテーションが有効であることを確認する。
#   鍵の変更・更新の時期と方法、鍵の使用期間を定める管理基準に対応する(L16: 基本言明の対象外)。
# scope: package
# custom:
#   id: GM-KMS-001
#   title_en: Customer-managed key without automatic rotation
#   description_en: >-
#     Checks that customer-managed keys in the key-management service rotate automatically
#     (key change and limited key lifetime; L16, outside the basic statement).
#   severity: low
#   criteria: ["8.3.2.10", "8.3.2.17"]
#   risks: [L16]
#   rationale:
#     "8.3.2.10": 項目はかぎをいつどのように変更するかの規則を求め、自動ローテーションの設定はその規則が鍵管理サービスで実施されていることの確認である(規則そのものは事業者の証明による)。付表はL16にのみ引用する。
#     "8.3.2.17": 項目はかぎを限定された期間だけ用いることを求め、自動ローテーションは鍵の使用期間を限定する仕組みの確認である。付表はL16にのみ引用する。
#   layer: サービス管理系
#   resource_types: [kms.key]
#   remediation:
#     ja: "対称鍵の自動ローテーションを有効にする(AWS KMS: EnableKeyRotation、GCP: rotationPeriod、Azure Key Vault: ローテーションポリシー)。"
#     en: "Turn on automatic rotation for symmetric keys (AWS KMS EnableKeyRotation, GCP rotationPeriod, Azure Key Vault rotation policy)."
package genmei.checks.encryption.key_rotation

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "managed_by"]) if {
	lib.undetermined(r, ["attrs", "managed_by"])
} else := lib.pass(r, "rotated by the provider", "クラウド事業者が管理しローテーションする鍵", {"managed_by": "provider"}) if {
	r.attrs.managed_by == "provider"
} else := lib.not_evaluated(r, ["attrs", "rotation_supported"]) if {
	"attrs.rotation_supported" in object.get(r, "unknown", [])
} else := not_rotatable(r) if {
	r.attrs.rotation_supported == false
} else := lib.bool_result(r, ["attrs", "rotation_enabled"], true, ["automatic rotation is on", "automatic rotation is off"], ["自動ローテーションが有効", "自動ローテーションが無効"]) if {
	r.attrs.managed_by == "customer"
}

# Asymmetric, HMAC and signing keys, imported key material and external key stores have no
# automatic rotation (the collectors say which: attrs.rotation_supported): not judged here.
not_rotatable(r) := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("the provider cannot rotate this key automatically (%s): its rotation is not judged here", [key_kind(r)]),
	"reason_ja": sprintf("クラウド事業者が自動ローテーションできない種類の鍵(%s): ローテーションはこのチェックでは判定しない", [key_kind(r)]),
	"evidence": {
		"rotation_supported": false,
		"key_spec": object.get(r.attrs, "key_spec", null),
		"key_usage": object.get(r.attrs, "key_usage", null),
		"origin": object.get(r.attrs, "origin", null),
	},
}

key_kind(r) := concat(", ", [sprintf("%v", [v]) |
	some k in ["key_spec", "key_usage", "origin"]
	v := object.get(r.attrs, k, null)
	v != null
])
