"""SARIF 2.1.0 for code-scanning UIs: one rule per check (from its METADATA), one result
per FAIL, WAIVED (as a suppressed failure) and NOT_EVALUATED (kind "review"), located in
the `.tf` file and line when `--source-dir` found them, and always by the plan address.
Engine errors are tool notifications. PASS results are not listed."""

from pathlib import PurePosixPath
from urllib.parse import quote

from .. import __version__
from ..vocabulary import Status

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# GitHub code scanning reads this property (0.1–10) to rank security results.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


def _uri(path: str) -> str:
    p = PurePosixPath(path.replace("\\", "/"))
    if p.is_absolute():
        return "file://" + quote(str(p))
    return quote(str(p))


def _rule(check, lang: str) -> dict:
    return {
        "id": check.id,
        "name": check.package.rsplit(".", 1)[-1],
        "shortDescription": {"text": check.title_en},
        "fullDescription": {"text": check.description_en},
        "help": {"text": check.remediation.get("en", ""), "markdown": f"**{check.title(lang)}**\n\n{check.remediation.get(lang, '')}"},
        "defaultConfiguration": {"level": LEVEL[check.severity]},
        "properties": {
            "tags": ["security", "compliance", "JASA", *check.criteria, *check.risks],
            "security-severity": SECURITY_SEVERITY[check.severity],
            "precision": "high",
            "severity": check.severity,
            "criteria": list(check.criteria),
            "risks": list(check.risks),
            "layer": check.layer,
            "title_ja": check.title_ja,
            "policy_file": f"policies/{check.file}",
        },
    }


def _locations(r: dict) -> list[dict]:
    source = r.get("source") or {}
    location = {"logicalLocations": [{"fullyQualifiedName": source.get("ref") or r["resource"], "kind": "resource"}]}
    if source.get("file"):
        physical = {"artifactLocation": {"uri": _uri(source["file"])}}
        if source.get("line"):
            physical["region"] = {"startLine": source["line"]}
        location["physicalLocation"] = physical
    return [location]


def _result(r: dict, index: int, failing: set, has_baseline: bool, lang: str) -> dict:
    out = {
        "ruleId": r["check"],
        "ruleIndex": index,
        "message": {"text": f"{r['resource']}: {r['reason_ja'] if lang == 'ja' else r['reason']} "
                            f"[項番 {', '.join(r['criteria']) or '—'}; risks {', '.join(r['risks'])}]"},
        "locations": _locations(r),
        "partialFingerprints": {"genmeiResult/v1": r["id"]},
        "properties": {"status": r["status"], "resource": r["resource"], "resource_type": r["resource_type"],
                       "plan_action": r.get("plan_action"), "criteria": r["criteria"], "risks": r["risks"]},
    }
    if r["status"] == Status.NOT_EVALUATED:
        out.update(kind="review", level="none")
        return out
    # error: fails the gate; a known (baselined) or waived failure: note; else by severity.
    if r["id"] in failing:
        level = "error"
    elif r.get("baseline") or r["status"] == Status.WAIVED:
        level = "note"
    else:
        level = LEVEL[r["severity"]]
    out.update(kind="fail", level=level)
    if has_baseline and r["status"] == Status.FAIL:
        out["baselineState"] = "unchanged" if r.get("baseline") else "new"
    if r["status"] == Status.WAIVED:
        e = r.get("exception") or {}
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": f"{e.get('id')}: {e.get('reason')} (owner {e.get('owner')}, approved by "
                                                 f"{e.get('approver')}, until {e.get('expires')})"}]
    return out


def render_sarif(evidence: dict, checks: list, lang: str = "ja") -> dict:
    gate = evidence.get("gate") or {}
    index = {c.id: i for i, c in enumerate(checks)}
    failing = set(gate.get("failing", [])) | set(gate.get("failing_unknown", []))
    has_baseline = bool(gate.get("baseline"))
    results = [_result(r, index[r["check"]], failing, has_baseline, lang) for r in evidence["results"]
               if r["status"] in (Status.FAIL, Status.WAIVED, Status.NOT_EVALUATED) and r["check"] in index]
    notifications = [{"level": "error", "message": {"text": f"{r['check']} {r['resource']}: {r['reason']}"},
                      "descriptor": {"id": r["check"]}} for r in evidence["results"] if r["status"] == Status.ERROR]
    invocation = {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
    if "exit_code" in gate:
        invocation["exitCode"] = gate["exit_code"]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "genmei",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(c, lang) for c in checks],
            }},
            "automationDetails": {"id": f"genmei/gate/{gate.get('plan', 'scan')}"},
            "invocations": [invocation],
            "results": results,
            "properties": {"snapshot_sha256": evidence.get("snapshot_sha256"),
                           "policy_bundle_sha256": evidence.get("policy_bundle_sha256"),
                           "as_of": evidence.get("as_of")},
        }],
    }
