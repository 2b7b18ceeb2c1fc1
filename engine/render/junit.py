"""JUnit XML for CI test reports: one test suite per check, one test case per check ×
resource. FAIL is a <failure>, ERROR an <error>; WAIVED, baselined failures and
NOT_EVALUATED are <skipped> with the reason (never a pass); PASS is a passing case."""

import xml.etree.ElementTree as ET
from collections import Counter

from .. import __version__
from ..vocabulary import Status
from .escape import xml_text


def _case(r: dict, title: str) -> ET.Element:
    """One test case; every value from the plan passes through escape.xml_text."""
    x = xml_text
    case = ET.Element("testcase", {"classname": r["check"], "name": x(r["resource"]), "time": "0"})
    source = r.get("source") or {}
    if source.get("file"):
        case.set("file", x(source["file"]))
        if source.get("line"):
            case.set("line", str(source["line"]))
    reason = x(r["reason"])
    detail = (f"{title}\nresource: {x(r['resource'])} ({r.get('resource_type')}){' [' + x(r['plan_action']) + ']' if r.get('plan_action') else ''}\n"
              f"項番: {', '.join(r['criteria'])}\nrisks: {', '.join(r['risks'])}\nseverity: {r['severity']}\nreason: {reason}")
    if source.get("file"):
        detail += f"\nlocation: {x(source['file'])}:{source.get('line', '?')}"
    if r["status"] == Status.FAIL and not r.get("baseline"):
        ET.SubElement(case, "failure", {"message": reason, "type": f"{r['severity']}"}).text = detail
    elif r["status"] == Status.FAIL:
        ET.SubElement(case, "skipped", {"message": f"known failure (baseline): {reason}"}).text = detail
    elif r["status"] == Status.ERROR:
        ET.SubElement(case, "error", {"message": reason, "type": "ERROR"}).text = detail
    elif r["status"] in (Status.WAIVED, Status.NOT_EVALUATED):
        ET.SubElement(case, "skipped", {"message": f"{r['status']}: {reason}"}).text = detail
    return case


def _kind(r: dict) -> str:
    if r["status"] == Status.FAIL:
        return "skipped" if r.get("baseline") else "failures"
    return {Status.ERROR: "errors", Status.WAIVED: "skipped", Status.NOT_EVALUATED: "skipped"}.get(r["status"], "passed")


def render_junit(evidence: dict) -> bytes:
    titles = {c["id"]: c["title"]["en"] for c in evidence["checks"]}
    by_check: dict[str, list] = {}
    for r in evidence["results"]:
        by_check.setdefault(r["check"], []).append(r)
    gate = evidence.get("gate") or {}
    total = Counter(_kind(r) for r in evidence["results"])
    root = ET.Element("testsuites", {
        "name": f"genmei {__version__} gate {gate.get('plan', '')}".strip(),
        "tests": str(len(evidence["results"])), "failures": str(total["failures"]),
        "errors": str(total["errors"]), "skipped": str(total["skipped"]), "time": "0",
    })
    for check in sorted(by_check):
        rows = sorted(by_check[check], key=lambda r: r["resource"])
        counts = Counter(_kind(r) for r in rows)
        suite = ET.SubElement(root, "testsuite", {
            "name": f"{check} {titles.get(check, '')}".strip(), "tests": str(len(rows)),
            "failures": str(counts["failures"]), "errors": str(counts["errors"]),
            "skipped": str(counts["skipped"]), "time": "0", "timestamp": evidence["started_at"].removesuffix("Z"),
        })
        for r in rows:
            suite.append(_case(r, titles.get(check, "")))
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")
