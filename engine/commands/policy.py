"""`genmei policy list|test`: the checks as the engine reads them, and their Rego tests."""

import sys

from ..errors import EXIT_FINDINGS, EXIT_OK, EngineError


def cmd_policy(args) -> int:
    from ..jsonio import dump_json
    from ..policies import load_bundle

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
    pol = sub.add_parser("policy", help="list the checks or run the Rego tests")
    pol.add_argument("what", choices=("list", "test"))
    pol.add_argument("--format", choices=("table", "json"), default="table")
    pol.add_argument("--lang", choices=("ja", "en"), default="en")
    pol.add_argument("-v", "--verbose", action="store_true", help="list every test, not only failures")
    pol.set_defaults(func=cmd_policy)
