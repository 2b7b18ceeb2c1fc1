"""The terminal summary of a scan: the H01–M11 table and the failing results."""

import unicodedata

from ..assess import STATUS_JA

LABELS = {
    "ja": {"risk": "リスク", "no": "番号", "judgement": "判断", "results": "結果", "failures": "不適合",
           "none": "不適合なし", "not_evaluated": "未評価の理由(抜粋)", "proposal": "判断は提案であり、最終判断は事業者と監査人が行う。"},
    "en": {"risk": "Risk", "no": "No.", "judgement": "Judgement", "results": "Results", "failures": "Failures",
           "none": "no failures", "not_evaluated": "Not evaluated (sample of reasons)",
           "proposal": "Judgements are proposals; the provider and the auditor make the final judgement."},
}
COLUMNS = ("not_satisfied", "waived", "not_evaluated", "satisfied", "attested", "inherited", "not_applicable")
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


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


def render(evidence: dict, lang: str = "ja") -> str:
    L = LABELS[lang]
    s, snap = evidence["summary"], evidence["snapshot"]
    lines = [
        f"genmei {evidence['tool']['version']} · {snap['provider']} {snap['account']} · {snap['resources']} resources · "
        f"snapshot sha256 {evidence['snapshot_sha256'][:12]}… · backend {evidence['tool']['backend']}",
        f"{L['results']}: {s['results']} (PASS {s['PASS']}, FAIL {s['FAIL']}, WAIVED {s['WAIVED']}, "
        f"NOT_EVALUATED {s['NOT_EVALUATED']}, ERROR {s['ERROR']})",
        "",
    ]
    heads = [STATUS_JA[c] if lang == "ja" else c.replace("not_", "not ").replace("_", " ") for c in COLUMNS]
    col_w = [max(6, width(h)) for h in heads]
    lines.append(f"{fit(L['no'], 4)} {fit(L['risk'], 44)} {fit(L['judgement'], 9)} " + " ".join(fit(h, w) for h, w in zip(heads, col_w)))
    for rid, risk in evidence["risks"].items():
        j = risk["judgement"] if lang == "ja" else risk["judgement_en"]
        counts = [str(risk["counts"].get(c, 0)).rjust(w) for c, w in zip(COLUMNS, col_w)]
        lines.append(f"{fit(rid, 4)} {fit(risk['name'][lang], 44)} {fit(j, 9)} " + " ".join(counts))
    lines += ["", f"{L['failures']}:"]
    failures = sorted((r for r in evidence["results"] if r["status"] in ("FAIL", "ERROR", "WAIVED")),
                      key=lambda r: (SEVERITY_ORDER[r["severity"]], r["check"], r["resource"]))
    for r in failures:
        name = r.get("resource_name")
        label = f"{name} ({r['resource']})" if name and name not in r["resource"] else r["resource"]
        lines.append(f"  {r['status']:5} {r['severity']:8} {r['check']} {label} "
                     f"[{', '.join(r['criteria'])} / {', '.join(r['risks'])}] {r['reason']}")
    if not failures:
        lines.append(f"  {L['none']}")
    gaps = [r for r in evidence["results"] if r["status"] == "NOT_EVALUATED"]
    if gaps:
        lines += ["", f"{L['not_evaluated']}:"]
        for r in gaps[:10]:
            lines.append(f"  {r['check']} {r['resource']}: {r['reason']}")
        if len(gaps) > 10:
            lines.append(f"  … +{len(gaps) - 10}")
    lines += ["", L["proposal"]]
    return "\n".join(lines) + "\n"
