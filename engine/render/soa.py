"""A statement-of-applicability style CSV: one row per criteria item (項番) with whether it
applies, why, how it is evidenced, its status in this scan, and the ISO crosswalk
(ISO/IEC 27002:2005 lineage, ISO/IEC 27001:2022 Annex A, ISO/IEC 27017:2015).

An item applies when a basic-statement risk (H01–M11) cites it, or a low risk does
(reported as outside the basic statement); an item whose checks found no resource of
their types is marked not applicable to this account, never silently dropped. "How
evidenced" says what this scan used: a partial item no check covers yet is labelled as
resting on the provider's attestation, never as checked. UTF-8 with a BOM so that Excel
opens the Japanese text correctly; every cell goes through `escape.csv_cell`."""

import csv
import io

from ..vocabulary import ItemStatus
from .escape import csv_cell
from .evidence_dir import Options, StoredScan
from .labels import STATUS, counted_attestation, how_evidenced, reason

FORMATS = ("csv",)
HEADS = {
    "ja": ("項番", "管理基準", "適用", "適用の根拠", "証跡の方法", "状態", "状態の理由", "対応リスク(リスクごとの状態)",
           "JIS Q 27002:2006 (ISO/IEC 27002:2005)", "ISO/IEC 27001:2022 附属書A", "対応付けの根拠", "ISO/IEC 27017:2015", "備考"),
    "en": ("Item", "Criterion", "Applicable", "Justification", "How evidenced", "Status", "Status reason", "Risks (status per risk)",
           "ISO/IEC 27002:2005 (JIS Q 27002:2006)", "ISO/IEC 27001:2022 Annex A", "Mapping basis", "ISO/IEC 27017:2015", "Note"),
}
WORDS = {
    "ja": {"yes": "適用", "no": "適用外", "basic": "基本言明要件", "outside": "基本言明の対象外", "none": "対象リソースなし",
           "checks": "チェック", "attested": "証明", "numbering": "項番", "text": "文言"},
    "en": {"yes": "yes", "no": "no", "basic": "basic statement", "outside": "outside the basic statement",
           "none": "no resources of the checked types", "checks": "checks", "attested": "attestation",
           "numbering": "numbering", "text": "text"},
}


def applicability(scan: StoredScan, item_id: str, lang: str) -> tuple[str, str]:
    W = WORDS[lang]
    risks = scan.item_risks(item_id)
    basic = [r for r in risks if r in scan.evidence["risks"]]
    low = [r for r in risks if r not in scan.evidence["risks"]]
    why = []
    if basic:
        why.append(f"{W['basic']} ({', '.join(basic)})")
    if low:
        why.append(f"{W['outside']} ({', '.join(low)})")
    if scan.evidence["items"][item_id]["status"] == ItemStatus.NOT_APPLICABLE:
        return W["no"], f"{W['none']}; " + "; ".join(why)
    return W["yes"], "; ".join(why)


def evidenced(item: dict, lang: str) -> str:
    W = WORDS[lang]
    parts = [how_evidenced(item, lang)]
    if item["checks"]:
        parts.append(f"{W['checks']}: {', '.join(item['checks'])}")
    a = counted_attestation(item)
    if a:
        parts.append(f"{W['attested']}: {a['evidence_ref']} ({a['attested_by']}, {a['expires']})")
    return "; ".join(parts)


def per_risk(item: dict, lang: str) -> str:
    return ", ".join(f"{rid} {STATUS[lang][status]}" for rid, status in item["by_risk"].items())


def render(scan: StoredScan, opts: Options, fmt: str) -> bytes:
    lang, W, cw = opts.lang, WORDS[opts.lang], scan.crosswalk
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADS[lang])
    for item_id, item in scan.evidence["items"].items():
        applicable, why = applicability(scan, item_id, lang)
        entry = cw.entries.get(item_id, {})
        refs = entry.get("iso27001_2022", [])
        w.writerow([csv_cell(v) for v in (
            item_id, scan.item_text(item_id, lang), applicable, why, evidenced(item, lang),
            STATUS[lang][item["status"]], reason(item, lang), per_risk(item, lang),
            entry.get("iso27002_2005") or "", ", ".join(r["control"] for r in refs),
            ", ".join(f"{r['control']}: {W[r['basis']]}" for r in refs), ", ".join(entry.get("iso27017_2015", [])),
            entry.get("note", ""),
        )])
    return buf.getvalue().encode("utf-8-sig")
