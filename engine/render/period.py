"""Renderings of the period report (engine/period.py) for auditors: JSON (the document
itself), XLSX (one sheet per part, every text cell written as text), and one
self-contained HTML page whose pictures are inline SVG — the scan calendar, the H01–M11
judgements day by day, and the open failures over the period — with no script and no
external asset (a Content-Security-Policy forbids loading any). Every figure comes from
the document; nothing is derived here that the document does not hold."""

import io
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..jsonio import dump_json
from ..vocabulary import JUDGEMENT_LABEL, Status
from .escape import cell_text
from .labels import PROPOSAL

FORMATS = ("html", "json", "xlsx")
TEMPLATES = Path(__file__).parent / "templates"
# The result counts of each run the runs sheet shows: everything but the passes.
COUNTED = (Status.FAIL, Status.WAIVED, Status.NOT_EVALUATED, Status.ERROR)
MARK_CLASS = {"○": "ok", "×": "ng", "未評価": "na", None: "none"}
MARK_EN = {**JUDGEMENT_LABEL["en"], None: "not scanned"}

TEXT = {
    "ja": {
        "title": "JASA 基本言明要件 期間報告書", "target": "対象", "period": "期間", "issued": "作成", "tz": "時間帯",
        "summary": "概要", "days": "日数", "scanned": "スキャン済", "partial": "一部のみ", "missed": "未実施", "future": "未到来",
        "runs": "実行", "calendar": "スキャンの暦", "judgements": "H01–M11 の判断の推移(日ごと)",
        "open": "未解決の不合格の件数", "failures": "不合格の経過", "state": "状態", "severity": "重大度", "check": "チェック",
        "resource": "リソース", "first_seen": "初検出", "last_seen": "最終検出", "closed": "解消", "ttr": "是正までの日数",
        "risks": "リスク", "account": "アカウント", "gaps": "収集ギャップ(取得元ごと)", "scope": "範囲", "service": "サービス",
        "api": "API", "message": "内容", "seen_days": "発生日数", "exceptions": "例外(ウェイバー)",
        "attestations": "証明(アテステーション)", "versions": "版(有効期限)", "lapses": "失効していた期間",
        "digests": "この報告書が依拠する実行とダイジェスト", "observed": "取得日時", "record": "記録",
        "none": "なし", "risk": "リスク", "counts": "日数(○ / × / 未評価 / 未実施)", "first_cross": "最初の ×",
        "fixed": "是正", "gone": "消滅(是正とはみなさない)", "open_state": "未解決", "median": "是正日数の中央値",
        "max": "最大", "opened": "期間内に発生", "total": "件数", "waived": "例外承認あり",
        "before": "期間前から継続", "no_result": "結果なし(チェックまたは対象外)", "resource_removed": "リソース削除",
        "valid": "期間中有効", "renewed": "更新", "expired": "期間中に失効", "expired_before": "期間前に失効",
        "unknown_policies": "例外・証明の記録がない実行", "legend_cal": "■ スキャン済 ■ 一部のみ ■ 未実施 ■ 未到来",
        "sources": "取得元", "open_line": "不合格(FAIL)", "waived_line": "例外承認(WAIVED)", "until": "〜",
        "store": "履歴ストア", "day_rule": "日付は取得(収集)日時による。1日に複数の実行がある場合はその日の最も悪い判断。",
    },
    "en": {
        "title": "JASA basic statement: period report", "target": "Scope", "period": "Period", "issued": "Issued",
        "tz": "time zone", "summary": "Summary", "days": "Days", "scanned": "scanned", "partial": "partial",
        "missed": "missed", "future": "future", "runs": "Runs", "calendar": "Scan calendar",
        "judgements": "H01–M11 judgements day by day", "open": "Open failures", "failures": "Failures over the period",
        "state": "State", "severity": "Severity", "check": "Check", "resource": "Resource", "first_seen": "First seen",
        "last_seen": "Last seen", "closed": "Closed", "ttr": "Days to remediate", "risks": "Risks", "account": "Account",
        "gaps": "Collection gaps by source", "scope": "Scope", "service": "Service", "api": "API", "message": "Message",
        "seen_days": "Days seen", "exceptions": "Exceptions (waivers)", "attestations": "Attestations",
        "versions": "Versions (expiry)", "lapses": "Lapsed", "digests": "Runs this report rests on, with their digests",
        "observed": "Observed", "record": "record", "none": "none", "risk": "Risk",
        "counts": "Days (○ / × / not evaluated / not scanned)", "first_cross": "First ×", "fixed": "fixed",
        "gone": "gone (not counted as fixed)", "open_state": "open", "median": "Median days to remediate", "max": "max",
        "opened": "Opened in the period", "total": "Failures", "waived": "waived", "before": "standing before the period",
        "no_result": "no result (check or scope changed)", "resource_removed": "resource removed",
        "valid": "valid throughout", "renewed": "renewed", "expired": "expired in the period",
        "expired_before": "expired before the period", "unknown_policies": "runs without a record of exceptions and attestations",
        "legend_cal": "■ scanned ■ partial ■ missed ■ future", "sources": "Sources", "open_line": "FAIL",
        "waived_line": Status.WAIVED, "until": "–", "store": "History store",
        "day_rule": "Days are the days the configuration was collected; with several runs on one day, its worst judgement.",
    },
}


def render(doc: dict, lang: str, fmt: str, title: str | None = None) -> bytes:
    if fmt == "json":
        return dump_json(doc)
    if fmt == "xlsx":
        return render_xlsx(doc, lang, title)
    return render_html(doc, lang, title)


def target_text(doc: dict, title: str | None, lang: str) -> str:
    sel = doc["selection"]
    sources = ", ".join(f"{s['provider']} {s['account']}" for s in sel["sources"])
    head = title or sel["service"] or (f"{TEXT[lang]['account']} {sel['account']}" if sel["account"] else "")
    return f"{head} ({sources})" if head else sources


# -- HTML -----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_html(doc: dict, lang: str, title: str | None) -> bytes:
    T = TEXT[lang]
    days = [d["date"] for d in doc["calendar"]]
    context = {
        "lang": lang, "T": T, "doc": doc, "proposal": PROPOSAL[lang], "target": target_text(doc, title, lang),
        "calendar_svg": calendar_svg(doc["calendar"], T), "judgements_svg": judgements_svg(doc["risks"], days, lang),
        "open_svg": open_failures_svg(doc["calendar"], T), "mark_class": MARK_CLASS,
        "state_label": {"open": T["open_state"], "fixed": T["fixed"], "gone": T["gone"]},
        "how_label": {"fixed": T["fixed"], "no_result": T["no_result"], "resource_removed": T["resource_removed"], None: ""},
        "policy_label": {k: T[k] for k in ("valid", "renewed", "expired", "expired_before")},
        "risk_name": lambda r: r["name"][lang],
    }
    return environment().get_template("period.html.j2").render(**context).encode("utf-8")


def _months(days: list[str]) -> list[tuple[int, str]]:
    """(index, label) of the first day of each month shown (and of the first day)."""
    return [(i, d[:7]) for i, d in enumerate(days) if i == 0 or d.endswith("-01")]


def calendar_svg(calendar: list[dict], T: dict) -> Markup:
    """Weeks as columns, weekdays (Monday first) as rows; one square per day."""
    cell, gap, left, top = 14, 2, 30, 18
    first = date.fromisoformat(calendar[0]["date"])
    offset = first.weekday()
    weeks = (offset + len(calendar) + 6) // 7
    width, height = left + weeks * (cell + gap) + 10, top + 7 * (cell + gap) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="calendar-chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(T["calendar"])}</title>']
    for i, label in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
        if label:
            parts.append(f'<text x="0" y="{top + i * (cell + gap) + 11}" class="axis">{label}</text>')
    for n, day in enumerate(calendar):
        k = offset + n
        x, y = left + (k // 7) * (cell + gap), top + (k % 7) * (cell + gap)
        if day["date"].endswith("-01") or n == 0:
            parts.append(f'<text x="{x}" y="12" class="axis">{day["date"][:7]}</text>')
        tip = f'{day["date"]}: {T[day["status"]]} ({T["runs"]} {day["runs"]})'
        parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2" class="cal-{day["status"]}" '
                     f'data-date="{day["date"]}" data-status="{day["status"]}"><title>{escape(tip)}</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))


def judgements_svg(risks: list[dict], days: list[str], lang: str) -> Markup:
    """One row per risk, one cell per day, coloured by the day's judgement."""
    left, top, row, width = 46, 20, 18, 1100
    cell = max(1.0, (width - left - 10) / max(len(days), 1))
    height = top + row * len(risks) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="judgements-chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>H01–M11</title>']
    for i, label in _months(days):
        parts.append(f'<text x="{left + i * cell:.1f}" y="12" class="axis">{label}</text>')
    for r_i, risk in enumerate(risks):
        y = top + r_i * row
        parts.append(f'<text x="0" y="{y + 12}" class="axis risk-label">{risk["id"]}</text>')
        for d_i, (day, mark) in enumerate(zip(days, risk["days"])):
            label = mark if (lang == "ja" and mark) else MARK_EN[mark] if lang == "en" else "—"
            parts.append(f'<rect x="{left + d_i * cell:.2f}" y="{y}" width="{cell:.2f}" height="{row - 3}" '
                         f'class="j-{MARK_CLASS[mark]}" data-risk="{risk["id"]}" data-date="{day}" data-mark="{mark or ""}">'
                         f'<title>{risk["id"]} {day}: {escape(label)}</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))


def open_failures_svg(calendar: list[dict], T: dict) -> Markup:
    """The open FAIL and WAIVED counts at the end of each scanned day; the line breaks
    over days without a scan (no value is invented for them)."""
    left, top, width, height = 46, 30, 1100, 236
    plot_w, plot_h = width - left - 14, height - top - 30
    values = [(d["open_failures"], d["open_waived"]) for d in calendar]
    peak = max([v for pair in values for v in pair if v is not None] + [1])
    ceiling = peak * 1.1
    step = plot_w / max(len(calendar) - 1, 1)

    def xy(i, v):
        return f"{left + i * step:.1f},{top + plot_h - v / ceiling * plot_h:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="open-chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(T["open"])}</title>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="grid"/>',
             f'<line x1="{left}" y1="{xy(0, peak).split(",")[1]}" x2="{left + plot_w}" y2="{xy(0, peak).split(",")[1]}" class="grid"/>',
             f'<text x="0" y="{float(xy(0, peak).split(",")[1]) + 4:.1f}" class="axis">{peak}</text>'
             f'<text x="0" y="{top + plot_h + 4}" class="axis">0</text>']
    for i, label in _months([d["date"] for d in calendar]):
        parts.append(f'<text x="{left + i * step:.1f}" y="{height - 8}" class="axis">{label}</text>')
    for series, css in ((0, "line-fail"), (1, "line-waived")):
        segment = []
        for i, pair in enumerate(values + [(None, None)]):
            if pair[series] is None:
                if segment:
                    parts.append(f'<polyline class="{css}" data-series="{css[5:]}" points="{" ".join(segment)}"/>')
                segment = []
            else:
                segment.append(xy(i, pair[series]))
        for i, pair in enumerate(values):
            if pair[series] is not None:
                parts.append(f'<circle class="{css}" cx="{xy(i, pair[series]).split(",")[0]}" '
                             f'cy="{xy(i, pair[series]).split(",")[1]}" r="2" data-date="{calendar[i]["date"]}" '
                             f'data-value="{pair[series]}"><title>{calendar[i]["date"]}: {pair[series]}</title></circle>')
    parts.append(f'<text x="{left}" y="14" class="legend-fail">━ {escape(T["open_line"])}</text>'
                 f'<text x="{left + 160}" y="14" class="legend-waived">┅ {escape(T["waived_line"])}</text></svg>')
    return Markup("".join(parts))


# -- XLSX -----------------------------------------------------------------------------------------

def _cell(ws, value, bold: bool = False):
    """One cell of a row, through escape.cell_text: numbers stay numbers, text stays text
    (never a formula: a string cell, quote-prefixed when it starts like one) with control
    characters made visible (XLSX cannot hold them). Plain values where no style is needed:
    the write-only sheet is written row by row over a thousand runs."""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, bool) or not isinstance(value, (str, int, float, type(None))):
        value = str(value)
    v, guarded = cell_text(value)
    if not (bold or guarded):
        return v
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    c = WriteOnlyCell(ws, value=v)
    if isinstance(v, str):
        c.data_type = "s"
        c.quotePrefix = guarded
    if bold:
        c.font = Font(bold=True)
    return c


def _sheet(wb, title: str, heads: list[str], rows, widths: list[int]):
    """A sheet written row by row (openpyxl's write-only mode: a 1,000-day period has tens
    of thousands of cells)."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title[:31])
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"
    ws.append([_cell(ws, h, bold=True) for h in heads])
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    return ws


def render_xlsx(doc: dict, lang: str, title: str | None) -> bytes:
    from openpyxl import Workbook

    T = TEXT[lang]
    wb = Workbook(write_only=True)
    s, p = doc["summary"], doc["period"]
    facts = [
        (T["title"], target_text(doc, title, lang)),
        (T["period"], f"{p['from']} {T['until']} {p['to']} ({T['tz']} {p['timezone']})"),
        (T["issued"], f"{doc['generated_at']} · genmei {doc['tool']['version']}"),
        (T["store"], f"{doc['store']['backend']} {doc['store']['location']}"),
        (T["runs"], s["runs"]),
        *[(f"{T['days']}: {T[k]}", s["days"][k]) for k in ("scanned", "partial", "missed", "future")],
        (T["missed"], ", ".join(s["missed_dates"]) or T["none"]),
        (T["partial"], ", ".join(s["partial_dates"]) or T["none"]),
        (T["total"], s["failures"]["total"]), (T["open_state"], s["failures"]["open_at_end"]),
        (T["fixed"], s["failures"]["fixed"]), (T["gone"], s["failures"]["gone"]),
        (T["median"], s["time_to_remediate_days"]["median"]), (T["max"], s["time_to_remediate_days"]["max"]),
        ("", PROPOSAL[lang]),
    ]
    ws = wb.create_sheet(T["summary"][:31])
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 28, 90
    for k, v in facts:
        ws.append([_cell(ws, k, bold=True), _cell(ws, v)])

    risks = doc["risks"]
    _sheet(wb, T["calendar"], ["date", "status", T["runs"], "gaps", T["open_line"], T["waived_line"],
                               *[r["id"] for r in risks]],
           ([d["date"], T[d["status"]], d["runs"], d["gaps"], d["open_failures"], d["open_waived"],
             *[(r["days"][i] if lang == "ja" else MARK_EN[r["days"][i]]) if r["days"][i] else "—" for r in risks]]
            for i, d in enumerate(doc["calendar"])), [12, 12, 8, 8, 10, 10] + [7] * len(risks))
    _sheet(wb, T["risk"], [T["risk"], "", "○", "×", "未評価", T["missed"], T["first_cross"]],
           ([r["id"], r["name"][lang], r["counts"]["○"], r["counts"]["×"], r["counts"]["未評価"], r["counts"]["not_scanned"],
             r["first_cross"]] for r in risks), [8, 40, 8, 8, 8, 10, 12])
    _sheet(wb, T["failures"], [T["state"], "closed_by", T["severity"], T["check"], T["resource"], "type", T["account"],
                               T["risks"], T["first_seen"], T["last_seen"], T["closed"], T["ttr"], "open_days",
                               T["waived"], T["before"], "reason"],
           ([f["state"], f["closed_by"], f["severity"], f["check"], f["resource"], f["resource_type"],
             f"{f['provider']} {f['account']}", f["risks"], f["first_seen"]["observed_at"], f["last_seen"]["observed_at"],
             f["closed"]["observed_at"] if f["closed"] else None, f["time_to_remediate_days"], f["open_days"],
             "yes" if f["waived"] else "", "yes" if f["open_before_period"] else "", f["reason"]]
            for f in doc["failures"]), [8, 16, 9, 13, 60, 16, 18, 12, 21, 21, 21, 10, 10, 8, 8, 60])
    for key in ("exceptions", "attestations"):
        text = "reason" if key == "exceptions" else "statement"
        _sheet(wb, T[key], ["key", T["state"], T["versions"], T["lapses"], T["last_seen"], "expired_in_runs", text],
               ([e["key"], T[e["state"]], [v["expires"] for v in e["versions"]],
                 [f"{x['from']}{T['until']}{x['until'] or ''}" for x in e["lapses"]], e["last_seen"], e["expired_in_runs"],
                 e["versions"][-1].get(text)] for e in doc[key]["entries"]), [28, 18, 30, 40, 12, 10, 60])
    _sheet(wb, T["gaps"], [T["account"], T["scope"], T["service"], T["api"], "error", T["seen_days"], T["first_seen"],
                           T["last_seen"], T["message"]],
           ([f"{g['provider']} {g['account']}", g["scope"], g["service"], g["api"], g["error_code"], len(g["days"]),
             g["first_seen"], g["last_seen"], g["message"]] for g in doc["gaps"]), [18, 28, 12, 22, 22, 9, 21, 21, 70])
    _sheet(wb, T["runs"], ["run", T["account"], T["observed"], "before_period", "snapshot_sha256", "policy_bundle_sha256",
                           "catalog_sha256", "evidence_sha256", "record_sha256", *COUNTED],
           ([r["id"], f"{r['provider']} {r['account']}", r["observed_at"], "yes" if r["before_period"] else "",
             r["snapshot_sha256"], r["policy_bundle_sha256"], r["catalog_sha256"], r["evidence_sha256"], r["record_sha256"],
             *(r["summary"][s] for s in COUNTED)]
            for r in doc["runs"]), [30, 18, 21, 8, 66, 66, 66, 66, 66, 7, 7, 7, 7])
    stamp = datetime.fromisoformat(doc["generated_at"].replace("Z", "+00:00")).replace(tzinfo=None)
    wb.properties.creator = "genmei"
    wb.properties.title = T["title"]
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
