"""`genmei report period --store S --from DATE --to DATE [--service NAME] [--account A]
--out FILE [--seal BUNDLE [--sign-key KEY]]`: how the controls operated over an audit
period (engine/period.py), rendered as html, json or xlsx (engine/render/period.py),
and optionally sealed into an evidence bundle (engine/bundle.py) whose runs `history
prune` then never deletes."""

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import EXIT_OK, InputError
from .history import open_store

ROLES = {"period.json": "the period report: calendar, judgements by day, failures, exceptions, attestations, run digests",
         "period.html": "the period report as rendered (html)", "period.xlsx": "the period report as rendered (xlsx)"}


def add_period_options(p) -> None:
    g = p.add_argument_group("report period (reads the scan history, not --evidence)")
    g.add_argument("--store", metavar="PATH|URL", help="the scan history: an SQLite file or postgresql://… "
                                                       "(default: $GENMEI_STORE, else the user's history.sqlite)")
    g.add_argument("--from", dest="period_from", metavar="YYYY-MM-DD", help="first day of the period")
    g.add_argument("--to", dest="period_to", metavar="YYYY-MM-DD", help="last day of the period (inclusive)")
    g.add_argument("--account", metavar="ID", help="only this account (--service: only the runs scanned with "
                                                  "`scan --service NAME`; neither: every account)")
    g.add_argument("--tz", default="UTC", metavar="ZONE", help="time zone of the days, e.g. Asia/Tokyo (default: UTC)")
    g.add_argument("--seal", metavar="BUNDLE", help="also seal the report into this evidence bundle (zip) and record it "
                                                   "in the history, so that prune keeps the runs it rests on")
    g.add_argument("--sign-key", metavar="KEY", help="Ed25519 private key PEM to sign the bundle (with --seal)")


def _date(value: str | None, option: str) -> date:
    if not value:
        raise InputError(f"report period needs {option} YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None


def cmd_report_period(args, choose_format) -> int:
    from ..bundle import write_period_bundle
    from ..jsonio import dump_json, write_atomic
    from ..period import Selection, build
    from ..render.period import FORMATS, render

    if args.evidence:
        raise InputError("report period reads the scan history (--store), not --evidence")
    out = Path(args.out)
    if out.is_dir():
        raise InputError(f"--out {out}: is a directory, expected a file name")
    fmt = choose_format("period", FORMATS, args.format, out)
    start, end = _date(args.period_from, "--from"), _date(args.period_to, "--to")
    try:
        tz = ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"--tz {args.tz!r}: not a time zone (e.g. UTC, Asia/Tokyo)") from None
    if args.sign_key and not args.seal:
        raise InputError("--sign-key signs the bundle of --seal BUNDLE: give both")
    if args.seal:
        from ..formats import check_suffix

        check_suffix("zip", args.seal, option="--seal", what="an evidence bundle (zip)")
    seal = Path(args.seal) if args.seal else None
    if seal and (seal.is_dir() or seal.resolve() == out.resolve()):
        raise InputError(f"--seal {seal}: expected a bundle file name of its own (period.zip)")
    key = None
    if args.sign_key:
        from ..signing import load_private_key
        key = load_private_key(args.sign_key)
    title = " ".join(x for x in (args.service, f"({args.organisation})" if args.organisation else "") if x) or None
    selection = Selection(start, end, tz, args.tz, account=args.account, service=args.service)

    with open_store(args, create=False) as store:
        doc = build(store, selection)
        data = render(doc, args.lang, fmt, title)
        if seal:
            files = {"period.json": dump_json(doc)}
            if fmt != "json":
                files[f"period.{fmt}"] = data
            period = {"from": doc["period"]["from"], "to": doc["period"]["to"], "timezone": doc["period"]["timezone"],
                      "account": args.account, "service": args.service, "sources": doc["selection"]["sources"],
                      "generated_at": doc["generated_at"], "runs": len(doc["runs"])}
            written = False
            try:
                with store.sealing(period, [r["id"] for r in doc["runs"]], str(seal.resolve()), doc["generated_at"]) as sealed:
                    manifest = write_period_bundle(seal, files, ROLES, period, key)
                    written = True
                    sealed(manifest["manifest_sha256"])
            except BaseException:
                if written:  # a bundle whose runs the history does not keep is not left behind
                    seal.unlink(missing_ok=True)
                raise
    write_atomic(out, data)
    s = doc["summary"]
    print(f"period ({fmt}, {args.lang}): {out} — {doc['period']['from']} to {doc['period']['to']}, {s['runs']} run(s), "
          f"{s['days']['scanned']} day(s) scanned, {s['days']['missed']} missed, {s['days']['partial']} partial; "
          f"{s['failures']['total']} failure(s), {s['failures']['open_at_end']} open at the end")
    if seal:
        print(f"sealed: {seal} (manifest sha256 {manifest['manifest_sha256']}); the {len(doc['runs'])} run(s) it rests on "
              "are kept by `history prune`")
    return EXIT_OK
