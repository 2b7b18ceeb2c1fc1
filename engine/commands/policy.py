"""`genmei policy list|test|bundle`: the checks as the engine reads them, their Rego
tests, and the checks as an OPA bundle (engine/opa_bundle.py)."""

import re
import sys

from ..errors import EXIT_FINDINGS, EXIT_OK, EngineError, InputError

REVISION = re.compile(r"^[\w.:+-]{1,128}$")


def cmd_policy(args) -> int:
    from ..jsonio import dump_json
    from ..policies import load_bundle

    if args.what == "bundle":
        return cmd_bundle(args)
    if args.what == "test":
        from ..policytest import report, run_policy_tests
        ok = report(run_policy_tests(load_bundle(tests=True)), args.verbose)
        # METADATA of every check is validated too (against the schema and the catalog).
        listed_checks(load_bundle())
        return EXIT_OK if ok else EXIT_FINDINGS
    checks = listed_checks(load_bundle())
    if args.format == "json":
        sys.stdout.write(dump_json([c.summary() for c in checks]).decode())
    else:
        for c in checks:
            print(f"{c.id:<12} {c.severity:<8} {','.join(c.criteria):<18} {','.join(c.risks):<8} {c.title(args.lang)}")
    return EXIT_OK


def cmd_bundle(args) -> int:
    from ..formats import check_suffix
    from ..jsonio import write_atomic
    from ..opa_bundle import build_opa_bundle, roots
    from ..policies import load_bundle
    from .scan import load_params

    if not args.out:
        raise InputError("policy bundle needs --out FILE (e.g. genmei-policies.tar.gz)")
    check_suffix("opa-bundle", args.out, what="an OPA bundle")
    if args.revision is not None and not REVISION.match(args.revision):
        raise InputError(f"--revision {args.revision!r}: expected 1 to 128 letters, digits or . _ : + -")
    bundle = load_bundle(params_override=load_params(args.params))
    write_atomic(args.out, build_opa_bundle(bundle, args.revision))
    print(f"OPA bundle: {args.out} ({len(bundle.modules)} modules, roots {', '.join(roots(bundle))}, "
          f"revision {args.revision or bundle.sha256})")
    return EXIT_OK


def listed_checks(bundle):
    """The checks with METADATA validated, and consistent with seed 004: each criteria
    item exists and is cited by at least one of the check's risks."""
    from ..backends.embedded import EmbeddedBackend
    from ..catalog import load_catalog
    from ..checks import extract

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


def register(sub) -> None:
    pol = sub.add_parser("policy", help="list the checks, run the Rego tests, or write them as an OPA bundle")
    pol.add_argument("what", choices=("list", "test", "bundle"),
                     help="list the checks; test: run the _test.rego files; bundle: write an OPA bundle (--out)")
    pol.add_argument("--format", choices=("table", "json"), default="table")
    pol.add_argument("--lang", choices=("ja", "en"), default="en")
    pol.add_argument("-v", "--verbose", action="store_true", help="list every test, not only failures")
    pol.add_argument("--out", metavar="FILE", help="bundle: the .tar.gz to write")
    pol.add_argument("--revision", metavar="R", help="bundle: the manifest revision (default: the policies' sha256)")
    pol.add_argument("--params", metavar="FILE", help="bundle: YAML overriding policies/params.yaml thresholds")
    pol.set_defaults(func=cmd_policy)
