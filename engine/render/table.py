"""The terminal summary of a scan (stdout and summary.txt): the H01–M11 table and the
failing results. Every value taken from the input goes through `escape.terminal`, so a
resource name cannot move the cursor, clear the screen or print a line of its own."""

import unicodedata

from ..vocabulary import ITEM_ORDER, ITEM_STATUS_LABEL, SEVERITY_ORDER, SUMMARY_ORDER, Status
from .escape import terminal
from .labels import reason, resource_label

LABELS = {
    "ja": {"risk": "リスク", "no": "番号", "judgement": "判断", "results": "結果", "failures": "不適合",
           "none": "不適合なし", "not_evaluated": "未評価の理由(抜粋)", "supporting": "補助証跡",
           "proposal": "判断は提案であり、最終判断は事業者と監査人が行う。"},
    "en": {"risk": "Risk", "no": "No.", "judgement": "Judgement", "results": "Results", "failures": "Failures",
           "none": "no failures", "not_evaluated": "Not evaluated (sample of reasons)", "supporting": "supporting",
           "proposal": "Judgements are proposals; the provider and the auditor make the final judgement."},
}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, cols: int) -> str:
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > cols:
            return out[:-1] + "…" + " " * (cols - used) if out else ""
        out, used = out + ch, used + w
    return out + " " * (cols - used)


def mapping_label(result: dict, lang: str) -> str:
    """[items / risks] of a result; a supporting check (no items) is labelled as such."""
    if not result["criteria"]:
        return f"[{LABELS[lang]['supporting']}: {', '.join(result['risks'])}]"
    return f"[{', '.join(result['criteria'])} / {', '.join(result['risks'])}]"


def render(evidence: dict, lang: str = "ja") -> str:
    L = LABELS[lang]
    s, snap = evidence["summary"], evidence["snapshot"]
    lines = [
        f"genmei {terminal(evidence['tool']['version'])} · {terminal(snap['provider'])} {terminal(snap['account'])} · "
        f"{snap['resources']} resources · snapshot sha256 {evidence['snapshot_sha256'][:12]}… · backend {evidence['tool']['backend']}",
        f"{L['results']}: {s['results']} (" + ", ".join(f"{st} {s[st]}" for st in SUMMARY_ORDER) + ")",
        "",
    ]
    heads = [ITEM_STATUS_LABEL[lang][c] for c in ITEM_ORDER]
    col_w = [max(6, width(h)) for h in heads]
    lines.append(f"{fit(L['no'], 4)} {fit(L['risk'], 44)} {fit(L['judgement'], 9)} " + " ".join(fit(h, w) for h, w in zip(heads, col_w)))
    for rid, risk in evidence["risks"].items():
        j = risk["judgement"] if lang == "ja" else risk["judgement_en"]
        counts = [str(risk["counts"].get(c, 0)).rjust(w) for c, w in zip(ITEM_ORDER, col_w)]
        lines.append(f"{fit(rid, 4)} {fit(risk['name'][lang], 44)} {fit(j, 9)} " + " ".join(counts))
    lines += ["", f"{L['failures']}:"]
    failures = sorted((r for r in evidence["results"] if r["status"] in (Status.FAIL, Status.ERROR, Status.WAIVED)),
                      key=lambda r: (SEVERITY_ORDER[r["severity"]], r["check"], r["resource"]))
    for r in failures:
        lines.append(f"  {r['status']:5} {r['severity']:8} {r['check']} {terminal(resource_label(r))} "
                     f"{mapping_label(r, lang)} {terminal(reason(r, lang))}")
    if not failures:
        lines.append(f"  {L['none']}")
    gaps = [r for r in evidence["results"] if r["status"] == Status.NOT_EVALUATED]
    if gaps:
        lines += ["", f"{L['not_evaluated']}:"]
        for r in gaps[:10]:
            lines.append(f"  {r['check']} {terminal(r['resource'])}: {terminal(reason(r, lang))}")
        if len(gaps) > 10:
            lines.append(f"  … +{len(gaps) - 10}")
    lines += ["", L["proposal"]]
    return "\n".join(lines) + "\n"
