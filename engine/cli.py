"""genmei command line: the one place that maps names to implementations.

Exit codes: 0 ran and nothing at or above --fail-on failed; 1 failures at or above it;
2 usage or input error; 3 engine or collection error.
"""

import argparse
import re
import os
import sys
from datetime import date
from pathlib import Path

from . import __version__
from .errors import EXIT_ENGINE, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, GenmeiError, InputError
from .jsonio import dump_json, write_atomic

SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3, "critical": 4}
RISK_ID = re.compile(r"^[HML](0[1-9]|1[0-9]|2[01])$")


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2."""

    def error(self, message):
        print(f"genmei: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        sys.exit(EXIT_INPUT)


def parse_fail_on(value: str):
    """none | low | medium | high | critical (that severity or above) | risk ids H05,M08."""
    v = value.strip()
    if v.lower() == "none":
        return ("none", None)
    if v.lower() in SEVERITY_RANK:
        return ("severity", SEVERITY_RANK[v.lower()])
    risks = [x.strip().upper() for x in v.split(",") if x.strip()]
    if risks and all(RISK_ID.match(r) for r in risks):
        return ("risks", set(risks))
    raise InputError(f"--fail-on {value!r}: expected none, low, medium, high, critical, or risk ids such as H05,M08")


def failing(results: list[dict], fail_on) -> list[dict]:
    kind, arg = fail_on
    if kind == "none":
        return []
    fails = [r for r in results if r["status"] == "FAIL"]
    if kind == "severity":
        return [r for r in fails if SEVERITY_RANK[r["severity"]] >= arg]
    return [r for r in fails if arg & set(r["risks"])]


def progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"genmei: {message}", file=sys.stderr)


def make_backend(args):
    if args.opa_url:
        from .backends.opa_server import OpaServerBackend
        return OpaServerBackend(args.opa_url, timeout=args.opa_timeout)
    from .backends.embedded import EmbeddedBackend
    return EmbeddedBackend()


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of {value!r}: expected a date YYYY-MM-DD") from None


def load_params(path: str | None) -> dict | None:
    if not path:
        return None
    from .jsonio import load_yaml
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise InputError(f"{path}: expected a mapping of parameters")
    return doc


def cmd_scan(args) -> int:
    from .attestations import load_attestations
    from .catalog import load_catalog
    from .exceptions import load_exceptions
    from .policies import load_bundle
    from .render.table import render
    from .scan import run_scan
    from .snapshot import load_snapshot

    # Everything the user gave is read and validated before anything runs or is written.
    fail_on = parse_fail_on(args.fail_on)
    today = parse_date(args.as_of) if args.as_of else date.today()
    out_dir = Path(args.out) if args.out else None
    if out_dir and out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out {out_dir}: exists and is not a directory")
    catalog = load_catalog()
    bundle = load_bundle(params_override=load_params(args.params))
    snapshot = load_snapshot(args.snapshot)
    attestations = load_attestations(args.attestations, set(catalog.items)) if args.attestations else []
    backend = make_backend(args)
    progress(f"evaluating {len(snapshot.resources)} resources with the {backend.name} engine…")
    # Exceptions naming unknown checks are caught after the engine lists the checks.
    exceptions = load_exceptions(args.exceptions) if args.exceptions else []
    result = run_scan(snapshot, bundle, backend, catalog, attestations, exceptions, today)
    known = {c.id for c in result.evaluation.checks}
    unknown = sorted({e.check for e in exceptions if e.check != "*"} - known)
    if unknown:
        raise InputError(f"{args.exceptions}: unknown check id(s) {', '.join(unknown)}")

    evidence = result.evidence
    text = render(evidence, args.lang)
    if out_dir:
        write_atomic(out_dir / "evidence.json", dump_json(evidence))
        write_atomic(out_dir / "summary.txt", text.encode("utf-8"))
    if args.format == "json":
        sys.stdout.write(dump_json(evidence).decode("utf-8"))
    else:
        sys.stdout.write(text)
        if out_dir:
            print(f"evidence: {out_dir / 'evidence.json'}")
    if any(r["status"] == "ERROR" for r in evidence["results"]):
        print("genmei: error: some checks could not produce a result (status ERROR); see the evidence", file=sys.stderr)
        return EXIT_ENGINE
    return EXIT_FINDINGS if failing(evidence["results"], fail_on) else EXIT_OK


def cmd_catalog(args) -> int:
    from .catalog import load_catalog

    catalog = load_catalog()
    risk_ids = [r["id"] for r in catalog.risks]
    if args.risk and args.risk.upper() not in risk_ids:
        raise InputError(f"--risk {args.risk!r}: expected one of H01…L21")
    if args.what == "risks":
        rows = [r for r in catalog.risks if not args.risk or r["id"] == args.risk.upper()]
        if args.format == "json":
            sys.stdout.write(dump_json(rows).decode())
        else:
            for r in rows:
                scope = "基本言明" if r["basic_statement"] else "特約/対象外"
                items = catalog.risk_items(r["id"])
                print(f"{r['id']}  {r['level_ja']}  {r['name'][args.lang]}  [{scope}] items: {len(items)}")
        return EXIT_OK
    wanted = set(catalog.risk_items(args.risk.upper())) if args.risk else None
    rows = [i for i in catalog.items.values() if wanted is None or i["id"] in wanted]
    if args.format == "json":
        sys.stdout.write(dump_json(rows).decode())
    else:
        for i in rows:
            cited = ",".join(c["risk"] for c in i["cited_by"])
            text = i["text_ja"] if args.lang == "ja" else i["title_en"]
            print(f"{i['id']:<10} {i['evidence']:<9} {cited:<24} {text[:60]}")
    return EXIT_OK


def cmd_policy(args) -> int:
    from .policies import load_bundle

    if args.what == "test":
        from .policytest import report, run_policy_tests
        bundle = load_bundle(tests=True)
        ok = report(run_policy_tests(bundle), args.verbose)
        # METADATA of every check is validated too (against the schema and the catalog).
        _listed_checks(load_bundle())
        return EXIT_OK if ok else EXIT_FINDINGS
    checks = _listed_checks(load_bundle())
    if args.format == "json":
        sys.stdout.write(dump_json([c.summary() for c in checks]).decode())
    else:
        for c in checks:
            print(f"{c.id:<12} {c.severity:<8} {','.join(c.criteria):<18} {','.join(c.risks):<8} {c.title(args.lang)}")
    return EXIT_OK


def _listed_checks(bundle):
    from .backends.embedded import EmbeddedBackend
    from .catalog import load_catalog
    from .checks import extract
    from .errors import EngineError

    doc = EmbeddedBackend().evaluate(bundle, {"meta": {}, "resources": {}})
    checks = [c for c, _ in extract(doc, bundle)]
    catalog = load_catalog()
    for c in checks:
        for item in c.criteria:
            if item not in catalog.items:
                raise EngineError(f"policies/{c.file}: criteria item {item} is not in mappings/criteria.yaml")
            cited = {x["risk"] for x in catalog.items[item]["cited_by"]}
            if not cited & set(c.risks):
                raise EngineError(f"policies/{c.file}: item {item} is cited by none of the check's risks {list(c.risks)} in seed 004")
    return checks


def build_parser() -> Parser:
    p = Parser(prog="genmei", description="genmei (言明): JASA basic-statement evidence from cloud configuration, in Rego.",
               epilog="Exit codes: 0 ok, 1 failures at or above --fail-on, 2 usage or input error, 3 engine or collection error.")
    p.add_argument("--version", action="version", version=f"genmei {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    s = sub.add_parser("scan", help="evaluate a snapshot and write evidence tied to H01–M11")
    s.add_argument("--snapshot", required=True, metavar="FILE", help="canonical snapshot JSON (from collect, import or an example)")
    s.add_argument("--attestations", metavar="FILE", help="attestations YAML for manual and inherited items")
    s.add_argument("--exceptions", metavar="FILE", help="exceptions (waivers) YAML")
    s.add_argument("--out", metavar="DIR", help="write DIR/evidence.json and DIR/summary.txt")
    s.add_argument("--format", choices=("table", "json"), default="table", help="stdout format (default: table)")
    s.add_argument("--fail-on", default="high", metavar="LEVEL",
                   help="exit 1 when a FAIL is at or above this: none|low|medium|high|critical, or risk ids like H05,M08 (default: high)")
    s.add_argument("--opa-url", metavar="URL", help="evaluate on an OPA server (opa run --server) instead of the embedded engine")
    s.add_argument("--opa-timeout", type=float, default=60.0, metavar="SECONDS", help="OPA server request timeout (default: 60)")
    s.add_argument("--params", metavar="FILE", help="YAML overriding policies/params.yaml thresholds")
    s.add_argument("--as-of", metavar="DATE", help="judge expiry of exceptions and attestations on this date (default: today)")
    s.add_argument("--lang", choices=("ja", "en"), default="ja", help="labels in the table (default: ja)")
    s.set_defaults(func=cmd_scan)

    c = sub.add_parser("catalog", help="list the JASA risks or criteria items (seed 004)")
    c.add_argument("what", choices=("risks", "items"))
    c.add_argument("--risk", metavar="ID", help="only this risk (e.g. H05), or the items it cites")
    c.add_argument("--format", choices=("table", "json"), default="table")
    c.add_argument("--lang", choices=("ja", "en"), default="ja")
    c.set_defaults(func=cmd_catalog)

    pol = sub.add_parser("policy", help="list the checks or run the Rego tests")
    pol.add_argument("what", choices=("list", "test"))
    pol.add_argument("--format", choices=("table", "json"), default="table")
    pol.add_argument("--lang", choices=("ja", "en"), default="en")
    pol.add_argument("-v", "--verbose", action="store_true", help="list every test, not only failures")
    pol.set_defaults(func=cmd_policy)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except GenmeiError as e:
        print(f"genmei: error: {e.message}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("genmei: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - never a traceback for users
        if os.environ.get("GENMEI_DEBUG"):
            raise
        print(f"genmei: internal error: {type(e).__name__}: {' '.join(str(e).split())[:300]} "
              "(set GENMEI_DEBUG=1 for a traceback and please report it)", file=sys.stderr)
        return EXIT_ENGINE


if __name__ == "__main__":
    sys.exit(main())
