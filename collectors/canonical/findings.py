"""Vulnerability findings, summarised one way for every scanner: counts by severity and by
the (UTC) day each finding was first observed. A snapshot never holds the findings
themselves (their descriptions, package lists and references): the summary is what the
checks judge, and it stays small however many findings a workload has.

Severities are the scanners' words mapped onto six: critical, high (Microsoft's
"important"), medium ("moderate"), low, informational ("none") and untriaged (anything
else, such as Inspector's UNTRIAGED or OS Config's SEVERITY_UNSPECIFIED), so an unknown
word never lowers a finding's severity below what a check would judge.
"""

from collections import Counter
from collections.abc import Iterable

from . import times

SEVERITIES = ("critical", "high", "medium", "low", "informational", "untriaged")
_WORDS = {"critical": "critical", "high": "high", "important": "high", "medium": "medium", "moderate": "medium",
          "low": "low", "informational": "informational", "info": "informational", "none": "informational"}


def severity(word) -> str:
    return _WORDS.get(str(word or "").strip().lower(), "untriaged")


def open_findings(findings: Iterable[tuple[object, object]]) -> dict:
    """{severity: {count, first_observed: {day: count}}} of (severity word, first observed
    time or None) pairs. `first_observed` is left out of a severity none of whose
    findings is dated, and counts only the dated ones otherwise."""
    counts: Counter = Counter()
    days: dict[str, Counter] = {}
    for i, (word, first) in enumerate(findings):
        s = severity(word)
        counts[s] += 1
        d = times.day(first, f"[{i}].first_observed")
        if d is not None:
            days.setdefault(s, Counter())[d] += 1
    out = {}
    for s in SEVERITIES:
        if counts[s]:
            out[s] = {"count": counts[s]}
            if s in days:
                out[s]["first_observed"] = dict(sorted(days[s].items()))
    return out
