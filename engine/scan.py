"""One scan, as a pipeline of the stages: snapshot → evaluate → exceptions → assess →
evidence document. The CLI and later the collectors call this; it writes nothing."""

from dataclasses import dataclass
from datetime import date, datetime, timezone

from . import __version__
from .assess import Assessment, assess
from .attestations import Attestation
from .backends.interface import Backend
from .catalog import Catalog
from .evaluate import Evaluation, evaluate
from .exceptions import Exception_, apply_exceptions
from .filters import CheckFilter
from .policies import PolicyBundle
from .snapshot import Snapshot
from .vocabulary import SUMMARY_ORDER

# 2.0: items judged per (risk, item), supporting evidence per risk, attestations with
# their standing, the parts of the 基本言明要件, and reason_ja on every result.
EVIDENCE_FORMAT = "genmei-evidence/2.0"


@dataclass
class ScanResult:
    snapshot: Snapshot
    evaluation: Evaluation
    assessment: Assessment
    evidence: dict


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def run_scan(snapshot: Snapshot, bundle: PolicyBundle, backend: Backend, catalog: Catalog,
             attestations: list[Attestation], exceptions: list[Exception_], today: date,
             check_filter: CheckFilter | None = None, service: dict | None = None) -> ScanResult:
    """`service` ({name, organisation}) names what the scan is for: a service scan's
    renderings are made out to it, never to an account."""
    started = now_utc()
    evaluation = evaluate(backend, bundle, snapshot, check_filter)
    tags_of = {r["id"]: r.get("tags", {}) for r in snapshot.resources}
    apply_exceptions(evaluation.results, exceptions, tags_of, today)
    assessment = assess(catalog, evaluation.checks, evaluation.results, attestations, today)
    evidence = {
        "format": EVIDENCE_FORMAT,
        "tool": {"name": "genmei", "version": __version__, "backend": backend.name},
        "started_at": started,
        "finished_at": now_utc(),
        "as_of": today.isoformat(),
        "snapshot_sha256": snapshot.sha256,
        "policy_bundle_sha256": bundle.sha256,
        "catalog_sha256": catalog.sha256,
        "snapshot": snapshot_summary(snapshot),
        "summary": summary(evaluation.results),
        "checks": [c.summary() for c in evaluation.checks],
        "results": evaluation.results,
        "risks": {rid: r for rid, r in assessment.risks.items() if r["basic_statement"]},
        "outside_basic_statement": {rid: r for rid, r in assessment.risks.items() if not r["basic_statement"]},
        "items": assessment.items,
        "requirements": assessment.requirements,
        "exceptions": [e.summary(today) for e in exceptions],
        "attestations": assessment.attestations,
    }
    if service:
        evidence["service"] = {k: v for k, v in service.items() if v}
    if check_filter:
        evidence["filter"] = check_filter.document(evaluation.skipped)
    return ScanResult(snapshot, evaluation, assessment, evidence)


def snapshot_summary(snapshot: Snapshot) -> dict:
    """What the evidence says of the snapshot; of a service snapshot, each source too,
    with its own gaps and digest."""
    meta = snapshot.meta
    out = {
        "path": snapshot.path,
        "provider": meta["provider"],
        "account": meta["account"],
        "regions": meta.get("regions", []),
        "collector": meta["collector"],
        "collected_at": meta["finished_at"],
        "resources": len(snapshot.resources),
        "gaps": meta.get("gaps", []),
    }
    if meta.get("sources"):
        gaps = meta["gaps"]
        out["sources"] = [{
            "name": s["name"], "provider": s["provider"], "account": s["account"],
            "accounts": s.get("accounts", [s["account"]]), "regions": s.get("regions", []),
            "collector": s["collector"], "started_at": s["started_at"], "collected_at": s["finished_at"],
            "resources": s["resource_count"], "gaps": gaps[part.gaps], "snapshot_sha256": s["sha256"],
            "input": s["input"],
        } for s, part in zip(meta["sources"], snapshot.parts())]
    return out


def summary(results: list[dict]) -> dict:
    counts = {s.value: 0 for s in SUMMARY_ORDER}
    for r in results:
        counts[r["status"]] += 1
    return {"results": len(results), **counts}
