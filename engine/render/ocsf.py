"""`--format ocsf`: the results as OCSF 1.6.0 Compliance Finding events (class_uid 2003,
with the `cloud` profile), one per result (check × resource), for a SIEM or a security
data lake. Validated in the tests against a JSON Schema derived from the OCSF schema
repository (tests/fixtures/ocsf/).

How genmei's statuses map, so that no consumer reads a missing judgement as a pass:
- PASS → compliance Pass; FAIL → compliance Fail;
- WAIVED → compliance Fail, the finding Suppressed (the configuration does fail the
  control; an approved exception, named in status_details, accepts it);
- NOT_EVALUATED → compliance Warning, which OCSF defines as "did not yield a result due
  to missing information" (status_details say what was missing);
- ERROR → compliance Other with status "Error" (the engine could not judge).
The JASA mapping rides in the compliance object (standards: the criteria edition,
requirements: the 項番, control: the check id); the risks (H01–L21) that the check
evidences, its layer, genmei's own status and evidence are kept under unmapped.genmei.
"""

from datetime import datetime
from ..vocabulary import Severity, Status

OCSF_VERSION = "1.6.0"
CLASS = {"class_uid": 2003, "class_name": "Compliance Finding", "category_uid": 2, "category_name": "Findings",
         "activity_id": 1, "activity_name": "Create", "type_uid": 200301, "type_name": "Compliance Finding: Create"}
SEVERITY = {Severity.LOW: (2, "Low"), Severity.MEDIUM: (3, "Medium"), Severity.HIGH: (4, "High"),
            Severity.CRITICAL: (5, "Critical")}
# genmei status → (compliance status_id, compliance status, finding status_id, finding status)
STATUS = {
    Status.PASS: (1, "Pass", 1, "New"),
    Status.FAIL: (3, "Fail", 1, "New"),
    Status.WAIVED: (3, "Fail", 3, "Suppressed"),
    Status.NOT_EVALUATED: (2, "Warning", 1, "New"),
    Status.ERROR: (99, "Error", 1, "New"),
}
PROVIDER = {"aws": "AWS", "azure": "Azure", "gcp": "GCP"}


def epoch_ms(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp() * 1000)


def render_ocsf(evidence: dict, lang: str, edition: str) -> list[dict]:
    checks = {c["id"]: c for c in evidence["checks"]}
    time = epoch_ms(evidence["finished_at"])
    product = {"name": "genmei", "vendor_name": "genmei", "version": evidence["tool"]["version"]}
    standard = f"JASA {edition}".strip()
    snapshot = evidence.get("snapshot") or {}
    return [event(r, checks[r["check"]], lang, time, product, standard, snapshot) for r in evidence["results"]]


def event(r: dict, check: dict, lang: str, time: int, product: dict, standard: str, snapshot: dict) -> dict:
    compliance_id, compliance, status_id, status = STATUS[r["status"]]
    severity_id, severity = SEVERITY[r["severity"]]
    details = [r["reason"]]
    if r.get("exception"):
        x = r["exception"]
        details.append(f"exception {x['id']} approved by {x['approver']} until {x['expires']}: {x['reason']}")
    # A gap's result names no resource of its own: its cloud is the snapshot's.
    provider = r["provider"] or snapshot.get("provider")
    cloud = {"provider": PROVIDER.get(provider, provider or "unknown")}
    if r["account"]:
        cloud["account"] = {"uid": r["account"]}
    if r["region"]:
        cloud["region"] = r["region"]
    resource = {k: v for k, v in (("uid", r["resource"]), ("name", r["resource_name"]), ("type", r["resource_type"]),
                                  ("region", r["region"])) if v}
    out = {
        **CLASS,
        "time": time,
        "severity_id": severity_id, "severity": severity,
        "status_id": status_id, "status": status,
        "message": r["reason"],
        "metadata": {"version": OCSF_VERSION, "product": product, "profiles": ["cloud"]},
        "finding_info": {"uid": r["id"], "title": check["title"][lang], "desc": r["reason"]},
        "compliance": {"standards": [standard], "requirements": list(r["criteria"]), "control": r["check"],
                       "desc": check["title"][lang], "status_id": compliance_id, "status": compliance,
                       "status_details": details},
        "resources": [resource],
        "cloud": cloud,
        "unmapped": {"genmei": {"status": r["status"], "risks": list(r["risks"]), "layer": r["layer"],
                                "evidence": r["evidence"], "exception": r.get("exception")}},
    }
    remediation = (check.get("remediation") or {}).get(lang)
    if remediation:
        out["remediation"] = {"desc": remediation}
    return out
