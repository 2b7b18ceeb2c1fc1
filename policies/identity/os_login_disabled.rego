# METADATA
# title: 仮想マシンへのSSHログインがOS Loginで管理されていない
# description: >-
#   Compute EngineのOS Login(メタデータ enable-oslogin)が無効な仮想マシンを検出する。
#   OS Loginが無効な場合、メタデータに登録したSSH鍵で誰でもログインでき、IAMによる
#   利用者の識別・権限付与・取り消しと操作の追跡ができないため、職務の分離と
#   管理用インターフェースへのアクセス管理が損なわれる。
# scope: package
# custom:
#   id: GM-GCP-002
#   title_en: SSH access to VMs not governed by OS Login (GCP)
#   description_en: >-
#     Finds Compute Engine instances without OS Login (metadata enable-oslogin on the
#     instance, else the project). Without it, any SSH key placed in metadata grants a
#     login that IAM neither identifies, authorises, revokes nor traces, which undermines
#     segregation of duties over management access.
#   severity: medium
#   criteria: ["6.1.3.1"]
#   risks: [M08]
#   layer: サービス管理系
#   resource_types: [compute.instance]
#   providers: [gcp]
#   remediation:
#     ja: プロジェクトのメタデータ enable-oslogin を TRUE にし(インスタンスで FALSE に上書きしない)、組織ポリシー compute.requireOsLogin を適用する。SSH鍵はメタデータから削除する。
#     en: Set enable-oslogin to TRUE in project metadata (without instance overrides to FALSE), enforce the organisation policy constraint compute.requireOsLogin, and remove SSH keys from metadata.
package genmei.checks.identity.os_login_disabled

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "os_login_enabled"], true, ["OS Login governs SSH access", "OS Login is off"]) if {
	some r in lib.resources(metadata)
}
