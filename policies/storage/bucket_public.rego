# METADATA
# title: オブジェクトストレージが公開されている
# description: >-
#   バケット・ストレージアカウントが、ACL・ポリシー・公開アクセス設定によって
#   インターネットの誰からでも読み書きできる状態になっていないことを確認する。
#   利用者間・利用者と外部との隔離が失われると機密情報が漏えいする。
# scope: package
# custom:
#   id: GM-STO-002
#   title_en: Object storage publicly accessible
#   description_en: >-
#     Checks that no bucket or storage account is readable or writable by anyone on
#     the internet through ACLs, policies or public-access settings.
#   severity: high
#   criteria: ["6.6.1.10"]
#   risks: [H05]
#   rationale:
#     "6.6.1.10": 項目はアクセス制御方針に基づくアクセス制御を求め、バケットがインターネットの誰からも読み書きできないことはH05 抽象化層/リソース層(論理資源へのアクセス制御)の確認である。H03は特定の利用者に割り当てたアドレスからの送信(発信規制)の文脈で引用するため、受信の規制であるこのチェックはH03の判断に用いない。
#   layer: 抽象化層/リソース層
#   resource_types: [storage.bucket]
#   remediation:
#     ja: 公開アクセスブロック(S3 Block Public Access、Azureの匿名BLOBアクセス無効化、GCSの公開アクセス防止)を有効にし、allUsers/匿名への許可をポリシーから削除する。
#     en: Turn on public-access prevention (S3 Block Public Access, Azure anonymous blob access off, GCS public access prevention) and remove grants to everyone/allUsers.
package genmei.checks.storage.bucket_public

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "public"]) if {
	lib.undetermined(r, ["attrs", "public"])
} else := lib.pass(r, "not publicly accessible", "公開されていない", evidence(r)) if {
	r.attrs.public == false
} else := lib.fail(r, "publicly accessible from the internet", "インターネットから誰でもアクセスできる", evidence(r)) if {
	r.attrs.public == true
}

evidence(r) := {"public": r.attrs.public, "public_via": object.get(r.attrs, "public_via", [])}
