"""A draft 基本言明書 (basic statement) following the sample in seed 000, made out to a
named service and organisation, in Markdown or HTML.

It states compliance with the basic-statement requirements (クラウド基本言明要件に準拠して
…整備し，実装し，運用しています) only when every part of the 基本言明要件 is evidenced:
every H01–M11 judgement ○ (the control items genmei assesses), and a counted attestation
for each part genmei does not assess — ガバナンス基準, マネジメント基準 and the basic matters
of the 管理策基準 (mappings/basic-statement.yaml) — with no exception expired and no
attestation that fails to count (expired, dated after the as-of date, of the wrong kind,
or missing its independent review). Otherwise it carries no such sentence and lists what
stands in the way. Either way it says which part of the requirements genmei evidences,
and it is a draft: the judgements are proposals, and the statement is issued only after
the auditor's audit. In Markdown every name taken from the input is escaped."""

from dataclasses import dataclass

from ..vocabulary import ItemStatus, Standing
from .escape import markdown
from .evidence_dir import Options, StoredScan, date_text
from .html import environment
from .labels import PROPOSAL, STATUS, judgement, rationale, reason, scope_text

FORMATS = ("md", "html")
PLACEHOLDER_REPRESENTATIVE = {"ja": "代表取締役社長 ○○ ○○", "en": "President and Representative Director ○○ ○○"}

# Seed 000, 基本言明書(例): the body and the ten assertions, in three groups and a closing one.
ASSERTIONS = {
    "ja": [
        ["利用者が使用する論理的領域は，その利用者以外のアクセスから保護されていること",
         "利用者が使用する論理的領域は，その利用者の合理的な要求に従って漏れなく正確に処理又は保存されていること",
         "利用者が使用する論理的領域は，その利用者が要求した時に約定した範囲で使用が可能であること"],
        ["利用者が扱う情報は，その利用者以外のアクセスから保護されていること",
         "利用者が扱う情報は，その利用者の合理的な要求に従って漏れなく正確に処理又は保存されていること",
         "利用者が扱う情報は，その利用者が要求した時に約定した範囲で使用が可能であること"],
        ["当社が扱う利用者に関する情報は，未承認又は不正なアクセスから保護されていること",
         "当社が扱う利用者に関する情報は，業務上の合理的な必要に応じて漏れなく正確に処理又は保存されていること",
         "当社が扱う利用者に関する情報は，業務の必要に応じて要求した時に約定した範囲で使用が可能であること"],
        ["以上の事項に関して，その利用者に対し必要な説明が可能であること"],
    ],
    "en": [
        ["The logical areas a customer uses are protected from access by anyone other than that customer",
         "The logical areas a customer uses are processed or stored completely and accurately according to the customer's reasonable requests",
         "The logical areas a customer uses are available, within the agreed scope, when the customer requests them"],
        ["The information a customer handles is protected from access by anyone other than that customer",
         "The information a customer handles is processed or stored completely and accurately according to the customer's reasonable requests",
         "The information a customer handles is available, within the agreed scope, when the customer requests it"],
        ["Information about customers that we handle is protected from unapproved or unauthorised access",
         "Information about customers that we handle is processed or stored completely and accurately as reasonably required by the business",
         "Information about customers that we handle is available, within the agreed scope, when required by the business"],
        ["We can give each customer the explanations it needs on the matters above"],
    ],
}
TEXT = {
    "ja": {
        "title": "{service}提供業務の情報セキュリティに関する言明",
        "draft": "草案", "end": "以上",
        "body": "当社は，{service}提供業務を実施するにあたり，クラウド基本言明要件に準拠して，{service}に供するシステム環境における"
                "顧客が保有するシステム及びその管理のために当社が取り扱う情報に対する情報セキュリティ対策を，以下の通り整備し，実装し，運用しています。",
        "blocked": "この草案は，現時点では基本言明要件への準拠を言明できない。genmei の評価では，次の事項が言明を妨げている。"
                   "これらを解消し，監査人の監査を経るまで，言明書として発行しないこと。",
        "obstacles": "言明を妨げている事項",
        "risk_obstacle": "{id} {name}: 判断 {judgement} — {basis}",
        "exception_obstacle": "例外 {id} ({check}) は {expires} に期限切れ(承認者 {approver})",
        "attestation_obstacle": "{subject} の証明({evidence_ref}, {attested_by})は数えない: {why}",
        "part_obstacle": "{name}({items}項目): {reason}",
        "ready_note": "基本言明要件のすべての部分に証跡があり(H01–M11 の判断はすべて ○，その他の部分は有効な証明あり)，期限切れの例外・数えない証明はない。この文面は監査人の監査を経て発行する。",
        "coverage": "genmei が評価するのは基本言明要件のうち管理策基準の H01–M11 に対応する項目(付表の {n} 項目)である。"
                    "その他の部分は事業者の証明による: {parts}。",
        "part_status": "{name} {items}項目 — {status}",
        "item_subject": "項番 {item}", "part_subject": "{name}",
        "basis": "評価の要約(genmei による提案)", "no": "番号", "risk": "リスク", "judgement": "判断",
        "scope": "評価の範囲: {scanned}({regions})の構成,{collected} 取得,判定基準日 {as_of}。",
        "filter_obstacle": "このスキャンは一部のチェックだけを実行した(--checks/--skip-checks)。対象外としたチェック: {skipped}。"
                           "すべてのチェックを実行したスキャンでなければ準拠を言明できない",
        "digests": "スナップショット sha256 {snapshot} / evidence.json sha256 {evidence} / genmei {version}",
        "unofficial": "",
    },
    "en": {
        "title": "Statement on the information security of the {service} service",
        "draft": "DRAFT", "end": "End",
        "body": "In providing the {service} service, we have designed, implemented and operate, in compliance with the JASA cloud "
                "basic-statement requirements (クラウド基本言明要件), the information security measures for the systems our customers "
                "hold in the system environment used for {service} and for the information we handle to manage them, as follows.",
        "blocked": "This draft cannot yet state compliance with the basic-statement requirements. In genmei's assessment the "
                   "matters below stand in the way. Do not issue it as a statement until they are resolved and the auditor has audited it.",
        "obstacles": "What stands in the way",
        "risk_obstacle": "{id} {name}: judgement {judgement} — {basis}",
        "exception_obstacle": "exception {id} ({check}) expired on {expires} (approver {approver})",
        "attestation_obstacle": "the attestation of {subject} ({evidence_ref}, {attested_by}) does not count: {why}",
        "part_obstacle": "{name} ({items} items): {reason}",
        "ready_note": "Every part of the basic-statement requirements is evidenced (every H01–M11 judgement ○, a counted attestation "
                      "for every other part) and no exception has expired nor attestation failed to count. Issue after the auditor's audit.",
        "coverage": "genmei assesses the control items of the basic-statement requirements that the risks H01–M11 cite "
                    "({n} items in seed 004). The other parts rest on the provider's attestation: {parts}.",
        "part_status": "{name}, {items} items — {status}",
        "item_subject": "item {item}", "part_subject": "{name}",
        "basis": "Summary of the assessment (proposed by genmei)", "no": "No.", "risk": "Risk", "judgement": "Judgement",
        "scope": "Scope: configuration of {scanned} ({regions}), collected {collected}, judged as of {as_of}.",
        "filter_obstacle": "this scan ran only some of the checks (--checks/--skip-checks); left out: {skipped}. "
                           "Only a scan that ran every check can support a statement of compliance",
        "digests": "snapshot sha256 {snapshot} / evidence.json sha256 {evidence} / genmei {version}",
        "unofficial": "English rendering of the JASA sample statement (seed 000); the Japanese text is authoritative.",
    },
}


@dataclass
class Draft:
    lang: str
    title: str
    date: str
    organisation: str
    representative: str
    ready: bool
    body: str | None
    assertions: list[list[str]] | None
    obstacles: list[str]
    summary: list[dict]
    notes: list[str]
    T: dict


def obstacles(scan: StoredScan, lang: str, esc=str) -> list[str]:
    """Everything that keeps the statement from being made: a risk not ○, a part of the
    requirements not evidenced, an expired exception, an attestation that does not count.
    `esc` escapes the values taken from the input (Markdown)."""
    T, ev = TEXT[lang], scan.evidence
    out = [T["filter_obstacle"].format(skipped=", ".join(ev["filter"]["skipped"]))] if ev.get("filter") else []
    out += [T["risk_obstacle"].format(id=r["id"], name=r["name"][lang], judgement=judgement(r, lang), basis=rationale(r, lang))
           for r in scan.basic_risks() if r["judgement"] != "○"]
    out += [T["part_obstacle"].format(name=p["name"][lang], items=p["items"], reason=esc(reason(p, lang)))
            for p in ev["requirements"] if p["evidenced_by"] == "attestation" and p["status"] != ItemStatus.ATTESTED]
    out += [T["exception_obstacle"].format(id=esc(e["id"]), check=esc(e["check"]), expires=e["expires"], approver=esc(e["approver"]))
            for e in ev["exceptions"] if e["expired"]]
    out += [T["attestation_obstacle"].format(subject=_subject(scan, a, lang), evidence_ref=esc(a["evidence_ref"]),
                                             attested_by=esc(a["attested_by"]),
                                             why=a["standing_reason_ja"] if lang == "ja" else a["standing_reason"])
            for a in ev["attestations"] if a["standing"] not in (Standing.COUNTED, Standing.SUPPLEMENTARY, Standing.NOT_NEEDED)]
    return out


def _subject(scan: StoredScan, a: dict, lang: str) -> str:
    T = TEXT[lang]
    if a["item"]:
        return T["item_subject"].format(item=a["item"])
    return T["part_subject"].format(name=scan.catalog.part(a["part"])["name"][lang])


def coverage(scan: StoredScan, lang: str) -> str:
    """Which part of the 基本言明要件 genmei evidences, and how the others stand."""
    T = TEXT[lang]
    assessed = next(p for p in scan.evidence["requirements"] if p["evidenced_by"] == "assessment")
    others = [T["part_status"].format(name=p["name"][lang], items=p["items"], status=STATUS[lang][p["status"]])
              for p in scan.evidence["requirements"] if p["evidenced_by"] == "attestation"]
    return T["coverage"].format(n=assessed["items"], parts=("、" if lang == "ja" else "; ").join(others))


def draft(scan: StoredScan, opts: Options, esc=str) -> Draft:
    lang, T, ev = opts.lang, TEXT[opts.lang], scan.evidence
    snap = ev["snapshot"]
    blocking = obstacles(scan, lang, esc)
    ready = not blocking
    notes = [PROPOSAL[lang], T["ready_note"] if ready else T["blocked"], coverage(scan, lang),
             T["scope"].format(scanned=esc(scope_text(snap, lang)),
                               regions=esc(", ".join(snap.get("regions", []))), collected=esc(snap["collected_at"]),
                               as_of=ev["as_of"]),
             T["digests"].format(snapshot=ev["snapshot_sha256"], evidence=scan.evidence_sha256, version=ev["tool"]["version"])]
    if T["unofficial"]:
        notes.append(T["unofficial"])
    service = esc(opts.service)
    return Draft(
        lang=lang, title=T["title"].format(service=service), date=date_text(opts.issued(scan), lang),
        organisation=esc(opts.organisation), representative=esc(opts.representative or PLACEHOLDER_REPRESENTATIVE[lang]),
        ready=ready, body=T["body"].format(service=service) if ready else None,
        assertions=ASSERTIONS[lang] if ready else None, obstacles=blocking,
        summary=[{"id": r["id"], "name": r["name"][lang], "judgement": judgement(r, lang), "mark": r["judgement"]}
                 for r in scan.basic_risks()],
        notes=notes, T=T,
    )


def render_markdown(d: Draft) -> str:
    T = d.T
    lines = [f"# {d.title}({T['draft']})" if d.lang == "ja" else f"# {d.title} ({T['draft']})", "",
             d.date, "", f"{d.organisation}  ", d.representative, ""]
    if d.ready:
        lines += [d.body, ""]
        for group in d.assertions:
            lines += [f"- {a}" for a in group] + [""]
        lines += [T["end"], ""]
    else:
        lines += [f"> {T['blocked']}", "", f"## {T['obstacles']}", ""]
        lines += [f"- {o}" for o in d.obstacles] + [""]
    lines += ["---", "", f"## {T['basis']}", "", f"| {T['no']} | {T['risk']} | {T['judgement']} |", "|---|---|---|"]
    lines += [f"| {s['id']} | {s['name']} | {s['judgement']} |" for s in d.summary]
    lines += [""] + [f"- {n}" for n in d.notes]
    return "\n".join(lines) + "\n"


def render(scan: StoredScan, opts: Options, fmt: str) -> bytes:
    if fmt == "md":
        return render_markdown(draft(scan, opts, markdown)).encode("utf-8")
    d = draft(scan, opts)  # Jinja2 autoescapes every value in HTML
    return environment().get_template("statement.html.j2").render(d=d, T=d.T).encode("utf-8")
