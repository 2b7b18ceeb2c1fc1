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
#   criteria: ["7.2.1.2"]
#   risks: [L15]
#   rationale:
#     "7.2.1.2": 項目は利用者と行動を対応付ける一意な利用者IDの利用を求め、OS LoginはSSHログインをIAMの個人のIDに結び付ける(メタデータのSSH鍵によるログインは誰の行動か識別できない)。付表はL15 サービス管理系(ユーザIDの管理)にこの項目を引用する。6.1.3.1(職務の分割)の証跡にはならない。
#   layer: サービス管理系
#   resource_types: [compute.instance]
#   providers: [gcp]
#   remediation:
#     ja: プロジェクトのメタデータ enable-oslogin を TRUE にし(インスタンスで FALSE に上書きしない)、組織ポリシー compute.requireOsLogin を適用する。SSH鍵はメタデータから削除する。
#     en: Set enable-oslogin to TRUE in project metadata (without instance overrides to FALSE), enforce the organisation policy constraint compute.requireOsLogin, and remove SSH keys from metadata.
package genmei.checks.identity.os_login_disabled

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.bool_result(r, ["attrs", "os_login_enabled"], true, ["OS Login governs SSH access", "OS Login is off"], ["OS LoginがSSHアクセスを管理している", "OS Loginが無効"]) if {
	some r in lib.resources(metadata)
}
