"""A mutation check of the Rego checks: each check is broken on purpose — every record
forced to PASS, a comparison flipped, a condition dropped, a wanted boolean inverted —
and the project's own Rego test runner (engine/policytest.py, what `genmei policy test`
runs) must fail on every mutant. A mutant that survives means the check's tests could
pass a check that gives wrong verdicts.

A mutant that does not compile proves nothing and is not counted (a flip can make a rule
unsafe); a mutant that cannot change any verdict (an equivalent mutant) is listed in
EQUIVALENT with the reason. Mutants of different checks are tested together in one
bundle (each check's tests read only that check), so the run takes seconds, not minutes.
"""

import re
from collections import defaultdict

import pytest

from genmei.engine.errors import EngineError
from genmei.engine.policies import PolicyBundle, load_bundle
from genmei.engine.policytest import run_policy_tests

# (check file, mutant name) → why no test can tell it from the check.
EQUIVALENT: dict[tuple[str, str], str] = {}

FLIPS = ((" == ", " != "), (" != ", " == "), (" >= ", " < "), (" <= ", " > "), (" < ", " >= "), (" > ", " <= "))
_BOOLEAN = re.compile(r"(?<![\w\"])(true|false)(?![\w\"])")


def checks(bundle) -> list[str]:
    return sorted(p for p in bundle.modules if not p.startswith("lib/") and not p.endswith("_test.rego"))


def mutants(source: str) -> list[tuple[str, str]]:
    """(name, mutated source) of one check module."""
    head, sep, body = source.partition("\nimport data.genmei.lib\n")
    assert sep, "a check imports data.genmei.lib"
    out = [("force PASS", head + sep + body.replace("results contains", "results_unmutated contains")
            + '\nresults contains object.union(x, {"status": "PASS"}) if some x in results_unmutated\n')]
    lines = body.split("\n")
    first = head.count("\n") + 3   # the file line of body line 0
    for i, line in enumerate(lines):
        if line.startswith("#") or not line.strip():
            continue
        n = first + i
        for old, new in FLIPS:
            start = 0
            while (j := line.find(old, start)) >= 0:
                mutated = line[:j] + new + line[j + len(old):]
                out.append((f"line {n}: {old.strip()} → {new.strip()} at {j}", head + sep + "\n".join(lines[:i] + [mutated] + lines[i + 1:])))
                start = j + 1
        for m in _BOOLEAN.finditer(line):
            flipped = line[:m.start()] + ("false" if m.group() == "true" else "true") + line[m.end():]
            out.append((f"line {n}: {m.group()} inverted at {m.start()}", head + sep + "\n".join(lines[:i] + [flipped] + lines[i + 1:])))
        if _condition(line):
            out.append((f"line {n}: condition dropped: {line.strip()}", head + sep + "\n".join(lines[:i] + lines[i + 1:])))
    return out


def _condition(line: str) -> bool:
    """A condition of a rule body (one tab deep, not a binding or a block edge), or a row
    of a check's table of conditions ([[path], bad value, text])."""
    text = line.strip()
    if line.startswith("\t[[") and text.endswith("],"):
        return True
    return (line.startswith("\t") and not line.startswith("\t\t") and bool(text)
            and not text.startswith(("some ", "#", "}", "\"", "[", "{")) and ":=" not in text
            and not text.endswith(("{", "[", ",", "(")))


_MODULE = re.compile(r"([\w/]+\.rego):\d+")


def _run(bundle: PolicyBundle, modules: dict[str, str]):
    """(failed test files, modules that do not compile): ({file: bool}, None) or (None, {path})."""
    try:
        outcomes = run_policy_tests(PolicyBundle(modules=modules, params=bundle.params, root=bundle.root))
    except EngineError as e:
        return None, set(_MODULE.findall(str(e)))
    failed = defaultdict(bool)
    for o in outcomes:
        failed[o.file] = failed[o.file] or not o.passed
    return failed, None


@pytest.fixture(scope="module")
def verdicts():
    return run_mutants()


def run_mutants() -> dict:
    """(check, mutant) → "killed", "survived" or "stillborn"."""
    bundle = load_bundle(tests=True)
    base = {p: s for p, s in bundle.modules.items() if p.startswith("lib/") or p.endswith("_test.rego")}
    by_check = {c: mutants(bundle.modules[c]) for c in checks(bundle)}
    out = {}
    rounds = max(len(m) for m in by_check.values())
    for k in range(rounds):
        batch = {c: ms[k] for c, ms in by_check.items() if k < len(ms)}
        while batch:
            modules = {**base, **{p: s for p, s in bundle.modules.items() if p in by_check}, **{c: m[1] for c, m in batch.items()}}
            failed, broken = _run(bundle, modules)
            if failed is not None:
                break
            culprits = broken & set(batch)
            assert culprits, f"the unmutated policies do not compile: {broken}"
            for c in culprits:   # a mutant that does not compile proves nothing
                out[(c, batch.pop(c)[0])] = "stillborn"
        for c, (name, _) in batch.items():
            out[(c, name)] = "killed" if failed[c.replace(".rego", "_test.rego")] else "survived"
    return out


def test_the_unmutated_checks_pass_their_tests():
    bundle = load_bundle(tests=True)
    failed, broken = _run(bundle, bundle.modules)
    assert failed is not None and not any(failed.values()), (failed, broken)


def test_every_check_has_mutants_and_force_pass_is_killed(verdicts):
    bundle = load_bundle(tests=True)
    for c in checks(bundle):
        assert verdicts.get((c, "force PASS")) == "killed", c
        assert sum(v == "killed" for (check, _), v in verdicts.items() if check == c) >= 2, c


def test_no_mutant_survives(verdicts):
    survivors = sorted(k for k, v in verdicts.items() if v == "survived" and k not in EQUIVALENT)
    assert not survivors, "\n".join(f"{c}: {name}" for c, name in survivors)


def test_equivalent_mutants_are_still_equivalent(verdicts):
    """A mutant listed as equivalent that a test now kills, or that no longer exists, must
    leave the list."""
    stale = sorted(k for k in EQUIVALENT if verdicts.get(k) != "survived")
    assert not stale, stale


def test_the_mutation_run_is_not_empty(verdicts):
    counts = {v: sum(1 for x in verdicts.values() if x == v) for v in ("killed", "survived", "stillborn")}
    assert counts["killed"] >= 100, counts
    assert counts["stillborn"] < counts["killed"] // 2, counts
