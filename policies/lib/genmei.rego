# Shared helpers for genmei checks: one place that defines the result record, how a
# check selects its resources, and what "not collected" / "known only after apply" means.
package genmei.lib

# The package-scoped METADATA of the calling check (the last link of the chain).
check_metadata(chain) := chain[count(chain) - 1].annotations

# The snapshot under evaluation, {meta, resources: {type: {id: resource}}}. The engine
# stores it once as data and names it in the input (copying a large input into the
# evaluator costs more than evaluating every check); a test passes it as the input.
snapshot := data.genmei.snapshots[input.snapshot_ref] if {
	input.snapshot_ref
} else := input

# Resources of the check's declared types, optionally narrowed to its providers:
# partitioned by type so no check scans the whole snapshot.
resources(meta) := [r |
	some t in meta.custom.resource_types
	some r in object.get(snapshot.resources, t, {})
] if {
	not meta.custom.providers
} else := [r |
	some t in meta.custom.resource_types
	some r in object.get(snapshot.resources, t, {})
	r.provider in meta.custom.providers
]

# An attribute path is an array of keys (["attrs", "encrypted"]); its text is dotted.
path_text(path) := concat(".", path)

# A value the check needs is undetermined when it was not collected (absent or null)
# or is known only after apply (Terraform: listed in the resource's `unknown`).
# Such a resource is NOT_EVALUATED, never PASS.
undetermined(r, path) if object.get(r, path, null) == null

undetermined(r, path) if concat(".", path) in r.unknown

# Japanese text never shows an attribute path: what could not be decided is said in
# words. Every path a check may find undetermined has its words here (a test reads the
# paths out of the checks and pins this table against them).
attribute_ja := {
	"zones": "配置されたゾーン",
	"attrs.anti_spoofing": "送信元/送信先チェック(IP転送)の設定",
	"attrs.audit_log.all_regions": "全リージョンを記録する監査証跡の有無",
	"attrs.audit_log.integrity_validation": "監査証跡のログファイル検証の設定",
	"attrs.authorized_cidrs": "APIエンドポイントへの接続を許可するアドレス範囲",
	"attrs.backup_retention_days": "自動バックアップの保持期間",
	"attrs.console_access": "コンソールへのパスワードによるサインインの可否",
	"attrs.default_disk_encryption": "新規ディスクの既定の暗号化の設定",
	"attrs.default_encryption": "既定の保存時暗号化の設定",
	"attrs.encrypted": "ディスクの暗号化の設定",
	"attrs.endpoint_public": "APIエンドポイントの公開設定",
	"attrs.flow_logs_enabled": "フローログの設定",
	"attrs.infrastructure_encryption": "インフラストラクチャ暗号化の設定",
	"attrs.managed_by": "鍵の管理者(利用者かクラウド事業者か)",
	"attrs.mfa_enabled": "多要素認証の設定",
	"attrs.os_login_enabled": "OS Loginの設定",
	"attrs.public": "インターネットへの公開設定",
	"attrs.purge_protection_enabled": "消去保護の設定",
	"attrs.root_access_keys_present": "ルートユーザーのアクセスキーの有無",
	"attrs.root_mfa_enabled": "ルートユーザーの多要素認証の設定",
	"attrs.rotation_enabled": "鍵の自動ローテーションの設定",
	"attrs.rotation_supported": "鍵の種類(自動ローテーションに対応するか)",
	"attrs.rules": "ファイアウォールのルール",
	"attrs.serial_port_enabled": "シリアルコンソール接続の設定",
	"attrs.soft_delete_enabled": "論理削除の設定",
	"attrs.storage_encrypted": "ストレージの暗号化の設定",
	"attrs.threat_detection_enabled": "脅威検知サービスの設定",
	"attrs.tls.enforced": "TLS接続の強制の設定",
	"attrs.tls.min_version": "TLSの最低バージョン",
	"attrs.uniform_access": "均一なバケットレベルアクセスの設定",
	# ops: capacity, monitoring, default-deny
	"attrs.autoscaling": "スケーリングポリシー(自動スケール設定)の有無",
	"attrs.min_size": "最小台数",
	"attrs.max_size": "最大台数",
	"attrs.enabled": "アラームの有効・無効",
	"attrs.notification_targets": "アラームの通知先",
	"attrs.metric_alarms": "アカウント内のアラームの数",
	"attrs.default_firewall_rules": "既定のセキュリティグループのルール",
	# resilience
	"attrs.backup_count": "ディスクのバックアップの有無",
	"attrs.latest_backup_age_hours": "最新のバックアップの取得時刻",
	"attrs.automatic_failover": "自動フェイルオーバーの構成",
	"attrs.cross_region_copy": "別リージョンへの複製の設定",
	"attrs.network_zones": "ネットワークのNATゲートウェイのゾーン",
	"attrs.noncurrent_expiry_days": "旧バージョンを削除するまでの日数",
	"attrs.versions_expire": "旧バージョンを削除するライフサイクルルール",
	"attrs.versioning": "バージョニングの設定",
	# vulnerability and patch management, configuration recording (vuln)
	"attrs.vulnerability_scanning_enabled": "ぜい弱性スキャンの設定",
	"attrs.open_findings": "未解決のぜい弱性の検出結果",
	"attrs.observed_at": "検出結果を読み取った日時",
	"attrs.managed": "ホスト管理サービスによる管理の有無",
	"attrs.patch_compliant": "パッチの適用状況",
	"attrs.missing_critical_high": "未適用パッチの重要度の内訳",
	"attrs.patch_assessed_at": "直近のパッチ評価の日時",
	"attrs.software_inventory": "ソフトウェアインベントリの収集の有無",
	"attrs.inventory_collected_at": "ソフトウェアインベントリの収集日時",
	"attrs.configuration_recorder": "構成の記録(構成レコーダー)の状態",
	# load distribution (res2)
	"attrs.load_balancers": "ロードバランサへの登録",
	# ops2: WAF, WAF logging, quota alarms
	"attrs.scheme": "ロードバランサーの公開範囲(インターネット向けか内部向けか)",
	"attrs.waf": "WAF(Webアプリケーションファイアウォール)の関連付け",
	"attrs.logging_enabled": "WAFのログ記録の設定",
	"attrs.associated": "WAFの関連付け先",
	"attrs.quota_alarms": "サービスクォータの使用量を監視するアラーム",
	# more: control planes, VPNs
	"attrs.control_plane_multi_zone": "コントロールプレーンの複数ゾーンへの複製",
	"attrs.gateway_interfaces": "VPNのゲートウェイ端点の数",
	"attrs.tunnels_up": "VPNトンネルの確立状態",
	"attrs.other_links": "アカウント又はプロジェクトの他の接続(VPN、専用線)",
}

attribute_words(path) := object.get(attribute_ja, concat(".", path), "判定に必要な設定値")

# The helpers below build their records inline: a Rego function call costs more than
# the comparisons it wraps (measured: ~15 µs each), and they run once per result.
# Every record carries `reason` (English) and `reason_ja` (Japanese, the language of
# the audit documents); the engine refuses a record without either.
not_evaluated(r, path) := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("%s is known only after apply", [concat(".", path)]),
	"reason_ja": sprintf("%sは適用(apply)後まで決まらない", [attribute_words(path)]),
	"evidence": {"missing": [concat(".", path)]},
} if {
	concat(".", path) in r.unknown
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("%s was not collected: %s", [concat(".", path), why]),
	"reason_ja": sprintf("%sを収集できなかった%s", [attribute_words(path), code_ja(why)]),
	"evidence": {"missing": [concat(".", path)], "why": why},
} if {
	# A collector that knows why it could not read an attribute says so in
	# attrs.not_collected (keyed by the attribute's path below attrs); the reader learns
	# what to fix.
	path[0] == "attrs"
	why := r.attrs.not_collected[concat(".", array.slice(path, 1, count(path)))]
	is_string(why)
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("%s was not collected", [concat(".", path)]),
	"reason_ja": sprintf("%sが収集されていない", [attribute_words(path)]),
	"evidence": {"missing": [concat(".", path)]},
}

# An instance group that can run no instance (its maximum size is 0, e.g. a batch group
# parked between runs): zones, load distribution and scaling say nothing about it, so the
# checks of instance groups (GM-AVL-001, GM-RES-003, GM-CAP-001) give it this record.
runs_no_instance(r) if r.attrs.max_size == 0

# The collection gaps that hide resources of `types` in the scope of r, a cloud.region: its
# account and, on AWS, its region (Azure and GCP gaps are scoped by subscription or
# project, whose region resource is "global"). A check that judges a region by what runs
# there tells "nothing there" from "not read there" with it.
scope_gaps(r, types) := [g |
	some g in object.get(object.get(snapshot, "meta", {}), "gaps", [])
	count({t | some t in types; t in g.resource_types}) > 0
	contains(g.scope, object.get(r, "account", "\u0000"))
	gap_in_region(g.scope, r)
]

gap_in_region(_, r) if r.provider in {"azure", "gcp"}

gap_in_region(scope, r) if contains(scope, r.region)

no_instance_result(r) := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": "the group can run no instance (maximum size 0)",
	"reason_ja": "稼働できるインスタンスがない(最大台数0)",
	"evidence": {"max_size": 0},
}

# The Japanese reason names only the error code a collector's English explanation carries
# ("… failed (AccessDenied: …)"): the explanation itself stays in the English reason.
code_ja(why) := sprintf("(%s)", [why]) if {
	regex.match(`^[A-Za-z][A-Za-z0-9_.]*$`, why)
} else := sprintf("(%s)", [m[0][1]]) if {
	m := regex.find_all_string_submatch_n(`\(([A-Za-z][A-Za-z0-9_.]*): `, why, 1)
	count(m) > 0
} else := ""

pass(r, reason, reason_ja, evidence) := {"resource": r.id, "status": "PASS", "reason": reason, "reason_ja": reason_ja, "evidence": evidence}

fail(r, reason, reason_ja, evidence) := {"resource": r.id, "status": "FAIL", "reason": reason, "reason_ja": reason_ja, "evidence": evidence}

params := data.genmei.params

# --- network rules -------------------------------------------------------------

world_source(s) if s in params.world_sources

# The rules that admit inbound traffic from anywhere on the internet. One pass over a
# firewall's rules, inline (no call per rule): the checks' per-port reasoning then runs
# only on these few.
world_ingress_rules(rules) := [rule |
	some rule in rules
	rule.direction == "ingress"
	rule.action == "allow"
	count([s | some s in rule.sources; s in params.world_sources]) > 0
]

# A rule's protocol, lower case; a rule without one admits every protocol ("all").
protocol(rule) := lower(sprintf("%v", [object.get(rule, "protocol", "all")]))

# The IANA numbers of the protocols whose rules name ports — TCP 6, UDP 17, DCCP 33,
# SCTP 132, UDP-Lite 136 (collectors/canonical/firewall.py WITH_PORTS). The collectors
# name these and every other protocol they know by keyword and leave a number only
# where IANA's has no keyword in their table.
port_protocol_numbers := {"6", "17", "33", "132", "136"}

# A rule for a protocol without ports (ESP, AH, GRE, ICMP…, by keyword in
# params.portless_protocols, or by any IANA number but those above) exposes no TCP/UDP
# port, whatever ports the source wrote beside it.
portless(rule) if protocol(rule) in params.portless_protocols

portless(rule) if {
	p := protocol(rule)
	regex.match(`^[0-9]+$`, p)
	not p in port_protocol_numbers
}

# A rule with no port ranges (or protocol "all") covers every port.
all_ports(rule) if {
	not portless(rule)
	count(object.get(rule, "port_ranges", [])) == 0
}

covers_port(rule, port) if all_ports(rule)

covers_port(rule, port) if {
	not portless(rule)
	some pr in rule.port_ranges
	pr.from <= port
	port <= pr.to
}

# An allow rule is shadowed for a port when a deny rule from the world, evaluated
# earlier (lower priority number: Azure NSGs), covers the same port.
shadowed(rule, port, rules) if {
	some d in rules
	d.direction == rule.direction
	d.action == "deny"
	d.priority < rule.priority
	some s in d.sources
	world_source(s)
	covers_port(d, port)
}

tls_rank(v) := params.tls_versions[v]

# --- one record for a boolean attribute --------------------------------------
# PASS when the attribute equals `want`, FAIL when it is the other boolean,
# NOT_EVALUATED when it is undetermined. A non-boolean value yields no record, which the
# engine reports as ERROR: a normaliser defect is never silently a PASS. `reasons` and
# `reasons_ja` are [pass text, fail text].
bool_result(r, path, want, reasons, reasons_ja) := {"resource": r.id, "status": "PASS", "reason": reasons[0], "reason_ja": reasons_ja[0], "evidence": {concat(".", path): want}} if {
	object.get(r, path, null) == want
	not concat(".", path) in object.get(r, "unknown", [])
} else := {"resource": r.id, "status": "FAIL", "reason": reasons[1], "reason_ja": reasons_ja[1], "evidence": {concat(".", path): value}} if {
	value := object.get(r, path, null)
	is_boolean(value)
	value != want
	not concat(".", path) in object.get(r, "unknown", [])
} else := not_evaluated(r, path) if {
	undetermined(r, path)
}

# --- several conditions on one resource --------------------------------------
# `problems` are proven violations (a set of [English, Japanese] texts), `unknowns` the
# paths still undetermined: any proven problem FAILs; otherwise an unknown makes it
# NOT_EVALUATED. `pass_reasons` is [English, Japanese].
combined_result(r, problems, unknowns, pass_reasons) := fail(
	r,
	concat("; ", [p[0] | some p in sort(problems)]),
	concat("、", [p[1] | some p in sort(problems)]),
	{"problems": [p[0] | some p in sort(problems)]},
) if {
	count(problems) > 0
} else := not_evaluated(r, sort(unknowns)[0]) if {
	count(unknowns) > 0
} else := pass(r, pass_reasons[0], pass_reasons[1], {"problems": []})

undetermined_paths(r, paths) := {p | some p in paths; undetermined(r, p)}

# The texts of the `rules` ([attr path, bad value, English text, Japanese text]) whose
# attribute has the bad value.
proven_problems(r, rules) := {[text, text_ja] |
	some [path, bad, text, text_ja] in rules
	object.get(r, path, null) == bad
}
