"""Baselines: failures recorded earlier, so that a gate fails only on new ones.

A baselined FAIL keeps its status (it is still a failure) and is marked `baseline: true`
in every output; entries that no longer fail are reported as fixed.
"""

from collections import Counter
from datetime import datetime, timezone

from .errors import InputError
from .jsonio import dump_json, load_json, validate

SCHEMA = "baseline.schema.json"


def load_baseline(path: str) -> set[tuple[str, str]]:
    doc = load_json(path)
    validate(doc, SCHEMA, path)
    keys = Counter((f["check"], f["resource"]) for f in doc["failures"])
    for (check, resource), n in keys.items():
        if n > 1:
            raise InputError(f"{path}: failure {check} {resource} is listed {n} times")
    return set(keys)


def mark_baseline(results: list[dict], known: set[tuple[str, str]]) -> list[dict]:
    """Mark FAILs in the baseline; return the baseline entries that no longer fail."""
    failing_now = set()
    for r in results:
        key = (r["check"], r["resource"])
        if r["status"] == "FAIL" and key in known:
            r["baseline"] = True
            failing_now.add(key)
    return [{"check": c, "resource": res} for c, res in sorted(known - failing_now)]


def baseline_document(results: list[dict], plan: str) -> bytes:
    failures = sorted(
        ({"check": r["check"], "resource": r["resource"], "severity": r["severity"], "reason": r["reason"]}
         for r in results if r["status"] == "FAIL"),
        key=lambda f: (f["check"], f["resource"]),
    )
    doc = {
        "genmei_baseline": "1.0",
        "created_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "plan": plan,
        "failures": failures,
    }
    validate(doc, SCHEMA, "baseline")
    return dump_json(doc)
