# METADATA
# title: 公開を認めたポート以外がインターネット全体に開放されている
# description: >-
#   インターネット全体(0.0.0.0/0, ::/0)から、公開を認めたポート(パラメータ
#   world_open_allowed_ports、既定は公開Webの80と443)以外のポートへの受信を許可する
#   ファイアウォールルールを検出する。アクセス制御方針に基づく受信規制と、業務に使用して
#   いない空きポートへの接続の制限を求める管理基準に対応する。
# scope: package
# custom:
#   id: GM-NET-001
#   title_en: Ports other than the allowed public ports open to the internet
#   description_en: >-
#     Finds firewall rules that admit traffic from anywhere to ports other than the
#     allowed public ports (parameter world_open_allowed_ports, by default the web ports
#     80 and 443): all ports, wide ranges, databases, admin ports.
#     Maps to inbound access control on every interface and closing unused ports.
#   severity: high
#   criteria: ["6.6.1.10", "6.6.1.12", "7.4.4.5"]
#   risks: [H05, M09, L17]
#   rationale:
#     "6.6.1.10": 項目はすべてのネットワークインタフェースでの受信規制・発信規制を求め、インターネット全体からの受信を公開を認めたポートに限っていることはその受信側の一部の確認である(内部の通信と発信規制は確認しない)。付表はH05(論理資源へのアクセス制御)・M09・L17(論理ネットワークへのアクセス制御と偵察行為の制限)に引用する。H03は特定の利用者に割り当てたアドレスからの送信(発信規制)の文脈で引用するため対象外。
#     "6.6.1.12": 項目は業務に使用していない空きポートへの接続の制限を求め、インターネット全体に開いたポートが公開を認めたものに限られることはその一部の確認である(内部から到達できるポートは確認しない)。付表はH05・M09・L17に引用する。
#     "7.4.4.5": 項目は業務に特に必要でないサービス及びポートを動作しないようにするか除去することを求め、公開を認めたポート以外をインターネット全体に開いていないことはネットワーク側から到達できる不要なサービスがないことの確認である(ホスト上で動作するサービスそのものは確認せず、事業者の証明による)。付表はH05・M09・L17のサービス管理系に引用する(M08・L15は宣言しない)。
#   layer: 抽象化層/リソース層
#   resource_types: [network.firewall]
#   remediation:
#     ja: インターネット全体からの受信は公開を認めたポート(既定は公開Webの80/443)のロードバランサ等に限定し、その他のポートは受信元を必要なアドレス範囲に絞るか、ルールを削除する。
#     en: Limit world-open ingress to the allowed public ports (by default web ports 80/443) on load balancers; narrow every other rule to the sources that need it, or remove it.
package genmei.checks.network.world_open_ports

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "rules"]) if {
	lib.undetermined(r, ["attrs", "rules"])
} else := open_verdict(r, open_rules(world, r.attrs.rules), [rule | some rule in world; lib.portless(rule)]) if {
	world := lib.world_ingress_rules(r.attrs.rules)
}

allowed := {p | some p in lib.params.world_open_allowed_ports}

# [p, p] for each allowed port: the common single-port rule (443 from anywhere) is
# recognised by one lookup.
allowed_single := {[p, p] | some p in allowed}

# The world-ingress rules that admit traffic to a port outside the allowed set, in rule
# order. Only the world-ingress rules are examined, a port range with one lookup where
# it can be (this runs for every firewall); shadowing is asked only of the open ones.
open_rules(world, rules) := [world[i] | some i in opens] if {
	every_port := {i |
		some i, rule in world
		lib.all_ports(rule)
		not all_ports_shadowed(rule, rules)
	}
	some_ports := {i |
		some i, rule in world
		some pr in rule.port_ranges
		not [pr.from, pr.to] in allowed_single
		pr.to - pr.from + 1 > count({p | some p in allowed; pr.from <= p; p <= pr.to})
		not range_shadowed(rule, pr, rules)
	}
	opens := every_port | some_ports
}

# Only a single-port rule can be proven shadowed cheaply; ranges are judged open.
range_shadowed(rule, pr, rules) if {
	pr.from == pr.to
	lib.shadowed(rule, pr.from, rules)
}

all_ports_shadowed(rule, rules) if {
	some d in rules
	d.direction == rule.direction
	d.action == "deny"
	d.priority < rule.priority
	some s in d.sources
	lib.world_source(s)
	lib.all_ports(d)
}

# World-ingress rules for protocols without ports (ESP or GRE of a VPN endpoint, ICMP, a
# protocol known by its number only): they open no port, so they do not fail this check,
# but the reason and the evidence name them, so that what the internet may send is seen.
describe_portless(rule) := sprintf("%s from %v", [lib.protocol(rule), rule.sources])

# A rule without a protocol (some normalisers omit "all") is all protocols, as lib.protocol
# reads it; the description must never be undefined, or the open rule would drop out of the
# verdict.
describe(rule) := sprintf("all protocols and ports from %v", [rule.sources]) if lib.protocol(rule) == "all"

else := sprintf("%v %s from %v", [rule.protocol, ports_text(rule), rule.sources])

ports_text(rule) := "all ports" if lib.all_ports(rule)

else := concat(",", [text |
	some pr in rule.port_ranges
	text := range_text(pr)
])

range_text(pr) := sprintf("%d", [pr.from]) if pr.from == pr.to

else := sprintf("%d-%d", [pr.from, pr.to])

# The same in plain Japanese: 「TCP <ポート>番(送信元 <範囲>)」, 「全プロトコル・全ポート(送信元 <範囲>)」.
describe_ja(rule) := sprintf("%s(送信元 %s)", [ports_ja(rule), sources_ja(rule)])

describe_portless_ja(rule) := sprintf("%s(送信元 %s)", [protocol_ja(rule), sources_ja(rule)])

ports_ja(rule) := "全プロトコル・全ポート" if lib.protocol(rule) == "all"

else := sprintf("%sの全ポート", [protocol_ja(rule)]) if lib.all_ports(rule)

else := sprintf("%s %s番", [protocol_ja(rule), ports_text(rule)])

protocol_ja(rule) := sprintf("プロトコル番号%s", [lib.protocol(rule)]) if regex.match(`^[0-9]+$`, lib.protocol(rule))

else := upper(lib.protocol(rule))

sources_ja(rule) := concat("、", [sprintf("%v", [s]) | some s in rule.sources])

open_verdict(r, open, portless) := lib.fail(
	r,
	sprintf("world-open ingress beyond the allowed ports %v: %s", [allowed_list, concat("; ", en)]),
	sprintf("公開を認めたポート(%s)以外への受信をインターネット全体から許可している: %s", [allowed_ja, concat("、", [describe_ja(x) | some x in open])]),
	{"world_open_rules": en, "world_open_portless_rules": [describe_portless(x) | some x in portless]},
) if {
	count(open) > 0
	en := [describe(x) | some x in open]
} else := lib.pass(r, closed_en, closed_ja, {"world_open_rules": [], "world_open_portless_rules": []}) if {
	count(portless) == 0
} else := lib.pass(
	r,
	sprintf("%s; rules for protocols without ports (which expose none) admit it: %s", [closed_en, concat("; ", en)]),
	sprintf("%s(ポートを持たないプロトコルのルールがインターネット全体からの受信を許可している: %s)", [closed_ja, concat("、", [describe_portless_ja(x) | some x in portless])]),
	{"world_open_rules": [], "world_open_portless_rules": en},
) if {
	en := [describe_portless(x) | some x in portless]
}

# The allowed ports in the reasons come from the parameters, built once per evaluation.
allowed_list := sort(allowed)

closed_en := sprintf("no port beyond the allowed ports %v is open to the internet", [allowed_list])

closed_ja := sprintf("公開を認めたポート(%s)以外にインターネット全体に開いたポートはない", [allowed_ja])

allowed_ja := concat("、", [sprintf("%v", [p]) | some p in allowed_list]) if count(allowed_list) > 0

else := "なし"
