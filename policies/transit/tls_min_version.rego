# METADATA
# title: 通信経路がTLS 1.2以上で暗号化されていない
# description: >-
#   ロードバランサのリスナー、データベース、ストレージのエンドポイントが平文の通信を
#   受け付けず、TLS 1.2以上を要求していることを確認する。すべての当事者間の通信経路の
#   暗号化と、要求される暗号の強度を定める管理基準に対応する。
# scope: package
# custom:
#   id: GM-TLS-001
#   title_en: Endpoint does not enforce TLS 1.2 or later
#   description_en: >-
#     Checks that load-balancer listeners, databases and storage endpoints refuse
#     plaintext and require TLS 1.2 or later.
#   severity: high
#   criteria: ["6.6.1.5", "6.8.1.8", "6.9.2.6", "8.3.1.3"]
#   risks: [M09]
#   rationale:
#     "6.6.1.5": 項目は公衆ネットワークを通過するデータの機密性・完全性を保護する特別な管理策を求め、エンドポイントが平文を受け付けずTLSを必須にしていることはその通信側の確認である。付表はM09 抽象化層/リソース層に引用する。H03・H05・L17はアクセス制御・偵察行為の文脈で引用するため対象外。
#     "6.8.1.8": 項目は情報交換における暗号技術の利用を求め、付表はM09 抽象化層/機能層(データ転送には暗号技術を適切に用いる)にこの項目を引用する。通信経路のTLSはその確認であり、M07(保存時の暗号化)の判断には用いない。
#     "6.9.2.6": 項目はすべての当事者間の通信経路の暗号化を求め、クラウド上のエンドポイントがTLSを必須にしていることはその確認である(クラウドの外の経路は事業者の証明による)。付表はM09にのみ引用する。
#     "8.3.1.3": 項目はリスクアセスメントに基づき要求される暗号の強度を定めることを求め、実装されたTLSの最低バージョンが基準以上であることはその方針が守られていることの確認である(方針そのものは事業者の証明による)。付表はM09 抽象化層/リソース層(暗号アルゴリズムの適切な選択)に引用する。
#   layer: 抽象化層/機能層
#   resource_types: [lb.listener, db.instance, storage.bucket]
#   remediation:
#     ja: HTTPリスナーはHTTPSへのリダイレクトに変更し、TLSポリシーをTLS 1.2以上(例 ELBSecurityPolicy-TLS13-1-2-2021-06)にする。データベースはSSL/TLS接続を必須にし、バケットはTLS以外の接続を拒否するポリシーを設定する。
#     en: Redirect HTTP listeners to HTTPS and use a TLS 1.2+ policy (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06); require SSL/TLS on databases; deny non-TLS requests to buckets.
package genmei.checks.transit.tls_min_version

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

minimum := lib.params.min_tls_version

minimum_rank := lib.tls_rank(minimum)

results contains verdict(r) if some r in lib.resources(metadata)

# A listener of a protocol that passes the connection through to its targets (an NLB's TCP or
# UDP, a GWLB's GENEVE) terminates nothing: whether the connection is encrypted is decided by
# the targets, which the load balancer's configuration does not show. Neither PASS nor FAIL.
# Then the common cases (TLS required at a known version), with their conditions inline: a
# Rego function call costs more than the comparisons, and this runs for every listener,
# database and bucket.
verdict(r) := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("a %s listener passes connections through to its targets: whether they require TLS is not in the load balancer's configuration", [upper(r.attrs.protocol)]),
	"reason_ja": sprintf("%sのリスナーは接続をそのまま転送先に渡し、TLSを必須にするかは転送先が決める(ロードバランサの構成からは分からない)", [upper(r.attrs.protocol)]),
	"evidence": {"protocol": r.attrs.protocol},
} if {
	upper(r.attrs.protocol) in pass_through # of the check's types only a listener has a protocol
} else := {
	"resource": r.id,
	"status": "PASS",
	"reason": sprintf("TLS %s or later required", [r.attrs.tls.min_version]),
	"reason_ja": sprintf("TLS %s 以上を必須にしている", [r.attrs.tls.min_version]),
	"evidence": evidence(r),
} if {
	r.attrs.tls.enforced == true
	lib.params.tls_versions[r.attrs.tls.min_version] >= minimum_rank
	not "attrs.tls.enforced" in object.get(r, "unknown", [])
	not "attrs.tls.min_version" in object.get(r, "unknown", [])
} else := lib.fail(r, "accepts plaintext connections", "平文の接続を受け付ける", evidence(r)) if {
	r.attrs.tls.enforced == false
	not "attrs.tls.enforced" in object.get(r, "unknown", [])
} else := lib.not_evaluated(r, ["attrs", "tls", "enforced"]) if {
	lib.undetermined(r, ["attrs", "tls", "enforced"])
} else := lib.not_evaluated(r, ["attrs", "tls", "min_version"]) if {
	r.attrs.tls.enforced == true
	lib.undetermined(r, ["attrs", "tls", "min_version"])
} else := lib.fail(
	r,
	sprintf("minimum TLS %s is below %s", [r.attrs.tls.min_version, minimum]),
	sprintf("TLSの最低バージョン %s が基準の %s を下回る", [r.attrs.tls.min_version, minimum]),
	evidence(r),
) if {
	r.attrs.tls.enforced == true
	lib.params.tls_versions[r.attrs.tls.min_version] < minimum_rank
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("unrecognised TLS version %v", [r.attrs.tls.min_version]),
	"reason_ja": sprintf("TLSのバージョン %v を判別できない", [r.attrs.tls.min_version]),
	"evidence": evidence(r),
} if {
	r.attrs.tls.enforced == true
}

pass_through := {"TCP", "UDP", "TCP_UDP", "GENEVE"}

evidence(r) := {
	"enforced": object.get(r.attrs, ["tls", "enforced"], null),
	"min_version": object.get(r.attrs, ["tls", "min_version"], null),
	"policy": object.get(r.attrs, ["tls", "policy"], null),
}
