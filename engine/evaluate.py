"""Evaluate a snapshot: one record per check × applicable resource, nothing lost.

The engine's raw output is checked here: a resource of a check's types without a
record, or with several, becomes an ERROR record (a defect in the check, visible to
the user); collection gaps become NOT_EVALUATED records for every check over the
types they cover, source by source (a gap in one cloud hides nothing from a check
written for another). Unknown is never PASS.
"""

import hashlib
from dataclasses import dataclass, field, replace
from functools import lru_cache

from . import checks as checks_mod
from .backends.interface import Backend
from .check_metadata import checks_from_modules
from .checks import Check
from .filters import SKIPPED_RESOURCE, CheckFilter
from .jsonio import exact_json
from .policies import PolicyBundle
from .shared_values import SharedValues
from .snapshot import CLOUDS, Snapshot, evaluation_input

# A check's own word that a resource of its types has nothing to judge (a region with no
# VM to scan): no record, rather than a verdict. A resource with no record at all is still
# an ERROR, so nothing is dropped unless the check says so.
NOT_APPLICABLE = "NOT_APPLICABLE"
from .vocabulary import RULE_STATUSES, Status


@dataclass
class Evaluation:
    checks: list[Check]
    results: list[dict]
    skipped: list[str] = field(default_factory=list)  # check ids a filter left out


@lru_cache(maxsize=None)
def _id_prefix(check_id: str):
    return hashlib.sha256(f"{check_id}\0".encode())


def result_id(check_id: str, resource: str) -> str:
    """R + 16 hex of sha256(check id NUL resource id); the check's part is hashed once."""
    h = _id_prefix(check_id).copy()
    h.update(resource.encode())
    return "R" + h.hexdigest()[:16]


@lru_cache(maxsize=None)
def _lists(criteria: tuple, risks: tuple) -> tuple[list, list]:
    """A check's criteria and risks as the lists every result of it holds: one pair for
    all of them (nothing changes a result's lists), not two lists a result."""
    return list(criteria), list(risks)


class _Result:
    """Only its __dict__ is used: the dicts of one class's instances share one table of
    keys (PEP 412) when their members are set in the same order, so a result holds its
    17 values in about half the memory of a dict of its own. At a million resources there
    are millions of results; nothing else differs (a member set later, such as an
    exception's, simply gives that result a table of its own)."""


def _record(check: Check, resource: dict | None, resource_id: str, status: str, reason: str, reason_ja: str,
            evidence) -> dict:
    r = resource or {}
    criteria, risks = _lists(check.criteria, check.risks)
    result = _Result()
    result.id = result_id(check.id, resource_id)
    result.check = check.id
    result.resource = resource_id
    result.resource_type = r.get("type")
    result.resource_name = r.get("name")
    result.provider = r.get("provider")
    result.account = r.get("account")
    result.region = r.get("region")
    result.status = status
    result.reason = reason
    result.reason_ja = reason_ja
    result.evidence = evidence if evidence is not None else {}
    result.severity = check.severity
    result.criteria = criteria
    result.risks = risks
    result.layer = check.layer
    result.source = r.get("source")
    return result.__dict__


def gap_resource_id(gap: dict) -> str:
    return f"gap:{gap['scope']}:{gap['service']}:{gap['api']}"


def evaluate(backend: Backend, bundle: PolicyBundle, snapshot: Snapshot, check_filter: CheckFilter | None = None) -> Evaluation:
    """Every selected check over the snapshot; with a filter, only the checks it lets
    run are evaluated, and each one it leaves out gets one NOT_EVALUATED record where it
    had something to judge."""
    skipped: list[Check] = []
    if check_filter:
        every = {c.id: c for c in checks_from_modules(bundle.modules, "policies")}
        left_out = check_filter.split(every)[1]
        skipped = [every[i] for i in left_out]
        bundle = without_checks(bundle, {every[i].file for i in left_out})
    by_type: dict[str, list[dict]] = {}
    for r in snapshot.resources:
        by_type.setdefault(r["type"], []).append(r)
    doc = backend.evaluate(bundle, evaluation_input(snapshot, bundle.params), Records(bundle, by_type))
    extracted = checks_mod.extract(doc, bundle)
    gaps = snapshot.meta.get("gaps", [])
    parts = snapshot.parts()
    results = []
    for check, records in extracted:
        results.extend(records)
        results.extend(_gap_records(check, gaps, parts))
    for check in skipped:
        results.extend(_skipped_record(check, by_type, gaps, parts))
    results.sort(key=lambda x: (x["check"], x["resource"]))
    checks = sorted([c for c, _ in extracted] + skipped, key=lambda c: c.id)
    return Evaluation(checks=checks, results=results, skipped=[c.id for c in skipped])


class Records:
    """Turns the engine's raw records into results, part by part: the backend hands each
    part of the snapshot it evaluated (a worker's partition, or the whole snapshot) to
    the converter of `bind` as the answer comes in, so a large snapshot's raw records
    are never all held at once, nor beside the results made of them. Each resource of a
    part's types gets exactly one result (ERROR when the check gave none, or several),
    as it would from one answer for the whole snapshot: a resource is in one part only.

    A partition settles a check alone only when each of the check's records there names
    one of that partition's resources of the check's types, and none of those resources
    shares its id with a resource of another of the check's types (records are matched
    to resources by id). Otherwise — a defect in the check, or ids that repeat across types — the check's
    package is put in `whole`, and the backend evaluates it again and converts its
    records once, over every partition together, as one answer would be."""

    def __init__(self, bundle: PolicyBundle, by_type: dict[str, list[dict]]):
        self.bundle = bundle
        self.index = {t: {r["id"]: r for r in rs} for t, rs in by_type.items()}
        self.shared_ids: dict[str, set[str]] = {}  # check id → ids that two of its types hold
        self.whole: set[str] = set()  # packages to convert over every partition together
        # each check's statuses, reasons and evidence, in a table of its own: one check
        # whose reasons never repeat fills its own table, not the others'
        self.shared: dict[str, SharedValues] = {}

    def bind(self, doc: dict, partition: bool = False):
        """The converter for the checks of `doc` (any document of the checks with their
        METADATA: a partitioned evaluation's skeleton, or a whole answer):
        convert(data.package, raw records, {type: {id: resource}} of the part) → results;
        with `partition`, for one partition of several (see the class)."""
        checks = {f"data.{check.package}": check for check, _ in checks_mod.extract(doc, self.bundle)}
        for check in checks.values():
            self.shared.setdefault(check.id, SharedValues())
            if partition and check.id not in self.shared_ids:
                self.shared_ids[check.id] = _ids_in_several_types([self.index.get(t, {}) for t in check.resource_types])

        def convert(package: str, raw, resources: dict) -> list:
            if not isinstance(raw, list):  # refused by checks.extract, with the check's name
                return raw
            check = checks[package]
            by_type = {t: [self.index[t][rid] for rid in resources.get(t, ())] for t in check.resource_types}
            if not partition:
                return _check_records(check, raw, by_type, self.shared[check.id])
            if package not in self.whole and not self._shares_ids(check, by_type):
                results = _check_records(check, raw, by_type, self.shared[check.id], strays=False)
                if results is not None:
                    return results
            self.whole.add(package)
            return []

        return convert

    def _shares_ids(self, check: Check, by_type: dict[str, list[dict]]) -> bool:
        several = self.shared_ids[check.id]
        return bool(several) and any(r["id"] in several for rs in by_type.values() for r in rs)


def _ids_in_several_types(of_types: list[dict[str, dict]]) -> set[str]:
    """The ids that more than one of the given {id: resource} maps hold."""
    seen: set[str] = set()
    several: set[str] = set()
    for by_id in of_types:
        several |= seen.intersection(by_id)
        seen.update(by_id)
    return several


def without_checks(bundle: PolicyBundle, files: set[str]) -> PolicyBundle:
    """The bundle less the modules of the checks left out (the library stays)."""
    if not files:
        return bundle
    return replace(bundle, modules={p: m for p, m in bundle.modules.items() if p not in files})


def _covers(check: Check, provider: str) -> bool:
    """A gap in one cloud hides nothing from a check written for another cloud."""
    return check.providers is None or provider not in CLOUDS or provider in check.providers


def _gap_records(check: Check, gaps: list[dict], parts) -> list[dict]:
    """NOT_EVALUATED for each gap over the check's types, in each source whose cloud the check judges."""
    out = []
    for part in parts:
        if not _covers(check, part.provider):
            continue
        source = {"provider": part.provider} if part.provider in CLOUDS else None
        for gap in gaps[part.gaps]:
            if set(gap["resource_types"]) & set(check.resource_types):
                failed = f"{gap['service']} {gap['api']}"
                why = f"{gap['error_code']}: {gap['message']}"
                out.append(_record(
                    check, source, gap_resource_id(gap), Status.NOT_EVALUATED,
                    f"not collected: {failed} in {gap['scope']} failed ({why})",
                    # the Japanese names the error code only: the provider's message is English (in `reason`)
                    f"収集できなかった: {gap['scope']} の {failed} が失敗した({gap['error_code']})。この範囲の対象リソースは判定していない",
                    {"gap": gap}))
    return out


def _skipped_record(check: Check, by_type: dict[str, list[dict]], gaps: list[dict], parts) -> list[dict]:
    """One NOT_EVALUATED record for a check the filter left out, when it had resources or
    gaps to judge (without either it would have judged nothing: not applicable)."""
    count = sum(1 for t in check.resource_types for r in by_type.get(t, [])
                if check.providers is None or r["provider"] in check.providers)
    gapped = any(set(g["resource_types"]) & set(check.resource_types)
                 for part in parts if _covers(check, part.provider) for g in gaps[part.gaps])
    if not count and not gapped:
        return []
    return [_record(check, None, SKIPPED_RESOURCE, Status.NOT_EVALUATED,
                    f"not evaluated: the check was left out of this scan (--checks/--skip-checks); "
                    f"{count} resource(s) of its types were not judged",
                    f"評価していない: このスキャンではチェックを対象外とした(--checks/--skip-checks)。"
                    f"対象の種類のリソース {count}件を判定していない",
                    {"resources": count})]


def _check_records(check: Check, raw: list, by_type: dict[str, list[dict]], shared: SharedValues,
                   strays: bool = True) -> list[dict] | None:
    """One result per resource of `by_type`, and an ERROR per other resource the records
    name — or, without `strays` (a partition that cannot judge those alone), None."""
    # One object for each distinct status, reason and evidence (`shared`): the engine's
    # answer holds a copy in every record, and most records of a check say the same thing.
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
            if recs is not None and len(recs) == 1 and recs[0].get("status") == NOT_APPLICABLE:
                continue  # the check says, by name, that it has nothing to judge here (no verdict)
            if (recs is not None and len(recs) == 1 and recs[0].get("status") in RULE_STATUSES
                    and isinstance(recs[0].get("reason_ja"), str)):
                rec = recs[0]  # the one well-formed record: most of a scan, so built here directly
                status, reason, reason_ja = rec["status"], str(rec.get("reason", "")), rec["reason_ja"]
                out.append(_record(check, resource, resource["id"], shared.get(status, status),
                                   shared.get(reason, reason), shared.get(reason_ja, reason_ja),
                                   _evidence(rec.get("evidence"), shared)))
            else:
                out.append(_defect_record(check, resource, recs or []))
    if grouped and not strays:
        return None
    for rid, recs in grouped.items():  # records for resources the check does not cover
        out.append(_record(check, None, rid, Status.ERROR,
                           f"check returned {len(recs)} record(s) for a resource outside its types",
                           f"チェックが対象外のリソースに{len(recs)}件の結果を返した(チェックの不具合)", None))
    return out


def _evidence(evidence, shared: SharedValues):
    """The record's evidence, the one object of its equal values (keyed by its JSON, which
    the engine writes with sorted keys); {} where it gave none."""
    if evidence is None:
        evidence = {}
    try:
        key = exact_json(evidence)
    except (TypeError, ValueError):  # not JSON the engine could have written: kept as it is
        return evidence
    return shared.get(key, evidence)


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
