"""A run as the history keeps it, independent of the backend: built from a scan's
evidence, written by any store, read back equal, and hashed (record_sha256) so that a
copy (`history migrate`) or a period report can name exactly what it rests on.

    {"run": {id, times, provider, account, service, snapshot metadata and digests, summary,
             evidence_dir, members, exceptions, attestations[, sources]},
     "results": [{check, resource, resource_type, status, severity, reason, criteria, risks[, source]}],
     "resources": [[type, id, sha256]]  (sorted),
     "items": {item: status},
     "judgements": {risk: {basic_statement, judgement, judgement_en, items, counts}}}

A service run (`scan --config`) also has `sources` — each source's provider, account,
observation time and snapshot digest — and each of its results the position of its
resource's source (None where a result has none: a check left out by a filter). A
single-source run has neither key, so its record, and its digest, are what they were
before service runs existed.
"""

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import orjson

from ..jsonio import canonical_json, sha256_hex

# Run fields stored as JSON text.
JSON_FIELDS = ("regions", "collector", "gaps", "summary", "members", "exceptions", "attestations", "sources")
RUN_FIELDS = ("id", "started_at", "finished_at", "as_of", "provider", "account", "service", "regions", "collector",
              "collected_at", "observed_at", "snapshot_sha256", "snapshot_path", "resource_count", "gaps",
              "policy_bundle_sha256", "catalog_sha256", "tool_version", "backend", "summary", "evidence_dir",
              "members", "exceptions", "attestations", "sources")
# Run fields a record holds only when they have a value (a service run's).
OPTIONAL_RUN_FIELDS = ("sources",)


def field_digest(*fields) -> bytes:
    """The key of a finding or an outcome: SHA-256 of its fields joined by U+001F (the
    same as schema.digest_sql computes in SQL)."""
    return hashlib.sha256("\x1f".join("" if f is None else str(f) for f in fields).encode("utf-8")).digest()


def utc_text(timestamp: str | None) -> str | None:
    """An ISO 8601 time as UTC YYYY-MM-DDTHH:MM:SSZ (no zone: taken as UTC); None when
    it is not a time."""
    if not timestamp:
        return None
    try:
        t = datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def resource_digest(resource: dict) -> str:
    """What a resource was, as one digest: a changed attribute changes it."""
    return sha256_hex(canonical_json(resource))


def resource_row(resource: dict) -> list:
    """[type, id, digest]: what a run keeps of a resource."""
    return [resource["type"], resource["id"], resource_digest(resource)]


def run_id(finished_at: str, snapshot_sha256: str) -> str:
    """Sortable by time, and telling which snapshot: 20261122T101500Z-223de930."""
    return finished_at.replace("-", "").replace(":", "") + "-" + snapshot_sha256[:8]


def cited_items(risk: dict) -> list[str]:
    """The criteria items a risk judgement cites, whether `items` maps item ids to their
    assessment (per item, or per risk and item) or lists them."""
    items = risk.get("items") or {}
    if isinstance(items, dict):
        return list(items)
    return [i if isinstance(i, str) else (i.get("id") or i.get("item")) for i in items]


def scan_record(evidence: dict, resources: list[dict], evidence_dir: Path | None = None,
                members: dict[str, str] | None = None, service: str | None = None,
                sources_of: dict[str, int] | None = None, resource_rows: list[list] | None = None) -> dict:
    """The record of one scan: its evidence document and the snapshot's resources;
    `sources_of` (resource id → source position) for a service run. `resource_rows`
    (resource_row of each, computed as the snapshot was read: engine/snapshot.py
    load_for_scan, which keeps no raw) stands for the resources when given."""
    snap = evidence["snapshot"]
    run = {
        "id": run_id(evidence["finished_at"], evidence["snapshot_sha256"]),
        "started_at": evidence["started_at"], "finished_at": evidence["finished_at"], "as_of": evidence["as_of"],
        "provider": snap["provider"], "account": snap["account"], "service": service,
        "regions": snap["regions"], "collector": snap["collector"], "collected_at": snap["collected_at"],
        "observed_at": utc_text(snap["collected_at"]) or utc_text(evidence["finished_at"]),
        "snapshot_sha256": evidence["snapshot_sha256"], "snapshot_path": snap["path"],
        "resource_count": snap["resources"], "gaps": snap["gaps"],
        "policy_bundle_sha256": evidence["policy_bundle_sha256"], "catalog_sha256": evidence["catalog_sha256"],
        "tool_version": evidence["tool"]["version"], "backend": evidence["tool"]["backend"],
        "summary": evidence["summary"],
        "evidence_dir": str(evidence_dir.resolve()) if evidence_dir else None, "members": members,
        "exceptions": evidence.get("exceptions", []), "attestations": evidence.get("attestations", []),
    }
    results = ResultRows(evidence["results"])
    if snap.get("sources"):
        run["sources"] = [{"name": s["name"], "provider": s["provider"], "account": s["account"],
                           "collected_at": s["collected_at"],
                           "observed_at": utc_text(s["collected_at"]) or run["observed_at"],
                           "snapshot_sha256": s["snapshot_sha256"], "resources": s["resources"],
                           "gaps": len(s["gaps"])} for s in snap["sources"]]
        results = ResultRows(evidence["results"], sources_of or {})
    risks = {**evidence["risks"], **evidence["outside_basic_statement"]}
    return {
        "run": run,
        "results": results,
        "resources": sorted(resource_rows if resource_rows is not None else map(resource_row, resources)),
        "items": {iid: item["status"] for iid, item in evidence["items"].items()},
        "judgements": {rid: {"basic_statement": bool(r["basic_statement"]), "judgement": r["judgement"],
                             "judgement_en": r["judgement_en"], "items": cited_items(r), "counts": r["counts"]}
                       for rid, r in risks.items()},
    }


class ResultRows:
    """A record's results, made from the evidence's results each time they are read rather
    than held: a run of a million resources has millions of results, and the evidence
    already holds them. `sources_of` (resource id → source position) adds each result's
    `source` (a service run). Equal to a list of the same rows, as read_record returns."""

    def __init__(self, results: list[dict], sources_of: dict[str, int] | None = None):
        self._results = results
        self._sources_of = sources_of

    def __len__(self) -> int:
        return len(self._results)

    def __iter__(self):
        sources_of = self._sources_of
        for r in self._results:
            row = {"check": r["check"], "resource": r["resource"], "resource_type": r.get("resource_type"),
                   "status": r["status"], "severity": r["severity"], "reason": r["reason"],
                   "criteria": r["criteria"], "risks": r["risks"]}
            if sources_of is not None:
                row["source"] = sources_of.get(r["resource"])
            yield row

    def __eq__(self, other) -> bool:
        return isinstance(other, (list, ResultRows)) and len(self) == len(other) and list(self) == list(other)

    __hash__ = None


# Results hashed (and written: base.Store.write) this many at a time.
RESULT_BATCH = 20_000


def batches(values, size: int):
    """Lists of up to `size` of an iterable's values, in order."""
    batch = []
    for v in values:
        batch.append(v)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# Keys that are str enums (a judgement's counts by ItemStatus) are written as their text,
# as json writes them and as the record reads back from a store.
_DIGEST_JSON = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def record_digest(record: dict, batch: int = RESULT_BATCH) -> str:
    """SHA-256 of the record as sorted-key compact JSON (orjson's; json's for what orjson
    refuses), without its id, which only names it. The results are encoded a batch at a
    time (`batch` of them) into the hash, so the whole record's JSON is never held; the
    bytes hashed are those of encoding the record at once."""
    body = {**record, "run": {k: v for k, v in record["run"].items() if k != "id"}}
    h = hashlib.sha256()
    try:
        for n, key in enumerate(sorted(body)):
            h.update(b"," if n else b"{")
            h.update(orjson.dumps(key) + b":")
            if key != "results":
                h.update(orjson.dumps(body[key], option=_DIGEST_JSON))
                continue
            h.update(b"[")
            for i, rows in enumerate(batches(body[key], batch)):
                h.update((b"," if i else b"") + orjson.dumps(rows, option=_DIGEST_JSON)[1:-1])
            h.update(b"]")
        h.update(b"}" if body else b"{}")
    except TypeError:  # e.g. an integer beyond 64 bits: json's encoding of the whole, as before
        return sha256_hex(canonical_json({k: list(v) if k == "results" else v for k, v in body.items()}))
    return h.hexdigest()


def observations(run: dict) -> list[tuple[int, str, str, str]]:
    """(position, provider, account, observed_at) of each source a run covers: a service
    run's sources, or the run itself."""
    if run.get("sources"):
        return [(i, s["provider"], s["account"], s["observed_at"]) for i, s in enumerate(run["sources"])]
    return [(0, run["provider"], run["account"], run["observed_at"])]
