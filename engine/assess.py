"""Roll results and attestations up to management-criteria items, risks H01–L21 and the
parts of the 基本言明要件.

Attribution is per risk: a result counts toward a risk only where its check declares
that risk (METADATA `risks`) and the risk cites the item (seed 004). So an item's status
is decided per (risk, item) — under M09, 6.8.1.8 (cryptography) is judged by the transit
checks only, never by encryption at rest, which the checks declare for M07. A check that
declares a risk but none of its items is supporting evidence: shown with the risk, it
moves no judgement. Each item also gets one status over all its risks (for the SoA and
OSCAL), from every check counted for it under any risk.

Rules, conservative on purpose (a wrong ○ or × costs more than a missing one):
- any FAIL behind an item → not_satisfied; a waived FAIL → waived, which is not ○;
- NOT_EVALUATED or ERROR behind an item → not_evaluated;
- automated items are judged by their checks alone; every other class needs a counted
  attestation of the right kind (engine/attestations.py), partial items their checks
  passing *and* the provider's attestation; an item no check evidences is never judged
  by a check, and its reason says so;
- a risk is ○ only when every item it cites is satisfied, attested or inherited (not
  applicable is neutral), and at least one is not merely not applicable; a risk with
  an item not satisfied or waived is ×; otherwise 未評価.
Proposals only: the provider and the auditor make the final judgement.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from .attestations import Attestation, AttestationStanding, standing_in
from .catalog import Catalog
from .checks import Check
from .vocabulary import (ITEM_ORDER, ITEM_STATUS_LABEL, JUDGEMENT_LABEL, RESULT_ORDER, STATUS_LABEL,
                         AttestationKind, EvidenceClass, ItemStatus, Judgement, Standing, Status)


@dataclass
class Assessment:
    items: dict[str, dict]      # 項番 → the item over all its risks
    risks: dict[str, dict]      # H01–L21 → judgement, and per item the status for this risk
    requirements: list[dict]    # the parts of the 基本言明要件 and how each is evidenced
    attestations: list[dict]    # every attestation given, with whether it counts and why


@dataclass(frozen=True)
class _Index:
    """What every (risk, item) judgement reads, built once per assessment."""

    counts: dict[str, Counter]           # check id → result statuses
    result_ids: dict[str, list[str]]     # check id → its results, in evidence order
    attestations: dict[str, list[tuple[Attestation, AttestationStanding, dict]]]  # item → (attestation, standing, summary)


def _counts_text(counts: Counter, lang: str) -> str:
    if lang == "ja":
        return "、".join(f"{STATUS_LABEL['ja'][s]} {counts[s]}" for s in RESULT_ORDER if counts[s])
    return ", ".join(f"{counts[s]} {s}" for s in RESULT_ORDER if counts[s])


def _check_part(counts: Counter) -> ItemStatus:
    if counts[Status.FAIL]:
        return ItemStatus.NOT_SATISFIED
    if counts[Status.ERROR] or counts[Status.NOT_EVALUATED]:
        return ItemStatus.NOT_EVALUATED
    if counts[Status.WAIVED]:
        return ItemStatus.WAIVED
    if counts[Status.PASS]:
        return ItemStatus.SATISFIED
    return ItemStatus.NOT_APPLICABLE


def _check_reason(part: ItemStatus, counts: Counter) -> tuple[str, str]:
    en, ja = _counts_text(counts, "en"), _counts_text(counts, "ja")
    return {
        ItemStatus.NOT_SATISFIED: (f"failing resources: {en}", f"不合格のリソースがある({ja})"),
        ItemStatus.NOT_EVALUATED: (f"not every resource could be evaluated: {en}", f"評価できなかったリソースがある({ja})"),
        ItemStatus.WAIVED: (f"failures accepted under exceptions: {en}", f"不合格が例外として承認されている({ja})"),
        ItemStatus.SATISFIED: (f"all resources pass: {en}", f"すべてのリソースが合格({ja})"),
        ItemStatus.NOT_APPLICABLE: ("no resources of the checked types in the snapshot",
                                    "スナップショットにチェック対象の種類のリソースがない"),
    }[part]


def _why_not(attestations) -> tuple[str, str]:
    """Why the attestations given for an item do not count, for its reason."""
    shown = [(a, st) for a, st, _ in attestations if st.standing != Standing.COUNTED]
    if not shown:
        return "", ""
    en = "; ".join(f"{a.attested_by}: {st.reason}" for a, st in shown)
    ja = "。".join(f"{a.attested_by} の証明は数えない({st.reason_ja})" for a, st in shown)
    return f" (attestation given but not counted — {en})", f"。{ja}"


def _attested(a: Attestation) -> tuple[str, str]:
    where = f"{a.attested_by}, {a.evidence_ref}"
    if a.kind == AttestationKind.INHERITED:
        period = a.report["period"]
        report = f"{a.report['name']} {period['from']}–{period['to']}"
        return f"the hyperscaler's report {report} ({where})", f"クラウド基盤事業者の報告書 {report}({where})"
    return f"the provider's attestation ({where})", f"事業者の証明({where})"


def judge_item(item: dict, checks: list[Check], index: _Index, checked_elsewhere: bool) -> dict:
    """The status of one item from the given checks (those counted for one risk, or for
    any) and the item's attestations, with the reason in English and Japanese. The reason
    never mentions a check that does not exist; `checked_elsewhere` says that checks count
    for the item under other risks (but none under this one)."""
    cls = item["evidence"]
    counts: Counter = Counter()
    results: list[str] = []
    for c in checks:
        counts.update(index.counts.get(c.id, ()))
        results.extend(index.result_ids.get(c.id, ()))
    part = _check_part(counts) if checks else None
    atts = index.attestations.get(item["id"], [])
    counted = [a for a, st, _ in atts if st.standing == Standing.COUNTED]
    why_en, why_ja = _why_not(atts)
    scope_en, scope_ja = (" for this risk", "(このリスクについて)") if checked_elsewhere else ("", "")

    if cls == EvidenceClass.AUTOMATED:
        if part is None:
            status, en, ja = (ItemStatus.NOT_EVALUATED, f"no check evidences this item{scope_en}",
                              f"この項目を確認するチェックがない{scope_ja}")
        else:
            status = part
            en, ja = _check_reason(part, counts)
    elif part in (ItemStatus.NOT_SATISFIED, ItemStatus.WAIVED, ItemStatus.NOT_EVALUATED):
        # What the checks found decides first: an attestation never outweighs a failure or an unknown.
        status = part
        en, ja = _check_reason(part, counts)
    elif not counted:
        status = ItemStatus.NOT_EVALUATED
        need_en, need_ja = ({
            EvidenceClass.INHERITED: ("the hyperscaler's report (kind inherited: ISMAP / SOC 2 / ISO 27001・27017) is required",
                                      "クラウド基盤事業者の報告書(種類 inherited: ISMAP / SOC 2 / ISO 27001・27017)が必要"),
            EvidenceClass.MANUAL: ("the provider's attestation is required (organisational control)",
                                   "事業者の証明が必要(組織的管理策)"),
        }.get(cls) or ("the provider's attestation is required", "事業者の証明が必要"))
        if part is None and cls == EvidenceClass.PARTIAL:
            en, ja = (f"no check evidences this item{scope_en} yet; {need_en} for the whole item",
                      f"この項目を確認するチェックはまだない{scope_ja}。項目全体について{need_ja}")
        elif part == ItemStatus.SATISFIED:
            en = f"the checks pass ({_counts_text(counts, 'en')}) but cover only part of the item; {need_en} for the rest"
            ja = f"チェックは合格({_counts_text(counts, 'ja')})だが項目の一部しか確認しない。残りの部分について{need_ja}"
        elif part == ItemStatus.NOT_APPLICABLE:
            en = f"the checks found no resources of their types; {need_en}"
            ja = f"チェック対象の種類のリソースがない。{need_ja}"
        else:
            en, ja = need_en, need_ja
        en, ja = en + why_en, ja + why_ja
    else:
        by_en, by_ja = _attested(counted[0])
        if part == ItemStatus.SATISFIED:
            status = ItemStatus.SATISFIED
            en = f"the checks pass ({_counts_text(counts, 'en')}) and {by_en} covers the rest"
            ja = f"チェックは合格({_counts_text(counts, 'ja')})し、残りの部分は{by_ja}で確認した"
        else:
            status = ItemStatus.INHERITED if cls == EvidenceClass.INHERITED else ItemStatus.ATTESTED
            if part is None and cls == EvidenceClass.PARTIAL:
                en = f"no check evidences this item{scope_en} yet; {by_en} covers the whole item"
                ja = f"この項目を確認するチェックはまだない{scope_ja}。項目全体を{by_ja}で確認した"
            elif part == ItemStatus.NOT_APPLICABLE:
                en = f"the checks found no resources of their types; {by_en}"
                ja = f"チェック対象の種類のリソースがない。{by_ja}で確認した"
            else:
                en, ja = f"evidenced by {by_en}", f"{by_ja}で確認した"
    return {
        "status": status,
        "status_ja": ITEM_STATUS_LABEL["ja"][status],
        "reason": en,
        "reason_ja": ja,
        "attested_with": counted[0].kind if counted and status in (ItemStatus.SATISFIED, ItemStatus.ATTESTED,
                                                                   ItemStatus.INHERITED) and cls != EvidenceClass.AUTOMATED else None,
        "checks": [c.id for c in checks],
        "counts": {k: counts[k] for k in sorted(counts)},
        "results": results,
    }


def assess(catalog: Catalog, checks: list[Check], results: list[dict], attestations: list[Attestation],
           today: date) -> Assessment:
    counts: dict[str, Counter] = {}
    result_ids: dict[str, list[str]] = {}
    for r in results:
        cid = r["check"]
        if cid not in counts:
            counts[cid], result_ids[cid] = Counter(), []
        counts[cid][r["status"]] += 1
        result_ids[cid].append(r["id"])

    summaries, by_item, by_part = [], {}, {}
    for a in attestations:
        st = standing_in(catalog, a, today)
        s = a.summary(st)
        summaries.append(s)
        (by_item.setdefault(a.item, []) if a.item else by_part.setdefault(a.part, [])).append((a, st, s))
    index = _Index(counts=counts, result_ids=result_ids, attestations=by_item)

    # Which checks count for each (risk, item): declared by the check and cited by seed 004.
    pair_checks: dict[tuple[str, str], list[Check]] = {}
    declared_risks: dict[str, list[Check]] = {}
    for c in sorted(checks, key=lambda c: c.id):
        for rid in c.risks:
            declared_risks.setdefault(rid, []).append(c)
            for item_id in c.criteria:
                if (rid, item_id) in catalog.citations:
                    pair_checks.setdefault((rid, item_id), []).append(c)

    # One judgement per distinct (item, checks): many risks share an item's checks (or its lack of any).
    memo: dict[tuple, dict] = {}

    checked = {item_id for _, item_id in pair_checks}

    def judged(item_id: str, cs: list[Check]) -> dict:
        key = (item_id, tuple(c.id for c in cs))
        if key not in memo:
            memo[key] = judge_item(catalog.items[item_id], cs, index, not cs and item_id in checked)
        return memo[key]

    risks = {}
    item_risks: dict[str, dict[str, str]] = {}
    item_checks: dict[str, dict[str, Check]] = {}
    for risk in catalog.risks:
        rid = risk["id"]
        entries = {}
        for item_id in catalog.risk_items(rid):
            cs = pair_checks.get((rid, item_id), [])
            entries[item_id] = judged(item_id, cs)
            item_risks.setdefault(item_id, {})[rid] = entries[item_id]["status"]
            for c in cs:
                item_checks.setdefault(item_id, {})[c.id] = c
        moving = {c.id for (r, _), cs in pair_checks.items() if r == rid for c in cs}
        supporting = [c for c in declared_risks.get(rid, []) if c.id not in moving]
        risks[rid] = judge_risk(risk, entries, sorted(moving), supporting, index)

    items = {}
    for item_id, item in catalog.items.items():
        cs = sorted(item_checks.get(item_id, {}).values(), key=lambda c: c.id)
        items[item_id] = {
            "id": item_id, "evidence_class": item["evidence"], **judged(item_id, cs),
            "attestations": [s for _, _, s in by_item.get(item_id, [])],
            "by_risk": item_risks.get(item_id, {}),
        }
    requirements = judge_requirements(catalog, risks, by_part)
    return Assessment(items=items, risks=risks, requirements=requirements, attestations=summaries)


def _distinct_counts(check_ids, index: _Index) -> Counter:
    total: Counter = Counter()
    for cid in check_ids:
        total.update(index.counts.get(cid, ()))
    return total


def judge_risk(risk: dict, entries: dict[str, dict], moving: list[str], supporting: list[Check], index: _Index) -> dict:
    statuses = Counter(e["status"] for e in entries.values())
    if not entries:
        judgement = Judgement.NOT_EVALUATED
    elif statuses[ItemStatus.NOT_SATISFIED] or statuses[ItemStatus.WAIVED]:
        judgement = Judgement.NOT_SATISFIED
    elif statuses[ItemStatus.NOT_EVALUATED] or set(statuses) <= {ItemStatus.NOT_APPLICABLE}:
        judgement = Judgement.NOT_EVALUATED
    else:
        judgement = Judgement.SATISFIED
    residual = []
    for layer in risk["layers"]:
        for text in layer.get("residual_risks_ja", []):
            if text not in residual:
                residual.append(text)
    result_counts = _distinct_counts(moving, index)
    support_counts = _distinct_counts([c.id for c in supporting], index)
    return {
        "id": risk["id"],
        "name": risk["name"],
        "level": risk["level"],
        "basic_statement": risk["basic_statement"],
        "judgement": judgement,
        "judgement_en": JUDGEMENT_LABEL["en"][judgement],
        "rationale": _rationale_ja(judgement, entries, statuses),
        "rationale_en": _rationale_en(judgement, entries, statuses),
        "counts": {s: statuses[s] for s in sorted(statuses)},
        "evidenced": _evidenced(entries),
        "checks": moving,
        "result_counts": {s: result_counts[s] for s in sorted(result_counts)},
        "items": entries,
        "supporting": {
            "checks": [c.id for c in supporting],
            "counts": {s: support_counts[s] for s in sorted(support_counts)},
            "results": [rid for c in supporting for rid in index.result_ids.get(c.id, ())],
        },
        "residual_risks_ja": residual,
    }


def _evidenced(entries: dict[str, dict]) -> dict:
    """How the risk's items were evidenced, each item counted once (the customer checklist
    adds these up): an item still lacking evidence is only `lacking`, even when a check ran
    for it (its results unknown, or an attestation missing); else one whose checks gave a
    verdict is `by_checks` (an attestation completing it included); else by its attestation."""
    out = {"items": len(entries), "by_checks": 0, "by_provider_attestation": 0, "by_hyperscaler_report": 0, "lacking": 0}
    for e in entries.values():
        if e["status"] == ItemStatus.NOT_EVALUATED:
            out["lacking"] += 1
        elif e["checks"]:
            out["by_checks"] += 1
        elif e["attested_with"] == AttestationKind.INHERITED:
            out["by_hyperscaler_report"] += 1
        elif e["attested_with"] == AttestationKind.MANUAL:
            out["by_provider_attestation"] += 1
    return out


def _listed(entries: dict[str, dict], status: str, limit: int = 6) -> str:
    hits = [i for i, e in entries.items() if e["status"] == status]
    shown = ", ".join(hits[:limit])
    return shown + (f" ほか{len(hits) - limit}件" if len(hits) > limit else "")


def _rationale_ja(judgement: Judgement, entries: dict[str, dict], statuses: Counter) -> str:
    if not entries:
        return "未評価: 言明書の元資料(付表)はこのリスクに対応する管理基準項番を示していない。"
    if judgement == Judgement.NOT_SATISFIED:
        failing, waived = statuses[ItemStatus.NOT_SATISFIED], statuses[ItemStatus.WAIVED]
        head = ("×: 不充足の項目と、例外として承認された不適合の項目がある。" if failing and waived else
                "×: 不充足の項目がある。" if failing else
                "×: 例外として承認された不適合の項目がある(例外承認は充足ではない)。")
    elif judgement == Judgement.SATISFIED:
        head = "○: すべての項目が充足・証明済・継承のいずれか(対象なしを除く)。"
    elif set(statuses) <= {ItemStatus.NOT_APPLICABLE}:
        head = "未評価: すべての項目でチェック対象のリソースがなく、確認できた項目がない。"
    else:
        head = "未評価: 証跡が不足している項目がある。"
    parts = [f"{ITEM_STATUS_LABEL['ja'][s]} {statuses[s]}件 ({_listed(entries, s)})" for s in ITEM_ORDER if statuses[s]]
    return f"{head} 対応する管理基準 {len(entries)}項目のうち " + "、".join(parts) + "。"


def _rationale_en(judgement: Judgement, entries: dict[str, dict], statuses: Counter) -> str:
    if not entries:
        return "not evaluated: seed 004 cites no criteria item for this risk."
    parts = [f"{statuses[s]} {ITEM_STATUS_LABEL['en'][s]}" for s in ITEM_ORDER if statuses[s]]
    return f"{JUDGEMENT_LABEL['en'][judgement]}: of {len(entries)} criteria items, " + ", ".join(parts) + "."


def judge_requirements(catalog: Catalog, risks: dict[str, dict], by_part: dict[str, list]) -> list[dict]:
    """Each part of the 基本言明要件 and whether it is evidenced: the H01–M11 control items
    by every judgement being ○, every other part by a counted `part:` attestation."""
    basic = [r for r in risks.values() if r["basic_statement"]]
    judged = Counter(r["judgement"] for r in basic)
    out = []
    for part in catalog.parts:
        atts = by_part.get(part["id"], [])
        entry = {"id": part["id"], "name": part["name"], "items": part["items"], "evidenced_by": part["evidenced_by"],
                 "attestations": [s for _, _, s in atts]}
        if part["evidenced_by"] == "assessment":
            tally_en = ", ".join(f"{judged[j]} {JUDGEMENT_LABEL['en'][j]}" for j in Judgement if judged[j])
            tally_ja = "、".join(f"{j.value} {judged[j]}" for j in Judgement if judged[j])
            if judged[Judgement.NOT_SATISFIED]:
                status = ItemStatus.NOT_SATISFIED
            elif judged[Judgement.NOT_EVALUATED] or not basic:
                status = ItemStatus.NOT_EVALUATED
            else:
                status = ItemStatus.SATISFIED
            entry.update(status=status, reason=f"judgements of H01–M11: {tally_en}",
                         reason_ja=f"H01–M11 の判断: {tally_ja}")
        else:
            counted = [a for a, st, _ in atts if st.standing == Standing.COUNTED]
            if counted:
                by_en, by_ja = _attested(counted[0])
                entry.update(status=ItemStatus.ATTESTED, reason=f"evidenced by {by_en}", reason_ja=f"{by_ja}で確認した")
            else:
                why_en, why_ja = _why_not(atts)
                entry.update(status=ItemStatus.NOT_EVALUATED,
                             reason="genmei does not assess this part: the provider's attestation (part: "
                                    f"{part['id']}) is required{why_en}",
                             reason_ja=f"genmei はこの部分を評価しない。事業者の証明(part: {part['id']})が必要{why_ja}")
        out.append(entry)
    return out
