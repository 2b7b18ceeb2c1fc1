"""`genmei report checklist|oscal|html|statement|soa --evidence DIR --out FILE`: every
auditor rendering from a stored scan, so that any scan can be rendered again later
without rescanning. Each rendering is one module under engine/render/ exposing
`FORMATS` and `render(scan, options, fmt) -> bytes`; this is the one place that maps the
names to them.

Before rendering, the directory is checked whole (SHA256SUMS) and the assessment is
re-performed from its records (engine/reperform.py): evidence.json that disagrees is
refused (exit 2) with its first difference, never rendered."""

import importlib
from datetime import date
from pathlib import Path

from ..errors import EXIT_OK, InputError
from ..formats import SUFFIXES, check_suffix

# kind → (module under engine.render, default format)
KINDS = {
    "checklist": ("checklist", "xlsx"),
    "oscal": ("oscal", "json"),
    "html": ("html", "html"),
    "statement": ("statement", "md"),
    "soa": ("soa", "csv"),
    "period": ("period", "html"),
}
ALL_FORMATS = ("xlsx", "csv", "md", "html", "json")


def choose_format(kind: str, formats: tuple[str, ...], requested: str | None, out: Path) -> str:
    """--format if given (it must suit the kind), else the format --out's suffix names,
    else the default; a suffix naming another format is refused (`--out c.ods` never
    holds an XLSX workbook)."""
    if requested:
        if requested not in formats:
            raise InputError(f"report {kind}: --format {requested} is not available (choose from {', '.join(formats)})")
        check_suffix(requested, out)
        return requested
    name = out.name.lower()
    named = [f for f in formats if name.endswith(SUFFIXES[f])]
    if named:
        return named[0]
    if out.suffix:
        raise InputError(f"--out {out}: report {kind} writes {', '.join(formats)} (name the file "
                         f"{' or '.join('*' + SUFFIXES[f][0] for f in formats)}), not a {out.suffix} file")
    return KINDS[kind][1]


def cmd_report(args) -> int:
    from ..evidence_files import read_evidence_dir
    from ..jsonio import write_atomic
    from ..render.evidence_dir import Options, load_stored_scan
    from ..reperform import reperform

    if args.kind == "period":  # renders a period of the scan history, not one stored scan
        from .period import cmd_report_period
        return cmd_report_period(args, choose_format)
    if not args.evidence:
        raise InputError(f"report {args.kind} needs --evidence DIR")

    module = importlib.import_module(f"genmei.engine.render.{KINDS[args.kind][0]}")
    out = Path(args.out)
    fmt = choose_format(args.kind, module.FORMATS, args.format, out)
    if out.is_dir():
        raise InputError(f"--out {out}: is a directory, expected a file name")
    if args.date:
        try:
            date.fromisoformat(args.date)
        except ValueError:
            raise InputError(f"--date {args.date!r}: expected a date YYYY-MM-DD") from None
    if args.internal and args.kind != "checklist":
        raise InputError("--internal applies to `report checklist` only (the provider's workpaper)")
    scan = load_stored_scan(args.evidence)
    # A service scan names its service and provider; the options given here take precedence.
    named = scan.evidence.get("service", {})
    service, organisation = args.service or named.get("name"), args.organisation or named.get("organisation")
    if args.kind == "statement" and not (service and organisation):
        raise InputError("report statement needs --service NAME and --organisation NAME (the 言明書 is made out to them; "
                         "a scan with --config takes them from genmei.yaml)")
    options = Options(lang=args.lang, service=service, organisation=organisation,
                      representative=args.representative, date=args.date, internal=args.internal)
    files, _ = read_evidence_dir(scan.directory)
    reperform(scan.directory, scan.evidence, files, scan.catalog)
    data = module.render(scan, options, fmt)
    write_atomic(out, data)
    print(f"{args.kind} ({fmt}, {args.lang}): {out}")
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("report", help="render a stored scan for auditors: checklist, OSCAL, HTML, 言明書 draft, SoA",
                       description="Render the evidence a `genmei scan --out DIR` stored, without rescanning.")
    p.add_argument("kind", choices=tuple(KINDS),
                   help="checklist (xlsx|csv: the customer's, seed-000 layout), oscal (json), html, statement (md|html), "
                        "soa (csv), period (html|json|xlsx: a period of the scan history)")
    p.add_argument("--evidence", metavar="DIR", help="the directory `genmei scan --out DIR` wrote (every kind but period)")
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write (whole or not at all)")
    p.add_argument("--format", choices=ALL_FORMATS, help="output format (default: from --out's suffix, else the kind's default)")
    p.add_argument("--lang", choices=("ja", "en"), default="ja", help="language (default: ja)")
    p.add_argument("--service", metavar="NAME", help="the service the checklist or statement is made out to (e.g. ○○クラウドサービス)")
    p.add_argument("--organisation", metavar="NAME", help="the organisation providing it (e.g. ○○株式会社)")
    p.add_argument("--representative", metavar="TEXT", help="who signs the statement (e.g. 代表取締役社長 山田 太郎)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date printed on the document (default: the scan's as-of date)")
    p.add_argument("--internal", action="store_true",
                   help="checklist: the provider's workpaper (resources, reasons, digests, per-risk sheets) instead of "
                        "the customer-facing checklist, which names no resource and leaves 利用者記入欄 empty")
    from .period import add_period_options
    add_period_options(p)
    p.set_defaults(func=cmd_report)
