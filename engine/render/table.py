"""The terminal summary of a scan (stdout and summary.txt): the H01–M11 table and the
failing results. Every value taken from the input goes through `escape.terminal`, so a
resource name cannot move the cursor, clear the screen or print a line of its own.

Widths are measured with wcwidth (a Japanese character takes two columns, a combining
mark none). On a terminal the table fits its width: risk names are shortened with "…",
judgements never are, and the columns of item counts are left out — saying so — when
they would not fit; summary.txt and pipes get the whole table. The judgement column is
coloured only on a terminal, and never when NO_COLOR is set (https://no-color.org).
"""

import os
import shutil
import sys

from wcwidth import wcswidth, wcwidth

from ..vocabulary import ITEM_ORDER, ITEM_STATUS_LABEL, JUDGEMENT_LABEL, SEVERITY_ORDER, SUMMARY_ORDER, Status
from .escape import terminal
from .labels import reason, resource_label, scope_text

LABELS = {
    "ja": {"risk": "リスク", "no": "番号", "judgement": "判断", "results": "結果", "failures": "不適合",
           "none": "不適合なし", "not_evaluated": "未評価の理由(抜粋)", "supporting": "補助証跡",
           "proposal": "判断は提案であり、最終判断は事業者と監査人が行う。",
           "filtered": "チェックの絞り込みあり: 対象外としたチェック {skipped}(未評価として扱う)",
           "counts_left_out": "(端末の幅 {columns} 桁に収めるため項目数の列を省略した。--format json または広い端末で確認できる)"},
    "en": {"risk": "Risk", "no": "No.", "judgement": "Judgement", "results": "Results", "failures": "Failures",
           "none": "no failures", "not_evaluated": "Not evaluated (sample of reasons)", "supporting": "supporting",
           "proposal": "Judgements are proposals; the provider and the auditor make the final judgement.",
           "filtered": "filtered scan: checks left out (treated as not evaluated): {skipped}",
           "counts_left_out": "(item counts per status left out to fit {columns} columns; see --format json or a wider terminal)"},
}


def width(text: str) -> int:
    """Columns `text` takes on a terminal (a character wcwidth cannot measure counts as one)."""
    w = wcswidth(text)
    return w if w >= 0 else sum(max(wcwidth(ch), 1) for ch in text)


def fit(text: str, cols: int) -> str:
    """`text` in exactly `cols` columns: padded, or cut with "…"."""
    if width(text) <= cols:
        return text + " " * (cols - width(text))
    out, used = "", 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > cols - 1:
            break
        out, used = out + ch, used + w
    return out + "…" + " " * (cols - 1 - used)


# Colours of the judgement marks (ANSI), on a terminal without NO_COLOR.
COLOURS = {"○": "\x1b[32m", "×": "\x1b[31m", "未評価": "\x1b[33m"}
RESET = "\x1b[0m"
MIN_RISK_COLUMNS = 24


def terminal_layout(stream=None) -> tuple[int | None, bool]:
    """(width, colour) for a table written to `stream` (default stdout): its width and
    whether to colour when it is a terminal; no width limit and no colour otherwise."""
    stream = stream or sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return None, False
    colour = not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return shutil.get_terminal_size().columns, colour


def risk_table(evidence: dict, lang: str, columns: int | None, colour: bool) -> list[str]:
    """No. | risk | judgement | items per status; within `columns` when given."""
    L = LABELS[lang]
    risks = list(evidence["risks"].items())
    marks = {rid: r["judgement"] for rid, r in risks}
    judged = {rid: r["judgement"] if lang == "ja" else r["judgement_en"] for rid, r in risks}
    j_w = max([width(L["judgement"])] + [width(v) for v in JUDGEMENT_LABEL[lang].values()])
    heads = [ITEM_STATUS_LABEL[lang][c] for c in ITEM_ORDER]
    count_w = [max(3, width(h)) for h in heads]
    names = {rid: terminal(r["name"][lang]) for rid, r in risks}
    name_w = max([width(L["risk"])] + [width(n) for n in names.values()])
    fixed = 4 + 1 + 1 + j_w
    counts_w = sum(w + 1 for w in count_w)
    show_counts = columns is None or columns - fixed - counts_w >= MIN_RISK_COLUMNS
    if columns is not None:
        name_w = max(min(name_w, columns - fixed - (counts_w if show_counts else 0)), 8)
    head = f"{fit(L['no'], 4)} {fit(L['risk'], name_w)} {fit(L['judgement'], j_w)}"
    if show_counts:
        head += " " + " ".join(fit(h, w) for h, w in zip(heads, count_w))
    out = [head.rstrip()]
    for rid, risk in risks:
        mark = fit(judged[rid], j_w)
        if colour:
            mark = f"{COLOURS[marks[rid]]}{mark}{RESET}"
        line = f"{fit(rid, 4)} {fit(names[rid], name_w)} {mark}"
        if show_counts:
            line += " " + " ".join(str(risk["counts"].get(c, 0)).rjust(w) for c, w in zip(ITEM_ORDER, count_w))
        out.append(line.rstrip())
    if not show_counts:
        out += wrap(L["counts_left_out"].format(columns=columns), columns)
    return out


def wrap(text: str, columns: int) -> list[str]:
    """`text` in lines of at most `columns` columns, broken at spaces (or anywhere in
    Japanese, which has none)."""
    lines, line = [], ""
    for word in text.split(" ") if " " in text else list(text):
        joined = f"{line} {word}" if line and " " in text else line + word
        if line and width(joined) > columns:
            lines.append(line)
            joined = word
        line = joined
    return lines + [line] if line else lines


def mapping_label(result: dict, lang: str) -> str:
    """[items / risks] of a result; a supporting check (no items) is labelled as such."""
    if not result["criteria"]:
        return f"[{LABELS[lang]['supporting']}: {', '.join(result['risks'])}]"
    return f"[{', '.join(result['criteria'])} / {', '.join(result['risks'])}]"


def render(evidence: dict, lang: str = "ja", columns: int | None = None, colour: bool = False) -> str:
    """The summary; `columns` limits the table's width (a terminal's), `colour` marks the judgements."""
    L = LABELS[lang]
    s, snap = evidence["summary"], evidence["snapshot"]
    lines = [
        f"genmei {terminal(evidence['tool']['version'])} · {terminal(scope_text(snap, lang))} · "
        f"{snap['resources']} resources · snapshot sha256 {evidence['snapshot_sha256'][:12]}… · backend {evidence['tool']['backend']}",
        f"{L['results']}: {s['results']} (" + ", ".join(f"{st} {s[st]}" for st in SUMMARY_ORDER) + ")",
    ]
    if evidence.get("filter"):
        lines.append(L["filtered"].format(skipped=", ".join(evidence["filter"]["skipped"]) or "-"))
    lines += [""] + risk_table(evidence, lang, columns, colour)
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
