"""Comparing stored runs: what changed between two scans (`genmei diff`) and how each
risk's judgement moved over many (`genmei trend`). Reads the history, writes nothing.

A result is the same finding in two runs when its check, resource type and resource
are the same. Only FAIL → PASS counts as fixed: a failure that became NOT_EVALUATED,
ERROR or WAIVED, or whose resource disappeared, is reported as a status change, never
as fixed (unknown is never PASS).
"""

from .store import Store

CATEGORIES = ("new_failures", "fixed", "still_failing", "other_changes")


def _key(r: dict) -> tuple[str, str, str]:
    return (r["check"], r["resource_type"] or "", r["resource"])


def _by_key(results: list[dict]) -> dict[tuple, dict]:
    """Results keyed for matching; a repeated key (never produced by the engine) gets an
    ordinal so that no result is lost from the comparison."""
    out: dict[tuple, dict] = {}
    for r in results:
        key, n = _key(r), 1
        while key in out:
            n += 1
            key = (*_key(r), n)
        out[key] = r
    return out


def _finding(key: tuple, before: dict | None, after: dict | None) -> dict:
    r = after or before
    return {
        "check": r["check"], "resource": r["resource"], "resource_type": r["resource_type"],
        "from": before["status"] if before else None, "to": after["status"] if after else None,
        "severity": r["severity"], "risks": r["risks"], "criteria": r["criteria"], "reason": r["reason"],
    }


def diff_runs(store: Store, a: dict, b: dict) -> dict:
    """Everything that differs from run `a` to run `b`."""
    ra, rb = _by_key(store.results(a)), _by_key(store.results(b))
    out = {c: [] for c in CATEGORIES}
    for key in sorted(ra.keys() | rb.keys(), key=lambda k: tuple(map(str, k))):
        before, after = ra.get(key), rb.get(key)
        s_before, s_after = before and before["status"], after and after["status"]
        if s_after == "FAIL":
            category = "still_failing" if s_before == "FAIL" else "new_failures"
        elif s_before == "FAIL" and s_after == "PASS":
            category = "fixed"
        elif s_before != s_after:
            category = "other_changes"
        else:
            continue
        out[category].append(_finding(key, before, after))

    res_a, res_b = store.resources(a), store.resources(b)
    resources = {
        "added": [{"type": t, "id": i} for t, i in sorted(res_b.keys() - res_a.keys())],
        "removed": [{"type": t, "id": i} for t, i in sorted(res_a.keys() - res_b.keys())],
        "changed": [{"type": t, "id": i} for t, i in sorted(res_a.keys() & res_b.keys()) if res_a[(t, i)] != res_b[(t, i)]],
    }

    items_a, items_b = store.items(a), store.items(b)
    ja, jb = store.judgements(a), store.judgements(b)
    judgements = []
    for risk in sorted(ja.keys() | jb.keys(), key=lambda r: (not (jb.get(r) or ja[r])["basic_statement"], r)):
        before, after = ja.get(risk), jb.get(risk)
        if before and after and before["judgement"] == after["judgement"]:
            continue
        cited = (after or before)["items"]
        judgements.append({
            "risk": risk, "basic_statement": (after or before)["basic_statement"],
            "from": before and before["judgement"], "to": after and after["judgement"],
            "from_en": before and before["judgement_en"], "to_en": after and after["judgement_en"],
            "items": [{"item": i, "from": items_a.get(i), "to": items_b.get(i)}
                      for i in cited if items_a.get(i) != items_b.get(i)],
        })
    return {
        "from": _run_summary(a), "to": _run_summary(b),
        "same_account": (a["provider"], a["account"]) == (b["provider"], b["account"]),
        "policy_bundle_changed": a["policy_bundle_sha256"] != b["policy_bundle_sha256"],
        "catalog_changed": a["catalog_sha256"] != b["catalog_sha256"],
        "snapshot_changed": a["snapshot_sha256"] != b["snapshot_sha256"],
        **out,
        "resources_added": resources["added"], "resources_removed": resources["removed"],
        "resources_changed": resources["changed"],
        "judgement_changes": judgements,
    }


def trend(store: Store, runs: list[dict]) -> dict:
    """Per risk, its judgement in each run (oldest first); None where a run has no such risk."""
    per_run = [store.judgements(r) for r in runs]
    risks = sorted({risk for j in per_run for risk in j})
    return {
        "runs": [_run_summary(r) for r in runs],
        "risks": {risk: {
            "basic_statement": next(j[risk]["basic_statement"] for j in per_run if risk in j),
            "judgements": [j[risk]["judgement"] if risk in j else None for j in per_run],
            "judgements_en": [j[risk]["judgement_en"] if risk in j else None for j in per_run],
        } for risk in risks},
    }


def _run_summary(run: dict) -> dict:
    keys = ("id", "finished_at", "provider", "account", "resource_count", "snapshot_sha256",
            "policy_bundle_sha256", "catalog_sha256", "tool_version", "summary", "evidence_dir")
    out = {k: run[k] for k in keys}
    if run.get("sources"):  # a service run: the accounts it covered
        out["sources"] = run["sources"]
    return out
