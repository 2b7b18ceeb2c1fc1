"""`genmei policy test`: run every `test_*` rule of the `_test.rego` files in the real
engine, like `opa test`, and validate each check's METADATA on the way."""

import re
import sys
from dataclasses import dataclass

from .backends.embedded import new_engine
from .backends.embedded_worker import error_text, load_policies
from .backends.interface import PARAMS_PATH
from .errors import EngineError
from .policies import PolicyBundle

_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.M)
_TEST_RULE = re.compile(r"^(test_\w+)\b", re.M)


@dataclass
class TestOutcome:
    name: str
    file: str
    passed: bool
    detail: str = ""


def run_policy_tests(bundle: PolicyBundle) -> list[TestOutcome]:
    engine = new_engine()  # first: it explains a missing engine
    from opa_bindings import OpaError

    engine.print_handler = lambda message, location: None
    try:
        try:
            load_policies(engine, bundle.ordered_modules(), bundle.params, PARAMS_PATH)
            engine.eval_query("true")  # compile everything once: one error, not one per test
        except OpaError as e:
            raise EngineError(f"policies do not compile: {error_text(e)}") from None
        files = []
        for path, source in sorted(bundle.modules.items()):
            if path.endswith("_test.rego"):
                files.append((path, _PACKAGE.search(source).group(1), list(dict.fromkeys(_TEST_RULE.findall(source)))))
        documents = _all_packages(engine, [package for _, package, _ in files])
        outcomes = []
        for path, package, names in files:
            if not names:
                outcomes.append(TestOutcome(f"{package} (no test_ rules)", path, False, "a _test.rego file must hold tests"))
            outcomes += _package_outcomes(engine, package, path, names, documents.get(package))
        return outcomes
    finally:
        engine.close()


def _all_packages(engine, packages: list[str]) -> dict:
    """Every test package evaluated in one query: each evaluation costs about as much as
    preparing the whole bundle, so one query instead of one per test is what keeps the
    tests fast. {} when some test raises an error (each package is then evaluated alone)."""
    from opa_bindings import OpaError

    if not packages:
        return {}
    query = "x := {" + ", ".join(f'"{p}": data.{p}' for p in packages) + "}"
    try:
        found = engine.eval_query(query)
    except OpaError:
        return {}
    return found[0]["x"] if found and isinstance(found[0].get("x"), dict) else {}


def _package_outcomes(engine, package: str, path: str, names: list[str], doc) -> list[TestOutcome]:
    """The tests of one package from its document (a test absent from it did not hold);
    the package is evaluated again when it was not, and each test alone only when the
    package cannot be evaluated at all (a test raises an error), to say which one."""
    from opa_bindings import OpaError

    if doc is None:
        try:
            doc = engine.eval_document(package)
        except OpaError:
            doc = None
    if isinstance(doc, dict):
        return [TestOutcome(f"{package}.{name}", path, doc.get(name) is True,
                            "" if doc.get(name) is True else ("undefined (a condition did not hold)" if name not in doc
                                                               else f"got {doc[name]!r}"))
                for name in names]
    outcomes = []
    for name in names:
        try:
            value = engine.eval_document(f"{package}.{name}")
            outcomes.append(TestOutcome(f"{package}.{name}", path, value is True, "" if value is True else f"got {value!r}"))
        except OpaError as e:
            detail = "undefined (a condition did not hold)" if e.code == "undefined" else error_text(e)
            outcomes.append(TestOutcome(f"{package}.{name}", path, False, detail))
    return outcomes


def report(outcomes: list[TestOutcome], verbose: bool, out=sys.stdout) -> bool:
    for o in outcomes:
        if verbose or not o.passed:
            print(f"{'PASS' if o.passed else 'FAIL'}: {o.name} ({o.file}){' — ' + o.detail if o.detail else ''}", file=out)
    passed = sum(o.passed for o in outcomes)
    failed = len(outcomes) - passed
    print(f"rego: {passed} passed, {failed} failed", file=out)
    return failed == 0 and passed > 0
