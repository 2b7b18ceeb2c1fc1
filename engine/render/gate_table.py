"""The gate's terminal report: each failing check with the resource's plan address (and
`.tf` file:line), its 項番, risks and remediation, then what was waived, baselined, not
evaluated or not judged, and the verdict. Written for a CI log; every value taken from
the plan goes through `escape.terminal` (a resource address cannot forge a line)."""

from ..vocabulary import SEVERITY_ORDER, SUMMARY_ORDER, Status
from .escape import terminal

NOT_EVALUATED_SHOWN = 25


def _where(r: dict) -> str:
    source = r.get("source") or {}
    if source.get("file"):
        return f" ({terminal(source['file'])}:{source.get('line', '?')})"
    return ""


def _action(r: dict) -> str:
    return f" [{terminal(r['plan_action'])}]" if r.get("plan_action") else ""


def _reason(r: dict, lang: str) -> str:
    return r["reason_ja"] if lang == "ja" else r["reason"]


def _order(r: dict):
    return (SEVERITY_ORDER[r["severity"]], r["check"], r["resource"])


def render_gate(evidence: dict, lang: str = "ja") -> str:
    gate, s = evidence["gate"], evidence["summary"]
    checks = {c["id"]: c for c in evidence["checks"]}
    failing = set(gate["failing"])
    failing_unknown = set(gate["failing_unknown"])
    results = sorted(evidence["results"], key=_order)
    tf = terminal(gate["terraform_version"] or "version not stated")
    lines = [
        f"genmei {evidence['tool']['version']} gate · {terminal(gate['plan'])} (Terraform {tf}, plan format "
        f"{terminal(gate['format_version'])}) · {gate['planned_resources']} planned resources → "
        f"{gate['canonical_resources']} judged · backend {evidence['tool']['backend']}",
        f"Results: {s['results']} (" + ", ".join(f"{st} {s[st]}" for st in SUMMARY_ORDER) + ") · "
        f"fail on: {gate['fail_on']}{' + unknowns' if gate['fail_on_unknown'] else ''}",
    ]

    def detailed(title: str, rows: list[dict]) -> None:
        if not rows:
            return
        lines.extend(["", f"{title} ({len(rows)}):"])
        for r in rows:
            check = checks.get(r["check"], {})
            lines.append(f"  {r['status']} {r['severity']} {r['check']} {terminal(r['resource'])}{_where(r)}{_action(r)}")
            lines.append(f"    {check.get('title', {}).get(lang, '')}")
            lines.append(f"    項番 {', '.join(r['criteria']) or '—'} · risks {', '.join(r['risks'])} · {terminal(_reason(r, lang))}")
            remediation = check.get("remediation", {}).get(lang)
            if remediation:
                lines.append(f"    remediation: {remediation}")

    detailed("FAIL — blocks the deploy", [r for r in results if r["id"] in failing])
    detailed("NOT_EVALUATED — blocks the deploy (--fail-on-unknown)", [r for r in results if r["id"] in failing_unknown])
    detailed("ERROR — the check could not judge (the gate does not pass)", [r for r in results if r["status"] == Status.ERROR])
    brief = [
        ("FAIL — below the threshold", [r for r in results if r["status"] == Status.FAIL and r["id"] not in failing and not r.get("baseline")]),
        ("FAIL — known in the baseline", [r for r in results if r.get("baseline")]),
        (Status.WAIVED.value, [r for r in results if r["status"] == Status.WAIVED]),
    ]
    for title, rows in brief:
        if rows:
            lines.extend(["", f"{title} ({len(rows)}):"])
            lines += [f"  {r['severity']} {r['check']} {terminal(r['resource'])}{_where(r)} "
                      f"[{', '.join(r['criteria']) or '—'} / {', '.join(r['risks'])}] {terminal(_reason(r, lang))}"
                      for r in rows]
    pending = [r for r in results if r["status"] == Status.NOT_EVALUATED and r["id"] not in failing_unknown]
    if pending:
        lines.extend(["", f"NOT_EVALUATED ({len(pending)}):"])
        lines += [f"  {r['check']} {terminal(r['resource'])}: {terminal(_reason(r, lang))}" for r in pending[:NOT_EVALUATED_SHOWN]]
        if len(pending) > NOT_EVALUATED_SHOWN:
            lines.append(f"  … +{len(pending) - NOT_EVALUATED_SHOWN} (see --format json)")
    if gate.get("baseline") and gate["baseline"]["fixed"]:
        lines.extend(["", f"Fixed since the baseline ({len(gate['baseline']['fixed'])}):"])
        lines += [f"  {f['check']} {terminal(f['resource'])}" for f in gate["baseline"]["fixed"]]
    not_judged = gate["not_judged"]
    other = gate["types_without_checks"]
    if not_judged or other:
        lines.extend(["", "Not judged:"])
        for why, addresses in not_judged.items():
            lines.append(f"  {terminal(why)} ({len(addresses)}): {terminal(', '.join(addresses[:8]))}{' …' if len(addresses) > 8 else ''}")
        if other:
            lines.append("  types no check covers: " + ", ".join(f"{terminal(t)} ×{n}" for t, n in other.items()))
    lines.append("")
    if gate["errors"]:
        lines.append(f"gate: ERROR — {len(gate['errors'])} result(s) could not be judged")
    elif gate["passed"]:
        lines.append(f"gate: passed — nothing at or above {gate['fail_on']} fails")
    else:
        parts = [f"{len(failing)} failure(s) at or above {gate['fail_on']}"] if failing else []
        parts += [f"{len(failing_unknown)} check(s) need values known only after apply"] if failing_unknown else []
        lines.append(f"gate: FAILED — {'; '.join(parts)}")
    return "\n".join(lines) + "\n"
