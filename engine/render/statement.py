"""A draft 基本言明書 (basic statement) following the sample in seed 000, made out to a
named service and organisation, in Markdown or HTML.

It states compliance with the basic-statement requirements (クラウド基本言明要件に準拠して
…整備し，実装し，運用しています) only when every H01–M11 judgement is ○ and no exception
or attestation in the evidence has expired. Otherwise it carries no such sentence and
lists what stands in the way: each risk that is not ○ with its 判断の根拠, and each
expired exception or attestation. Either way it is a draft: the judgements are
proposals, and the statement is issued only after the auditor's audit."""

from dataclasses import dataclass

from .evidence_dir import Options, StoredScan, date_text
from .html import environment
from .labels import PROPOSAL, judgement, rationale

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
        "attestation_obstacle": "項番 {item} の証明({evidence_ref}, {attested_by})は {expires} に期限切れ",
        "ready_note": "H01–M11 のすべての判断が ○ で，期限切れの例外・証明はない。この文面は監査人の監査を経て発行する。",
        "basis": "評価の要約(genmei による提案)", "no": "番号", "risk": "リスク", "judgement": "判断",
        "scope": "評価の範囲: {provider} アカウント {account}({regions})の構成,{collected} 取得,判定基準日 {as_of}。",
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
        "attestation_obstacle": "the attestation of item {item} ({evidence_ref}, {attested_by}) expired on {expires}",
        "ready_note": "Every H01–M11 judgement is ○ and no exception or attestation has expired. Issue after the auditor's audit.",
        "basis": "Summary of the assessment (proposed by genmei)", "no": "No.", "risk": "Risk", "judgement": "Judgement",
        "scope": "Scope: configuration of {provider} account {account} ({regions}), collected {collected}, judged as of {as_of}.",
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


def obstacles(scan: StoredScan, lang: str) -> list[str]:
    """Everything that keeps the statement from being made: non-○ risks, expired exceptions and attestations."""
    T = TEXT[lang]
    out = [T["risk_obstacle"].format(id=r["id"], name=r["name"][lang], judgement=judgement(r, lang), basis=rationale(r, lang))
           for r in scan.basic_risks() if r["judgement"] != "○"]
    out += [T["exception_obstacle"].format(**e) for e in scan.evidence["exceptions"] if e["expired"]]
    out += [T["attestation_obstacle"].format(**a) for a in scan.evidence["attestations"] if a["expired"]]
    return out


def draft(scan: StoredScan, opts: Options) -> Draft:
    lang, T, ev = opts.lang, TEXT[opts.lang], scan.evidence
    snap = ev["snapshot"]
    blocking = obstacles(scan, lang)
    ready = not blocking
    notes = [PROPOSAL[lang], T["ready_note"] if ready else T["blocked"],
             T["scope"].format(provider=snap["provider"], account=snap["account"], regions=", ".join(snap.get("regions", [])),
                               collected=snap["collected_at"], as_of=ev["as_of"]),
             T["digests"].format(snapshot=ev["snapshot_sha256"], evidence=scan.evidence_sha256, version=ev["tool"]["version"])]
    if T["unofficial"]:
        notes.append(T["unofficial"])
    return Draft(
        lang=lang, title=T["title"].format(service=opts.service), date=date_text(opts.issued(scan), lang),
        organisation=opts.organisation, representative=opts.representative or PLACEHOLDER_REPRESENTATIVE[lang],
        ready=ready, body=T["body"].format(service=opts.service) if ready else None,
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
    d = draft(scan, opts)
    if fmt == "md":
        return render_markdown(d).encode("utf-8")
    return environment().get_template("statement.html.j2").render(d=d, T=d.T).encode("utf-8")
