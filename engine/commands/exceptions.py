"""`genmei exceptions lint FILE`: every problem of an exceptions file at once, before a
scan or a gate trips on the first: schema violations (a missing expiry among them),
unknown check ids, expired or soon-expiring exceptions, duplicate ids, unscoped waivers.

Exit 0 clean (warnings allowed), 1 problems found, 2 the file cannot be read or parsed.
"""

import sys
from datetime import date, timedelta

from ..errors import EXIT_FINDINGS, EXIT_OK
from .scan import parse_date


def _describe(error) -> str:
    """One line for a jsonschema.ValidationError."""
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return "missing expiry (expires)" if missing == "expires" else f"missing {missing}"
    return " ".join(error.message.split())[:200]


def lint(doc, known_checks: set[str], today: date, warn_days: int) -> list[dict]:
    from ..exceptions import SCHEMA
    from ..jsonio import validator

    problems = []

    def add(level, where, entry_id, text):
        problems.append({"level": level, "where": where, "id": entry_id, "problem": text})

    entries = doc.get("exceptions") if isinstance(doc, dict) else None

    def entry_id(path):
        if len(path) >= 2 and isinstance(entries, list) and isinstance(path[1], int) and path[1] < len(entries):
            return entries[path[1]].get("id") if isinstance(entries[path[1]], dict) else None
        return None

    for error in sorted(validator(SCHEMA).iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        add("error", error.json_path, entry_id(list(error.absolute_path)), _describe(error))
    seen = set()
    for i, e in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(e, dict):
            continue
        where, eid = f"$.exceptions[{i}]", e.get("id")
        if isinstance(eid, str):  # any other id is reported by the schema (a map cannot even be compared)
            if eid in seen:
                add("error", where, eid, f"duplicate id {eid!r}")
            seen.add(eid)
        check = e.get("check")
        if isinstance(check, str) and check != "*" and check not in known_checks:
            add("error", where, eid, f"unknown check id {check}")
        if check == "*" and "resource" not in e and "tags" not in e:
            add("error", where, eid, "waives every check on every resource; scope it with resource or tags")
        try:
            expires = date.fromisoformat(str(e["expires"])) if "expires" in e else None
        except ValueError:
            continue   # reported by the schema
        if expires is None:
            continue
        if expires < today:
            add("error", where, eid, f"expired on {expires.isoformat()} (judged on {today.isoformat()}): it waives nothing")
        elif expires <= today + timedelta(days=warn_days):
            add("warning", where, eid, f"expires on {expires.isoformat()}, within {warn_days} days")
    return problems


def cmd_lint(args) -> int:
    from ..jsonio import dump_json
    from ..yamlio import load_yaml
    from ..policies import load_bundle
    from .policy import listed_checks

    today = parse_date(args.as_of) if args.as_of else date.today()
    doc = load_yaml(args.file)
    checks = {c.id for c in listed_checks(load_bundle())}
    problems = lint(doc, checks, today, args.warn_days)
    errors = [p for p in problems if p["level"] == "error"]
    if args.format == "json":
        sys.stdout.write(dump_json({"file": args.file, "as_of": today.isoformat(), "problems": problems}).decode())
    else:
        for p in problems:
            who = f" ({p['id']})" if p["id"] else ""
            print(f"{args.file}: {p['where']}{who}: {p['level']}: {p['problem']}")
        count = len(doc.get("exceptions", [])) if isinstance(doc, dict) and isinstance(doc.get("exceptions"), list) else 0
        print(f"{args.file}: {count} exception(s), {len(errors)} error(s), {len(problems) - len(errors)} warning(s)")
    return EXIT_FINDINGS if errors else EXIT_OK


def register(sub) -> None:
    ex = sub.add_parser("exceptions", help="check an exceptions (waivers) file")
    ex_sub = ex.add_subparsers(dest="action", required=True, metavar="ACTION", parser_class=type(ex))
    lint_p = ex_sub.add_parser("lint", help="report unknown check ids, past or missing expiry and other problems (exit 1 if any)")
    lint_p.add_argument("file", metavar="FILE")
    lint_p.add_argument("--as-of", metavar="DATE", help="judge expiry on this date (default: today)")
    lint_p.add_argument("--warn-days", type=int, default=30, metavar="N", help="warn about exceptions expiring within N days (default: 30)")
    lint_p.add_argument("--format", choices=("table", "json"), default="table")
    lint_p.set_defaults(func=cmd_lint)
