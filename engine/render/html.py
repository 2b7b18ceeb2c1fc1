"""The HTML report: one self-contained page (inline CSS, no script, no external asset; a
Content-Security-Policy forbids loading any) with the H01–M11 overview, drill-down to
criteria items, checks and resources, collection gaps and NOT_EVALUATED reasons,
exceptions and attestations with their standing, and the parts of the 基本言明要件.
Rendered with Jinja2 from engine/render/templates/report.html.j2 (autoescaped); every
count comes from the assessment in the evidence, none is re-counted here."""

from functools import lru_cache
from pathlib import Path

import jinja2

from .evidence_dir import Options, StoredScan, date_text
from ..vocabulary import ITEM_ORDER, SUMMARY_ORDER, Standing, Status
from .labels import (LEVEL, PROPOSAL, RESULT_STATUS, SCOPE, STANDING, STATUS, describe_risk, gaps_by_source, how_evidenced,
                     judgement, rationale, reason, resource_label, scope_text)

FORMATS = ("html",)
TEMPLATES = Path(__file__).parent / "templates"
JUDGEMENT_CLASS = {"○": "ok", "×": "ng", "未評価": "na"}

TEXT = {
    "ja": {
        "title": "JASA 基本言明要件 評価レポート", "target": "対象", "issued": "作成日", "scan": "スキャン",
        "overview": "H01–M11 の判断(基本言明の対象)", "outside": "L12–L21(基本言明の対象外)",
        "no": "番号", "risk": "リスク", "level": "レベル", "judgement": "判断", "results": "チェック結果",
        "risks_detail": "リスクごとの詳細", "basis": "判断の根拠", "explanation": "確認した事項と結果",
        "residual": "残留リスク(付表)", "item_list": "管理基準の項目", "item": "項番", "criterion": "管理基準",
        "evidenced": "証跡の種類", "status": "状態", "reason": "理由", "checks": "チェック", "resources": "リソースごとの結果",
        "resource": "リソース", "type": "種類", "region": "リージョン", "result": "結果", "iso": "ISO/IEC 27001:2022",
        "iso17": "ISO/IEC 27017:2015", "attestation": "証明",
        "failures": "不合格・例外承認・エラー", "remediation": "是正", "severity": "重大度",
        "gaps": "収集できなかった範囲と未評価の理由", "gap_list": "収集ギャップ", "scope": "範囲", "service": "サービス",
        "hidden": "隠れたリソース種別", "error": "エラー", "not_evaluated": "未評価の結果",
        "exceptions": "例外(ウェイバー)", "owner": "責任者", "approver": "承認者", "expires": "有効期限",
        "state": "状態", "expired": "期限切れ", "valid": "有効", "attestations": "証明(アテステーション)",
        "kind": "種類", "statement": "内容", "attested_by": "証明者", "attested_on": "証明日", "evidence_ref": "証跡",
        "catalog_checks": "チェック一覧", "none": "なし", "supporting": "判断に影響しない補助証跡",
        "requirements": "基本言明要件の部分と証跡", "part": "部分", "items_n": "項目数", "evidenced_by": "証跡の方法",
        "standing": "状態の理由", "reviewed_by": "レビュー者", "report": "報告書(対象期間)", "document": "文書sha256",
        "digests": "ダイジェスト", "account": "アカウント", "source": "取得元",
        "filter": "チェックの絞り込み", "filter_note": "このスキャンで対象外としたチェック(未評価として扱う):", "resources_n": "リソース数", "collected": "取得日時",
        "as_of": "判定基準日",
    },
    "en": {
        "title": "JASA basic-statement assessment report", "target": "Service", "issued": "Issued", "scan": "Scan",
        "overview": "Judgements H01–M11 (basic statement)", "outside": "L12–L21 (outside the basic statement)",
        "no": "No.", "risk": "Risk", "level": "Level", "judgement": "Judgement", "results": "Check results",
        "risks_detail": "Risks in detail", "basis": "Basis of the judgement", "explanation": "What was checked and found",
        "residual": "Residual risks (seed 004)", "item_list": "Criteria items", "item": "Item", "criterion": "Criterion",
        "evidenced": "Evidenced by", "status": "Status", "reason": "Reason", "checks": "Checks", "resources": "Results per resource",
        "resource": "Resource", "type": "Type", "region": "Region", "result": "Result", "iso": "ISO/IEC 27001:2022",
        "iso17": "ISO/IEC 27017:2015", "attestation": "Attestation",
        "failures": "Failures, waivers and errors", "remediation": "Remediation", "severity": "Severity",
        "gaps": "Collection gaps and reasons for NOT_EVALUATED", "gap_list": "Collection gaps", "scope": "Scope",
        "service": "Service", "hidden": "Hidden resource types", "error": "Error", "not_evaluated": "Results not evaluated",
        "exceptions": "Exceptions (waivers)", "owner": "Owner", "approver": "Approver", "expires": "Expires",
        "state": "State", "expired": "expired", "valid": "valid", "attestations": "Attestations",
        "kind": "Kind", "statement": "Statement", "attested_by": "Attested by", "attested_on": "Attested on",
        "evidence_ref": "Evidence", "catalog_checks": "Checks", "none": "none",
        "supporting": "Supporting evidence that moves no judgement",
        "requirements": "Parts of the basic-statement requirements", "part": "Part", "items_n": "Items",
        "evidenced_by": "Evidenced by", "standing": "Why", "reviewed_by": "Reviewed by", "report": "Report (period)",
        "document": "Document sha256",
        "digests": "Digests", "account": "account", "source": "Source",
        "filter": "Check filter", "filter_note": "checks left out of this scan (treated as not evaluated):", "resources_n": "Resources", "collected": "Collected at",
        "as_of": "Judged as of",
    },
}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _risk_view(scan: StoredScan, risk: dict, lang: str) -> dict:
    cw = scan.crosswalk
    items = []
    for item_id, entry in risk["items"].items():
        item = scan.evidence["items"][item_id]
        items.append({
            "id": item_id, "text": scan.item_text(item_id, lang, risk["id"]), "status": entry["status"],
            "status_label": STATUS[lang][entry["status"]], "evidenced": how_evidenced(item, lang),
            "reason": reason(entry, lang), "checks": entry["checks"],
            "attestations": [_attestation_view(a, lang) for a in item.get("attestations", [])],
            "iso": cw.iso27001(item_id), "iso17": cw.iso27017(item_id),
            "results": [_result_view(scan, r, lang) for r in scan.item_results(item_id, risk)],
        })
    return {
        "id": risk["id"], "name": risk["name"][lang], "level": LEVEL[lang][risk["level"]],
        "scope": SCOPE[lang][risk["basic_statement"]], "judgement": judgement(risk, lang),
        "mark": risk["judgement"], "css": JUDGEMENT_CLASS[risk["judgement"]], "rationale": rationale(risk, lang),
        "explanation": describe_risk(scan, risk, lang, limit=5), "residual": risk.get("residual_risks_ja", []),
        "counts": {c: risk["counts"].get(c, 0) for c in ITEM_ORDER}, "rows": items,
        "result_counts": risk["result_counts"],
        "supporting": [_result_view(scan, r, lang) for r in scan.supporting_results(risk)],
    }


def _attestation_view(a: dict, lang: str) -> dict:
    period = a["report"]["period"] if a["report"] else None
    return {**a, "subject": a["item"] or a["part"], "standing_label": STANDING[lang][a["standing"]],
            "standing_text": a["standing_reason_ja"] if lang == "ja" else a["standing_reason"],
            "report_text": f"{a['report']['name']} ({period['from']}–{period['to']})" if period else "—",
            "ok": a["standing"] == Standing.COUNTED}


def _result_view(scan: StoredScan, r: dict, lang: str) -> dict:
    check = scan.checks_by_id.get(r["check"], {})
    return {
        "id": r["id"], "check": r["check"], "check_title": scan.check_title(r["check"], lang),
        "resource": resource_label(r), "type": r.get("resource_type") or "—", "region": r.get("region") or "—",
        "status": r["status"], "status_label": RESULT_STATUS[lang][r["status"]], "reason": reason(r, lang),
        "severity": r["severity"], "criteria": r["criteria"], "risks": r["risks"],
        "remediation": (check.get("remediation") or {}).get(lang, ""),
    }


def context(scan: StoredScan, opts: Options) -> dict:
    ev, lang = scan.evidence, opts.lang
    snap = ev["snapshot"]
    if opts.service or opts.organisation:
        target = " ".join(x for x in (opts.service, f"({opts.organisation})" if opts.organisation else "") if x)
    else:
        target = scope_text(snap, lang)
    return {
        "lang": lang, "T": TEXT[lang], "proposal": PROPOSAL[lang], "target": target,
        "issued": date_text(opts.issued(scan), lang), "ev": ev, "snap": snap, "evidence_sha256": scan.evidence_sha256,
        "basic": [_risk_view(scan, r, lang) for r in scan.basic_risks()],
        "outside": [_risk_view(scan, r, lang) for r in ev["outside_basic_statement"].values()],
        "item_columns": [(c.value, STATUS[lang][c]) for c in ITEM_ORDER],
        "result_columns": [(c.value, RESULT_STATUS[lang][c]) for c in SUMMARY_ORDER],
        "failures": [_result_view(scan, r, lang) for r in ev["results"] if r["status"] in (Status.FAIL, Status.WAIVED, Status.ERROR)],
        "not_evaluated": [_result_view(scan, r, lang) for r in ev["results"] if r["status"] == Status.NOT_EVALUATED],
        "gaps": [{**g, "scope": f"{source}: {g.get('scope')}" if source else g.get("scope")}
                 for source, g in gaps_by_source(snap)],
        "scanned": scope_text(snap, lang), "filter": ev.get("filter"), "exceptions": ev["exceptions"],
        "attestations": [_attestation_view(a, lang) for a in ev["attestations"]],
        "requirements": [{**p, "name_label": p["name"][lang], "status_label": STATUS[lang][p["status"]],
                          "reason_text": reason(p, lang)} for p in ev["requirements"]],
        "checks": [{"id": c["id"], "title": c["title"][lang], "severity": c["severity"], "criteria": c["criteria"],
                    "risks": c["risks"]} for c in ev["checks"]],
    }


def render(scan: StoredScan, opts: Options, fmt: str) -> bytes:
    return environment().get_template("report.html.j2").render(**context(scan, opts)).encode("utf-8")
