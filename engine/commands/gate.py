"""`genmei gate PLAN.json`: the pre-deploy policy gate on a Terraform plan.

The plan is normalised into the canonical snapshot (collectors/terraform) and evaluated
by the same checks and the same scan pipeline as a live account. Exit codes for CI:
0 nothing at or above --fail-on fails; 1 failures at or above it (an expired exception
waives nothing), or with --fail-on-unknown checks that need values known only after
apply; 2 unreadable or invalid plan or option; 3 the engine could not evaluate (a result
with status ERROR): the gate never passes when it could not judge.
"""

import sys
from datetime import date
from pathlib import Path

from ..errors import EXIT_ENGINE, EXIT_FINDINGS, EXIT_OK, EngineError, InputError
from ..formats import RESULT_FORMATS, check_suffix
from ..vocabulary import Status
from .scan import (PARAMS_HELP, check_exception_ids, failing, load_params, make_backend, meets_threshold, parse_date,
                   parse_fail_on, progress)

FORMATS = ("table", "json", "sarif", "junit", *RESULT_FORMATS)


def warn(message: str) -> None:
    from .. import console

    console.warn(message)


def known_after_apply(result: dict, unknown_of: dict[str, set]) -> bool:
    """A NOT_EVALUATED result whose missing attribute is known only after apply."""
    missing = (result.get("evidence") or {}).get("missing") or []
    return result["status"] == Status.NOT_EVALUATED and bool(set(missing) & unknown_of.get(result["resource"], set()))


def cmd_gate(args) -> int:
    from genmei.collectors.terraform.plan import read_plan
    from genmei.collectors.terraform.snapshot import normalise

    from ..baseline import baseline_document, load_baseline, mark_baseline
    from ..catalog import load_catalog
    from ..exceptions import load_exceptions
    from ..jsonio import dump_json, sha256_hex, write_atomic
    from ..policies import load_bundle
    from ..scan import run_scan
    from ..snapshot import Snapshot, by_type_of, validate_attrs, validate_envelope

    # Every option and input file is read and validated before anything is evaluated.
    fail_on = parse_fail_on(args.fail_on)
    today = parse_date(args.as_of) if args.as_of else date.today()
    for option, path in (("--out", args.out), ("--write-baseline", args.write_baseline)):
        if path and Path(path).is_dir():
            raise InputError(f"{option} {path}: is a directory, expected a file")
    if args.out and args.format in RESULT_FORMATS:
        check_suffix(args.format, args.out)
    catalog = load_catalog()
    bundle = load_bundle(params_override=load_params(args.params))
    exceptions = load_exceptions(args.exceptions) if args.exceptions else []
    known_failures = load_baseline(args.baseline) if args.baseline else set()
    backend = make_backend(args)
    plan = read_plan(args.plan)
    locate = None
    if args.source_dir:
        from genmei.collectors.terraform.sources import SourceLocator
        locate = SourceLocator(args.source_dir, plan, warn)

    doc, report = normalise(plan, locate)
    try:
        validate_envelope(doc, "the normalised plan")
        by_type = by_type_of(doc, "the normalised plan")
    except InputError as e:   # a normaliser defect, not the user's input
        raise EngineError(e.message) from None
    # Attribute values come from the plan as written: one of the wrong type (a boolean
    # given as an object) is the plan's, named with the resource and attribute.
    validate_attrs(by_type, args.plan)
    snapshot = Snapshot(doc=doc, sha256=sha256_hex(dump_json(doc)), path=args.plan)
    progress(f"evaluating {len(snapshot.resources)} resources from {plan.path} with the {backend.name} engine…")
    result = run_scan(snapshot, bundle, backend, catalog, [], exceptions, today)
    check_exception_ids(exceptions, result.evaluation.checks, args.exceptions)

    evidence = result.evidence
    results = evidence["results"]
    for r in results:
        r["plan_action"] = report["actions"].get((r.get("source") or {}).get("ref"))
    fixed = mark_baseline(results, known_failures)
    unknown_of = {r["id"]: set(r.get("unknown", [])) for r in snapshot.resources}
    failures = [r for r in failing(results, fail_on) if not r.get("baseline")]
    unknowns = [r for r in results if args.fail_on_unknown and known_after_apply(r, unknown_of) and meets_threshold(r, fail_on)]
    errors = [r for r in results if r["status"] == "ERROR"]
    code = EXIT_ENGINE if errors else EXIT_FINDINGS if failures or unknowns else EXIT_OK
    evidence["gate"] = {
        "plan": plan.path, "format_version": plan.format_version, "terraform_version": plan.terraform_version,
        "fail_on": args.fail_on, "fail_on_unknown": args.fail_on_unknown,
        "passed": code == EXIT_OK, "exit_code": code,
        "failing": [r["id"] for r in failures], "failing_unknown": [r["id"] for r in unknowns],
        "errors": [r["id"] for r in errors],
        "baseline": {"file": args.baseline, "known_failures": sum(1 for r in results if r.get("baseline")), "fixed": fixed}
        if args.baseline else None,
        "planned_resources": report["planned_resources"], "canonical_resources": report["canonical_resources"],
        "not_judged": report["not_judged"], "types_without_checks": report["types_without_checks"],
    }

    if args.write_baseline:
        if errors:
            print("genmei: error: some checks could not produce a result (status ERROR); no baseline written", file=sys.stderr)
            return EXIT_ENGINE
        write_atomic(args.write_baseline, baseline_document(results, plan.path))
        recorded = sum(1 for r in results if r["status"] == "FAIL")
        print(f"genmei: baseline {args.write_baseline}: {recorded} failure(s) recorded", file=sys.stderr)
        code = evidence["gate"]["exit_code"] = EXIT_OK
        evidence["gate"]["baseline_written"] = args.write_baseline

    emit(args, evidence, result.evaluation.checks)
    if errors:
        print("genmei: error: some checks could not produce a result (status ERROR); the gate does not pass", file=sys.stderr)
    return code


def emit(args, evidence: dict, checks) -> None:
    from ..jsonio import dump_json, write_atomic
    from ..render.gate_table import render_gate

    table = render_gate(evidence, args.lang)
    if args.format == "table":
        data = table.encode("utf-8")
    elif args.format == "json":
        data = dump_json(evidence)
    elif args.format == "sarif":
        from ..render.sarif import render_sarif
        data = dump_json(render_sarif(evidence, checks, args.lang))
    elif args.format in RESULT_FORMATS:
        from ..render.results import render_results
        data = render_results(args.format, evidence, args.lang)
    else:
        from ..render.junit import render_junit
        data = render_junit(evidence)
    if args.out:
        write_atomic(args.out, data)
        if args.format != "table":
            sys.stdout.write(table)
        print(f"{args.format}: {args.out}")
    else:
        sys.stdout.write(data.decode("utf-8"))


def register(sub) -> None:
    g = sub.add_parser("gate", help="pre-deploy gate: judge a Terraform plan (terraform show -json) before apply",
                       description="Normalise a `terraform show -json` plan into the canonical snapshot and run every "
                                   "check on it. Exit 0 pass, 1 failures at or above --fail-on, 2 unreadable or invalid "
                                   "plan or option, 3 engine error (the gate never passes when it could not evaluate).")
    g.add_argument("plan", metavar="PLAN.json", help="output of `terraform show -json PLANFILE`")
    g.add_argument("--fail-on", default="high", metavar="LEVEL",
                   help="exit 1 when a FAIL is at or above this: none|low|medium|high|critical, or risk ids like H05,M08 (default: high)")
    g.add_argument("--fail-on-unknown", action="store_true",
                   help="fail closed: also exit 1 when a check at or above --fail-on needs a value known only after apply")
    g.add_argument("--exceptions", metavar="FILE", help="exceptions (waivers) YAML; resources are plan addresses")
    g.add_argument("--baseline", metavar="FILE", help="known failures recorded earlier: reported, but only new failures fail the gate")
    g.add_argument("--write-baseline", metavar="FILE", help="record the plan's current failures as a baseline, then exit 0")
    g.add_argument("--source-dir", metavar="DIR", help="the Terraform configuration: adds the .tf file and line of each resource")
    g.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    g.add_argument("--out", metavar="FILE", help="write the output here (the table still goes to stdout)")
    g.add_argument("--opa-url", metavar="URL", help="evaluate on an OPA server instead of the embedded engine")
    g.add_argument("--opa-timeout", type=float, default=60.0, metavar="SECONDS", help="OPA server request timeout (default: 60)")
    g.add_argument("--params", metavar="FILE", help=PARAMS_HELP)
    g.add_argument("--as-of", metavar="DATE", help="judge expiry of exceptions on this date (default: today)")
    g.add_argument("--lang", choices=("ja", "en"), default="ja", help="language of titles and remediation (default: ja)")
    g.set_defaults(func=cmd_gate)
