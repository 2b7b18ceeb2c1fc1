"""Re-perform a stored scan's assessment before rendering it, as an auditor re-performs a
control: from the results, the checks' mappings (read from the policy bundle the scan
evaluated, not from evidence.json), the attestations and exceptions files as given and
the catalog, recompute which results were waived, every item's and risk's status and
judgement and the parts of the 基本言明要件, and refuse the evidence (exit 2) naming the
first difference. An evidence.json whose judgements were edited — even with SHA256SUMS
recomputed — is then never rendered as if genmei had made them.

What it cannot re-perform is said so: results are taken as recorded (re-evaluating them
needs the policy engine: `genmei scan` again, or a signed bundle for their integrity), and
the digests of attested documents as recorded (the documents are not in the directory).
"""

from datetime import date
from pathlib import Path

from .assess import assess
from .attestations import load_attestations
from .catalog import Catalog
from .check_metadata import checks_from_modules
from .errors import InputError
from .evidence_files import ATTESTATIONS, EXCEPTIONS, POLICIES, SNAPSHOT
from .exceptions import load_exceptions
from .filters import SKIPPED_RESOURCE
from .jsonio import dump_json, parse_json
from .scan import summary
from .vocabulary import Status

# Recorded, not recomputable from the directory: the attested documents are not kept in it.
NOT_RECOMPUTED = frozenset({"document_sha256"})


def reperform(directory: Path, evidence: dict, files: dict[str, bytes], catalog: Catalog) -> None:
    """Raise InputError at the first point where evidence.json differs from re-performance."""
    name = directory / "evidence.json"
    if catalog.sha256 != evidence["catalog_sha256"]:
        raise InputError(f"{name}: was judged against another criteria catalog (catalog_sha256 differs from this genmei's); "
                         "scan again to render it")
    as_of = date.fromisoformat(evidence["as_of"])
    policies = parse_json(files[POLICIES], str(directory / POLICIES))
    checks = checks_from_modules(policies["modules"], str(directory / POLICIES))
    _first_difference("checks", evidence["checks"], [c.summary() for c in checks], name)

    results = evidence["results"]
    _check_filter(evidence, name)
    if EXCEPTIONS in files:
        _check_waivers(directory, results, files, as_of, name)
    elif any(r["status"] == Status.WAIVED for r in results):
        raise InputError(f"{name}: records waived results but the directory holds no {EXCEPTIONS}")
    attestations = (load_attestations(str(directory / ATTESTATIONS), catalog, read_documents=False)
                    if ATTESTATIONS in files else [])
    assessment = assess(catalog, checks, results, attestations, as_of)
    redone = {
        "summary": summary(results),
        "risks": {rid: r for rid, r in assessment.risks.items() if r["basic_statement"]},
        "outside_basic_statement": {rid: r for rid, r in assessment.risks.items() if not r["basic_statement"]},
        "items": assessment.items,
        "requirements": assessment.requirements,
        "attestations": assessment.attestations,
    }
    # Compared as JSON values: the recorded document is JSON, the recomputed one Python.
    redone = parse_json(dump_json(redone), "re-performed assessment")
    for key, value in redone.items():
        _first_difference(key, evidence[key], value, name)


def _check_filter(evidence: dict, name: Path) -> None:
    """A check left out by a filter has only its one NOT_EVALUATED record, and only the
    checks the filter names as left out have one: a filtered scan cannot pass for a
    whole one, nor a whole one for filtered."""
    skipped = set((evidence.get("filter") or {}).get("skipped", []))
    for r in evidence["results"]:
        marked = r["resource"] == SKIPPED_RESOURCE
        if marked != (r["check"] in skipped) or (marked and r["status"] != Status.NOT_EVALUATED):
            raise InputError(f"{name}: result {r['id']} ({r['check']} {r['resource']}, {r['status']}) disagrees with the "
                             f"scan's check filter (left out: {', '.join(sorted(skipped)) or 'none'})")


def _check_waivers(directory: Path, results: list[dict], files: dict[str, bytes], as_of: date, name: Path) -> None:
    """Each FAIL or WAIVED result waived exactly when a valid exception covers it, by that exception."""
    exceptions = load_exceptions(str(directory / EXCEPTIONS))
    snapshot = parse_json(files[SNAPSHOT], str(directory / SNAPSHOT))
    tags_of = {r["id"]: r.get("tags", {}) for r in snapshot.get("resources", [])}
    for r in results:
        if r["status"] not in (Status.FAIL, Status.WAIVED):
            continue
        covering = [e for e in exceptions if e.covers(r, tags_of.get(r["resource"], {})) and e.expires >= as_of]
        expected = Status.WAIVED if covering else Status.FAIL
        recorded_by = (r.get("exception") or {}).get("id") if r["status"] == Status.WAIVED else None
        if r["status"] != expected or (covering and recorded_by != covering[0].id):
            raise InputError(f"{name}: result {r['id']} ({r['check']} {r['resource']}) is recorded {r['status']}"
                             + (f" by {recorded_by}" if recorded_by else "") + f"; re-performed: {expected}"
                             + (f" by {covering[0].id}" if covering else ""))


def _first_difference(path: str, recorded, redone, name: Path) -> None:
    if isinstance(recorded, dict) and isinstance(redone, dict):
        for key in sorted((set(recorded) | set(redone)) - NOT_RECOMPUTED):
            if key not in recorded or key not in redone:
                where = "re-performance" if key not in redone else "evidence.json"
                raise InputError(f"{name}: disagrees with re-performance at {path}.{key} (absent from {where})")
            _first_difference(f"{path}.{key}", recorded[key], redone[key], name)
    elif isinstance(recorded, list) and isinstance(redone, list) and len(recorded) == len(redone):
        for i, (a, b) in enumerate(zip(recorded, redone)):
            _first_difference(f"{path}[{i}]", a, b, name)
    elif recorded != redone or type(recorded) is not type(redone):
        raise InputError(f"{name}: disagrees with re-performance at {path}: recorded {_short(recorded)}, "
                         f"re-performed {_short(redone)}")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"
