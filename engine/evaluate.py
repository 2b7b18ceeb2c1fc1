"""Evaluate a snapshot: one record per check × applicable resource, nothing lost.

The engine's raw output is checked here: a resource of a check's types without a
record, or with several, becomes an ERROR record (a defect in the check, visible to
the user); collection gaps become NOT_EVALUATED records for every check over the
types they cover. Unknown is never PASS.
"""

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from . import checks as checks_mod
from .backends.interface import Backend
from .checks import Check
from .policies import PolicyBundle
from .snapshot import Snapshot, evaluation_input
from .vocabulary import RULE_STATUSES, Status


@dataclass
class Evaluation:
    checks: list[Check]
    results: list[dict]


@lru_cache(maxsize=None)
def _id_prefix(check_id: str):
    return hashlib.sha256(f"{check_id}\0".encode())


def result_id(check_id: str, resource: str) -> str:
    """R + 16 hex of sha256(check id NUL resource id); the check's part is hashed once."""
    h = _id_prefix(check_id).copy()
    h.update(resource.encode())
    return "R" + h.hexdigest()[:16]


def _record(check: Check, resource: dict | None, resource_id: str, status: str, reason: str, reason_ja: str,
            evidence) -> dict:
    r = resource or {}
    return {
        "id": result_id(check.id, resource_id),
        "check": check.id,
        "resource": resource_id,
        "resource_type": r.get("type"),
        "resource_name": r.get("name"),
        "provider": r.get("provider"),
        "account": r.get("account"),
        "region": r.get("region"),
        "status": status,
        "reason": reason,
        "reason_ja": reason_ja,
        "evidence": evidence if evidence is not None else {},
        "severity": check.severity,
        "criteria": list(check.criteria),
        "risks": list(check.risks),
        "layer": check.layer,
        "source": r.get("source"),
    }


def gap_resource_id(gap: dict) -> str:
    return f"gap:{gap['scope']}:{gap['service']}:{gap['api']}"


def evaluate(backend: Backend, bundle: PolicyBundle, snapshot: Snapshot) -> Evaluation:
    doc = backend.evaluate(bundle, evaluation_input(snapshot))
    extracted = checks_mod.extract(doc, bundle)
    by_type: dict[str, list[dict]] = {}
    for r in snapshot.resources:
        by_type.setdefault(r["type"], []).append(r)
    gaps = snapshot.meta.get("gaps", [])
    provider = snapshot.meta["provider"]
    results = []
    for check, raw in extracted:
        results.extend(_check_records(check, raw, by_type))
        # A gap in one cloud hides nothing from a check written for another cloud.
        if check.providers is not None and provider in ("aws", "azure", "gcp") and provider not in check.providers:
            continue
        for gap in gaps:
            if set(gap["resource_types"]) & set(check.resource_types):
                failed = f"{gap['service']} {gap['api']}"
                why = f"{gap['error_code']}: {gap['message']}"
                results.append(_record(
                    check, None, gap_resource_id(gap), Status.NOT_EVALUATED,
                    f"not collected: {failed} in {gap['scope']} failed ({why})",
                    f"収集できなかった: {gap['scope']} の {failed} が失敗した({why})。この範囲の対象リソースは判定していない",
                    {"gap": gap}))
    results.sort(key=lambda x: (x["check"], x["resource"]))
    return Evaluation(checks=[c for c, _ in extracted], results=results)


def _check_records(check: Check, raw: list, by_type: dict[str, list[dict]]) -> list[dict]:
    grouped: dict[str, list[dict]] = {}
    for rec in raw:
        rid = rec.get("resource") if isinstance(rec, dict) else None
        grouped.setdefault(str(rid), []).append(rec)
    out = []
    for t in check.resource_types:
        for resource in by_type.get(t, []):
            if check.providers is not None and resource["provider"] not in check.providers:
                continue
            recs = grouped.pop(resource["id"], None)
            if (recs is not None and len(recs) == 1 and recs[0].get("status") in RULE_STATUSES
                    and isinstance(recs[0].get("reason_ja"), str)):
                rec = recs[0]  # the one well-formed record: most of a scan, so built here directly
                out.append(_record(check, resource, resource["id"], rec["status"], str(rec.get("reason", "")),
                                   rec["reason_ja"], rec.get("evidence")))
            else:
                out.append(_defect_record(check, resource, recs or []))
    for rid, recs in grouped.items():  # records for resources the check does not cover
        out.append(_record(check, None, rid, Status.ERROR,
                           f"check returned {len(recs)} record(s) for a resource outside its types",
                           f"チェックが対象外のリソースに{len(recs)}件の結果を返した(チェックの不具合)", None))
    return out


def _defect_record(check: Check, resource: dict, recs: list[dict]) -> dict:
    """The ERROR record for a resource with no record, several, one of invalid status, or
    one without its Japanese reason (every result is reported in Japanese first)."""
    rid = resource["id"]
    if not recs:
        return _record(check, resource, rid, Status.ERROR, "check produced no result for this resource (a defect in the check)",
                       "チェックがこのリソースの結果を返さなかった(チェックの不具合)", None)
    if len(recs) > 1:
        statuses = ", ".join(sorted(str(r.get("status")) for r in recs))
        return _record(check, resource, rid, Status.ERROR, f"check produced {len(recs)} results ({statuses}); expected one",
                       f"チェックが1件ではなく{len(recs)}件の結果({statuses})を返した(チェックの不具合)", None)
    status = recs[0].get("status")
    if status not in RULE_STATUSES:
        return _record(check, resource, rid, Status.ERROR, f"check returned invalid status {status!r}",
                       f"チェックが不正な状態 {status!r} を返した(チェックの不具合)", None)
    return _record(check, resource, rid, Status.ERROR, "check returned a result without reason_ja (a defect in the check)",
                   "チェックが日本語の理由(reason_ja)のない結果を返した(チェックの不具合)", None)
