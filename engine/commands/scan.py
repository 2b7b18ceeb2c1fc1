"""`genmei scan` (a snapshot file, or `scan <provider>`: collect then evaluate) and
`genmei collect <provider>`. Providers come from genmei.collectors.registry."""

import re
import sys
from datetime import date
from pathlib import Path

from ..errors import EXIT_ENGINE, EXIT_FINDINGS, EXIT_OK, InputError
from ..formats import RESULT_FORMATS
from ..vocabulary import Severity, Status
from .history import add_store_option, open_store

PARAMS_HELP = ("YAML overriding thresholds of policies/params.yaml, deep-merged into it (maps merge key by key, "
               "lists replace) and checked by mappings/schema/params.schema.json")
RISK_ID = re.compile(r"^[HML](0[1-9]|1[0-9]|2[01])$")


def parse_fail_on(value: str):
    """none | low | medium | high | critical (that severity or above) | risk ids H05,M08."""
    v = value.strip()
    if v.lower() == "none":
        return ("none", None)
    if v.lower() in {s.value for s in Severity}:
        return ("severity", Severity(v.lower()).rank)
    risks = [x.strip().upper() for x in v.split(",") if x.strip()]
    if risks and all(RISK_ID.match(r) for r in risks):
        return ("risks", set(risks))
    raise InputError(f"--fail-on {value!r}: expected none, low, medium, high, critical, or risk ids such as H05,M08")


def failing(results: list[dict], fail_on) -> list[dict]:
    return [r for r in results if r["status"] == Status.FAIL and meets_threshold(r, fail_on)]


def meets_threshold(result: dict, fail_on) -> bool:
    """The result's check is at or above the --fail-on severity, or covers one of its risks."""
    kind, arg = fail_on
    if kind == "none":
        return False
    if kind == "severity":
        return Severity(result["severity"]).rank >= arg
    return bool(arg & set(result["risks"]))


def check_exception_ids(exceptions, checks, name) -> None:
    """Exceptions naming unknown checks are caught once the engine has listed the checks."""
    unknown = sorted({e.check for e in exceptions if e.check != "*"} - {c.id for c in checks})
    if unknown:
        raise InputError(f"{name}: unknown check id(s) {', '.join(unknown)}")


def progress(message: str) -> None:
    """Progress lines go to stderr: on a terminal, or with --verbose (engine/console.py)."""
    from .. import console

    console.progress(message)


def make_backend(args):
    if args.opa_url:
        from ..backends.opa_server import OpaServerBackend
        return OpaServerBackend(args.opa_url, timeout=args.opa_timeout)
    from ..backends.embedded import EmbeddedBackend
    return EmbeddedBackend()


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of {value!r}: expected a date YYYY-MM-DD") from None


def load_params(path: str | None) -> dict | None:
    """--params FILE, validated and merged over policies/params.yaml by engine/policies.py."""
    from ..policies import read_params_override

    return read_params_override(path) if path else None


def add_scan_options(p) -> None:
    p.add_argument("--config", metavar="FILE",
                   help="service configuration (default: ./genmei.yaml when the scan names no input of its own): "
                        "the sources of one service and its settings; options given here override the file")
    p.add_argument("--attestations", metavar="FILE", help="attestations YAML for manual and inherited items")
    p.add_argument("--exceptions", metavar="FILE", help="exceptions (waivers) YAML")
    p.add_argument("--out", metavar="DIR", help="write DIR/evidence.json, DIR/summary.txt and the inputs as used (snapshot, policies, attestations, exceptions) with SHA256SUMS")
    p.add_argument("--format", choices=("table", "json", *RESULT_FORMATS), default="table",
                   help="stdout format: table, json (the evidence), ocsf (OCSF Compliance Finding events) or csv "
                        "(one row per result) (default: table)")
    p.add_argument("--fail-on", metavar="LEVEL",
                   help="exit 1 when a FAIL is at or above this: none|low|medium|high|critical, or risk ids like H05,M08 (default: high)")
    p.add_argument("--checks", metavar="ID,...", help="run only these checks: ids or globs such as GM-NET-*,GM-ADMIN-001 "
                                                      "(the evidence says what was left out; a filtered scan never states 準拠)")
    p.add_argument("--skip-checks", metavar="ID,...", help="leave these checks out: ids or globs")
    p.add_argument("--opa-url", metavar="URL", help="evaluate on an OPA server (opa run --server) instead of the embedded engine")
    p.add_argument("--opa-timeout", type=float, default=60.0, metavar="SECONDS", help="OPA server request timeout (default: 60)")
    p.add_argument("--params", metavar="FILE", help=PARAMS_HELP)
    p.add_argument("--as-of", metavar="DATE", help="judge expiry of exceptions and attestations on this date (default: today)")
    p.add_argument("--lang", choices=("ja", "en"), help="labels in the table (default: ja)")
    add_store_option(p, scan=True)


# Settings a genmei.yaml may give, applied where the command line did not (CLI over file).
CONFIG_SETTINGS = ("attestations", "exceptions", "params", "out", "fail_on", "lang")


def apply_config(args, config) -> None:
    """The file's settings where the command line gave none; then the defaults."""
    if config is not None:
        for key in CONFIG_SETTINGS:
            if getattr(args, key, None) is None and key in config.settings:
                setattr(args, key, config.settings[key])
        for key in ("checks", "skip_checks"):
            if getattr(args, key, None) is None and key in config.settings:
                setattr(args, key, config.settings[key])
        store = config.settings.get("store")
        if store is False and not args.store:
            args.no_store = True
        elif store and not args.store and not args.no_store:
            args.store = store
        if args.service is None:
            args.service = config.service
    if args.fail_on is None:
        args.fail_on = "high"
    if args.lang is None:
        args.lang = "ja"


def check_out_dir(out: str) -> None:
    """scan --out names a directory of evidence files; a name with a file format's suffix
    (results.json, report.html) is a file the user expected, not the directory they would get."""
    from ..formats import SUFFIXES

    suffix = Path(out).suffix.lower()
    if suffix and any(suffix in s for s in SUFFIXES.values()) and not Path(out).is_dir():
        raise InputError(f"--out {out}: names the evidence directory (evidence.json, snapshot.json, … are written into "
                         f"it), not a {suffix} file; for the results on stdout use --format, e.g. --format json > results.json")


def execute_scan(args, get_snapshot) -> int:
    """The scan pipeline behind every `scan` form. `get_snapshot()` returns
    (Snapshot, bytes or None): the bytes when the snapshot was collected in this run,
    None when it was read from the file at Snapshot.path. With --out the directory gets
    the evidence and every input as used (engine/evidence_files.py); unless --no-store the
    run is recorded in the scan history (engine/history.py)."""
    from ..attestations import load_attestations
    from ..catalog import load_catalog
    from ..evidence_files import scan_files, write_evidence_dir
    from ..exceptions import load_exceptions
    from ..jsonio import read_bytes
    from ..policies import load_bundle
    from ..render.table import render, terminal_layout
    from ..scan import run_scan
    from ..snapshot import source_positions

    from ..check_metadata import checks_from_modules
    from ..filters import CheckFilter, parse_patterns

    # Everything the user gave is read and validated before anything runs or is written.
    fail_on = parse_fail_on(args.fail_on)
    today = parse_date(args.as_of) if args.as_of else date.today()
    out_dir = Path(args.out) if args.out else None
    if out_dir:
        check_out_dir(args.out)
    if out_dir and out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out {out_dir}: exists and is not a directory")
    catalog = load_catalog()
    bundle = load_bundle(params_override=load_params(args.params))
    check_filter = CheckFilter(parse_patterns(args.checks, "--checks"), parse_patterns(args.skip_checks, "--skip-checks"))
    if check_filter:
        check_filter.split(c.id for c in checks_from_modules(bundle.modules, "policies"))
    attestations = load_attestations(args.attestations, catalog) if args.attestations else []
    exceptions = load_exceptions(args.exceptions) if args.exceptions else []
    given = {name: read_bytes(path) if out_dir and path else None for name, path in
             (("attestations", args.attestations), ("exceptions", args.exceptions))}
    backend = make_backend(args)
    store = open_store(args, create=True)
    snapshot, collected = get_snapshot()
    snapshot_bytes = (collected if collected is not None else _copy_of(snapshot)) if out_dir else None
    progress(f"evaluating {len(snapshot.resources)} resources with the {backend.name} engine…")
    service = {"name": args.service, "organisation": getattr(args, "organisation", None)} if args.service else None
    result = run_scan(snapshot, bundle, backend, catalog, attestations, exceptions, today, check_filter, service)
    check_exception_ids(exceptions, result.evaluation.checks, args.exceptions)

    evidence = result.evidence
    text = render(evidence, args.lang)
    members = None
    if out_dir:
        files = scan_files(evidence, text, snapshot_bytes, bundle, given["attestations"], given["exceptions"])
        members = write_evidence_dir(out_dir, files, store.reopen_at if store else None)
    run_id = None
    if store:
        with store:
            run_id = store.record(evidence, snapshot.resources, out_dir, members, service=args.service,
                                  sources_of=source_positions(snapshot), resource_rows=snapshot.history_rows())
    if args.format == "json":
        write_stdout_json(evidence)
    elif args.format in RESULT_FORMATS:
        from ..render.results import render_results
        sys.stdout.write(render_results(args.format, evidence, args.lang).decode("utf-8"))
    else:
        columns, colour = terminal_layout()
        sys.stdout.write(render(evidence, args.lang, columns, colour) if columns else text)
        if out_dir:
            print(f"evidence: {out_dir / 'evidence.json'}")
        if run_id:
            print(f"history: run {run_id} in {store.location}")
    if evidence["summary"][Status.ERROR]:
        print("genmei: error: some checks could not produce a result (status ERROR); see the evidence", file=sys.stderr)
        return EXIT_ENGINE
    return EXIT_FINDINGS if failing(evidence["results"], fail_on) else EXIT_OK


def write_stdout_json(document) -> None:
    """dump_json's bytes on stdout, streamed (jsonio.write_json) where stdout has bytes."""
    from ..jsonio import dump_json, write_json

    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(dump_json(document).decode("utf-8"))
        return
    sys.stdout.flush()
    write_json(document, out)
    out.flush()


def _copy_of(snapshot):
    """The snapshot file for the evidence directory, copied as the directory is written
    (not held in memory: at a million resources it is gigabytes), refused there if the
    file changed meanwhile."""
    from ..evidence_files import FileCopy

    return FileCopy(snapshot.path, snapshot.sha256)


def cmd_scan(args) -> int:
    from ..config import find_config, load_config
    from ..snapshot import load_for_scan

    has_input = bool(getattr(args, "provider", None) or args.snapshot)
    config_path = find_config(args.config, has_input)
    config = load_config(config_path) if config_path else None
    if config and has_input:
        from .. import console
        console.note(f"{'--snapshot' if args.snapshot else 'scan ' + args.provider} replaces the sources of {config_path}; "
                     "its other settings apply")
    apply_config(args, config)
    args.organisation = config.organisation if config else None
    if getattr(args, "provider", None):
        return execute_scan(args, lambda: collect_snapshot(args))
    if args.snapshot:
        return execute_scan(args, lambda: (load_for_scan(args.snapshot, digests=not args.no_store), None))
    if config is None:
        raise InputError("scan needs --snapshot FILE, a provider (genmei scan aws|azure|gcp …) or a service configuration "
                         "(--config genmei.yaml, or a genmei.yaml in this directory); see `genmei scan --help`")
    from ..service import collect_service

    return execute_scan(args, lambda: collect_service(config, progress))


def collect_snapshot(args):
    """Run the provider's collector; return the validated snapshot and its bytes."""
    from genmei.collectors.registry import load_provider

    from ..jsonio import dump_json, sha256_hex
    from ..snapshot import Snapshot, validate_snapshot

    doc = load_provider(args.provider).collect(args, progress)
    validate_snapshot(doc, f"{args.provider} collector output")
    data = dump_json(doc)
    return Snapshot(doc=doc, sha256=sha256_hex(data), path=f"{args.provider}:live"), data


def cmd_collect(args) -> int:
    from ..jsonio import write_atomic

    if not getattr(args, "provider", None):
        raise InputError("collect needs a provider (see `genmei collect --help`)")
    if not args.out:
        raise InputError("collect needs --out FILE")
    from ..formats import check_suffix

    check_suffix("json", args.out, what="a snapshot (JSON)")
    snapshot, data = collect_snapshot(args)
    write_atomic(args.out, data)
    gaps = snapshot.meta.get("gaps", [])
    print(f"snapshot: {args.out} ({len(snapshot.resources)} resources, {len(gaps)} gap(s), sha256 {snapshot.sha256})")
    return EXIT_OK


def register(sub) -> None:
    from genmei.collectors.registry import PROVIDERS, load_provider

    s = sub.add_parser("scan", help="evaluate a snapshot (or collect one: scan PROVIDER) and write evidence tied to H01–M11")
    s.add_argument("--snapshot", metavar="FILE", help="canonical snapshot JSON (from collect, import or an example)")
    add_scan_options(s)
    s.set_defaults(func=cmd_scan, provider=None)
    c = sub.add_parser("collect", help="collect a canonical snapshot from a cloud account (read-only)")
    c.set_defaults(func=cmd_collect)
    if PROVIDERS:
        scan_sub = s.add_subparsers(dest="provider", metavar="PROVIDER", parser_class=type(s))
        collect_sub = c.add_subparsers(dest="provider", metavar="PROVIDER", required=True, parser_class=type(c))
        for name in PROVIDERS:
            provider = load_provider(name)
            ps = scan_sub.add_parser(name, help=f"collect from {provider.TITLE} then evaluate")
            provider.add_arguments(ps)
            add_scan_options(ps)
            pc = collect_sub.add_parser(name, help=f"collect from {provider.TITLE}")
            provider.add_arguments(pc)
            pc.add_argument("--out", required=True, metavar="FILE", help="write the snapshot JSON here")
