"""Roll results up to management-criteria items and to the risks H01–L21.

Per item: satisfied / not_satisfied / waived / not_evaluated / not_applicable /
attested / inherited, with the results and attestations behind it. Per risk: a
proposed judgement ○ / × / 未評価 with a generated 判断の根拠. Proposals only: the
provider and the auditor make the final judgement.

Rules, conservative on purpose:
- any FAIL behind an item → not_satisfied; a waived FAIL → waived, which is not ○;
- NOT_EVALUATED or ERROR behind an item, or a missing attestation where one is
  required (partial, manual, inherited), → not_evaluated;
- a risk is ○ only when every item it cites is satisfied, attested, inherited or
  not applicable, and at least one is not merely not applicable.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from .attestations import Attestation
from .catalog import Catalog
from .checks import Check

JUDGEMENT_EN = {"○": "satisfied", "×": "not satisfied", "未評価": "not evaluated"}
RESULT_STATUS_JA = {"PASS": "合格", "FAIL": "不合格", "WAIVED": "例外承認", "NOT_EVALUATED": "未評価", "ERROR": "エラー"}
STATUS_JA = {
    "satisfied": "充足", "not_satisfied": "不充足", "waived": "例外承認", "not_evaluated": "未評価",
    "not_applicable": "対象なし", "attested": "証明済", "inherited": "継承",
}


@dataclass
class Assessment:
    items: dict[str, dict]
    risks: dict[str, dict]


def _check_part(results: list[dict]) -> str:
    statuses = Counter(r["status"] for r in results)
    if statuses["FAIL"]:
        return "not_satisfied"
    if statuses["ERROR"] or statuses["NOT_EVALUATED"]:
        return "not_evaluated"
    if statuses["WAIVED"]:
        return "waived"
    if statuses["PASS"]:
        return "satisfied"
    return "not_applicable"


def assess_item(item: dict, checks: list[Check], results: list[dict], attestations: list[Attestation], today: date) -> dict:
    evidence = item["evidence"]
    valid = [a for a in attestations if a.expires >= today]
    expired = [a for a in attestations if a.expires < today]
    part = _check_part(results) if checks else None
    counts = Counter(r["status"] for r in results)
    # Every reason is decided here, in English and Japanese, so no rendering re-derives the rules.
    expired_note = ((f"; attestation expired on {expired[0].expires.isoformat()}",
                     f"(証明は {expired[0].expires.isoformat()} に期限切れ)") if expired and not valid else ("", ""))

    if evidence in ("manual", "inherited") or (evidence == "partial" and part != "not_satisfied"):
        if not valid:
            en, ja = {
                "manual": ("an attestation is required (organisational control)", "証明が必要(組織的管理策)"),
                "inherited": ("the hyperscaler's attestation (ISMAP / SOC 2 / ISO 27001/27017 report) is required",
                              "クラウド事業者の証明(ISMAP / SOC 2 / ISO 27001・27017 の報告書)が必要"),
                "partial": ("checks cover part of this item; an attestation for the rest is missing",
                            "チェックは項目の一部のみを確認する。残りの部分の証明がない"),
            }[evidence]
            status, reason = "not_evaluated", (en + expired_note[0], ja + expired_note[1])
        elif part in (None, "not_applicable"):
            status = "inherited" if evidence == "inherited" else "attested"
            reason = (f"attested by {valid[0].attested_by} ({valid[0].evidence_ref})",
                      f"証明: {valid[0].attested_by} ({valid[0].evidence_ref})")
        elif part == "satisfied":
            status = "satisfied"
            reason = (f"checks pass and attested by {valid[0].attested_by}",
                      f"チェック合格 ({_counts_ja(counts)})、{valid[0].attested_by} による証明あり")
        else:
            status, reason = part, _check_reason(part, counts)
    elif part is None:
        if valid:
            status = "attested"
            reason = (f"no check implements this item yet; attested by {valid[0].attested_by}",
                      f"この項目を実装するチェックはまだない。証明: {valid[0].attested_by} ({valid[0].evidence_ref})")
        else:
            status = "not_evaluated"
            reason = ("no check implements this item yet and no attestation was given" + expired_note[0],
                      "この項目を実装するチェックがまだなく、証明もない" + expired_note[1])
    else:
        status, reason = part, _check_reason(part, counts)

    return {
        "id": item["id"],
        "status": status,
        "status_ja": STATUS_JA[status],
        "evidence_class": evidence,
        "reason": reason[0],
        "reason_ja": reason[1],
        "checks": [c.id for c in checks],
        "counts": {k: counts[k] for k in sorted(counts)},
        "results": [r["id"] for r in results],
        "attestations": [a.summary(today) for a in attestations],
    }


_RESULT_ORDER = ("FAIL", "ERROR", "NOT_EVALUATED", "WAIVED", "PASS")


def _counts_ja(counts: Counter) -> str:
    return "、".join(f"{RESULT_STATUS_JA[s]} {counts[s]}" for s in _RESULT_ORDER if counts[s])


def _check_reason(part: str, counts: Counter) -> tuple[str, str]:
    text = ", ".join(f"{counts[s]} {s}" for s in _RESULT_ORDER if counts[s])
    ja = _counts_ja(counts)
    return {
        "not_satisfied": (f"failing resources: {text}", f"不合格のリソースがある ({ja})"),
        "not_evaluated": (f"not every resource could be evaluated: {text}", f"評価できなかったリソースがある ({ja})"),
        "waived": (f"failures accepted under exceptions: {text}", f"不合格は例外として承認されている ({ja})"),
        "satisfied": (f"all resources pass: {text}", f"すべてのリソースが合格 ({ja})"),
        "not_applicable": ("no resources of the checked types in the snapshot", "スナップショットにチェック対象の種類のリソースがない"),
    }[part]


def assess(catalog: Catalog, checks: list[Check], results: list[dict], attestations: list[Attestation], today: date) -> Assessment:
    checks_by_item: dict[str, list[Check]] = {}
    for c in checks:
        for item in c.criteria:
            checks_by_item.setdefault(item, []).append(c)
    results_by_check: dict[str, list[dict]] = {}
    for r in results:
        results_by_check.setdefault(r["check"], []).append(r)
    att_by_item: dict[str, list[Attestation]] = {}
    for a in attestations:
        att_by_item.setdefault(a.item, []).append(a)

    items = {}
    for item_id, item in catalog.items.items():
        cs = checks_by_item.get(item_id, [])
        rs = [r for c in cs for r in results_by_check.get(c.id, [])]
        items[item_id] = assess_item(item, cs, rs, att_by_item.get(item_id, []), today)

    risks = {r["id"]: judge_risk(r, catalog.risk_items(r["id"]), items) for r in catalog.risks}
    return Assessment(items=items, risks=risks)


def judge_risk(risk: dict, item_ids: list[str], items: dict[str, dict]) -> dict:
    statuses = Counter(items[i]["status"] for i in item_ids)
    if not item_ids:
        judgement = "未評価"
    elif statuses["not_satisfied"] or statuses["waived"]:
        judgement = "×"
    elif statuses["not_evaluated"] or set(statuses) <= {"not_applicable"}:
        judgement = "未評価"
    else:
        judgement = "○"
    residual = []
    for layer in risk["layers"]:
        for text in layer.get("residual_risks_ja", []):
            if text not in residual:
                residual.append(text)
    return {
        "id": risk["id"],
        "name": risk["name"],
        "level": risk["level"],
        "basic_statement": risk["basic_statement"],
        "judgement": judgement,
        "judgement_en": JUDGEMENT_EN[judgement],
        "rationale": _rationale_ja(judgement, item_ids, items, statuses),
        "rationale_en": _rationale_en(judgement, item_ids, items, statuses),
        "counts": {s: statuses[s] for s in sorted(statuses)},
        "items": {i: {"status": items[i]["status"], "results": items[i]["results"], "reason": items[i]["reason"]} for i in item_ids},
        "residual_risks_ja": residual,
    }


def _listed(item_ids, items, status, limit=6) -> str:
    hits = [i for i in item_ids if items[i]["status"] == status]
    shown = ", ".join(hits[:limit])
    return shown + (f" ほか{len(hits) - limit}件" if len(hits) > limit else "")


def _rationale_ja(judgement, item_ids, items, statuses) -> str:
    if not item_ids:
        return "未評価: 言明書の元資料(付表)はこのリスクに対応する管理基準項番を示していない。"
    parts = [f"対応する管理基準 {len(item_ids)}項目のうち"]
    for status in ("not_satisfied", "waived", "not_evaluated", "satisfied", "attested", "inherited", "not_applicable"):
        if statuses[status]:
            parts.append(f"{STATUS_JA[status]} {statuses[status]}件 ({_listed(item_ids, items, status)})")
    head = {"○": "○: すべての項目が充足・証明済・継承のいずれか。", "×": "×: 不充足または例外承認による不適合がある。",
            "未評価": "未評価: 証跡が不足している項目がある。"}[judgement]
    return head + " " + "、".join(parts[:1]) + " " + "、".join(parts[1:]) + "。"


def _rationale_en(judgement, item_ids, items, statuses) -> str:
    if not item_ids:
        return "not evaluated: seed 004 cites no criteria item for this risk."
    parts = []
    for status in ("not_satisfied", "waived", "not_evaluated", "satisfied", "attested", "inherited", "not_applicable"):
        if statuses[status]:
            parts.append(f"{statuses[status]} {status.replace('_', ' ')}")
    return f"{JUDGEMENT_EN[judgement]}: of {len(item_ids)} criteria items, " + ", ".join(parts) + "."
