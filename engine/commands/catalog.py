"""`genmei catalog risks|items`: the JASA catalog of seed 004."""

import sys

from ..errors import EXIT_OK, InputError


def cmd_catalog(args) -> int:
    from ..catalog import load_catalog
    from ..jsonio import dump_json

    catalog = load_catalog()
    risk_ids = [r["id"] for r in catalog.risks]
    risk = args.risk.upper() if args.risk else None
    if risk and risk not in risk_ids:
        raise InputError(f"--risk {args.risk!r}: expected one of H01…L21")
    if args.what == "risks":
        rows = [r for r in catalog.risks if not risk or r["id"] == risk]
        if args.format == "json":
            sys.stdout.write(dump_json(rows).decode())
        else:
            for r in rows:
                scope = ("基本言明" if args.lang == "ja" else "basic statement") if r["basic_statement"] else \
                    ("基本言明の対象外" if args.lang == "ja" else "outside the basic statement")
                print(f"{r['id']}  {r['level_ja'] if args.lang == 'ja' else r['level']:<6} {r['name'][args.lang]}  "
                      f"[{scope}] {len(catalog.risk_items(r['id']))} items")
        return EXIT_OK
    wanted = set(catalog.risk_items(risk)) if risk else None
    rows = [i for i in catalog.items.values() if wanted is None or i["id"] in wanted]
    if args.format == "json":
        sys.stdout.write(dump_json(rows).decode())
    else:
        for i in rows:
            cited = ",".join(c["risk"] for c in i["cited_by"])
            text = i["text_ja"] if args.lang == "ja" else i["title_en"]
            print(f"{i['id']:<10} {i['evidence']:<9} {cited:<24} {text[:60]}")
    return EXIT_OK


def register(sub) -> None:
    c = sub.add_parser("catalog", help="list the JASA risks or criteria items (seed 004)")
    c.add_argument("what", choices=("risks", "items"))
    c.add_argument("--risk", metavar="ID", help="only this risk (e.g. H05), or the items it cites")
    c.add_argument("--format", choices=("table", "json"), default="table")
    c.add_argument("--lang", choices=("ja", "en"), default="ja")
    c.set_defaults(func=cmd_catalog)
