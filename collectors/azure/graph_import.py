"""`genmei import azure-graph FILE...`: Azure Resource Graph results turned into a
canonical snapshot by the normalisers of the live collector.

Accepted, per file: the REST response of `POST /providers/Microsoft.ResourceGraph/resources`
(`data` as an object array or as {columns, rows}), `az graph query` output (`data`,
`skip_token`), a JSON array of rows, an ARM list page (`value`, as `az rest` prints it) or
one ARM resource, and an API example file wrapping one of these
(`responses."200".body`). Rows must be resources — id and type at least; query
`Resources` (plus `ResourceContainers` for subscriptions, `SecurityResources` for
Defender plans and vulnerability sub-assessments, and `PatchAssessmentResources` for
Update Manager's patch assessments) with `properties` projected.

What an export cannot hold is said, not guessed: a page with a $skipToken (or nextLink)
is a gap over every type unless the last page of the same query (same totalRecords, no
token) is imported with it; keys, activity-log export settings
and the child resources the collector reads per server (firewall rules, TDE, server
parameters) are not in Resource Graph, so what depends on them is not collected; keys,
which would otherwise be silently absent, get a gap. A type counts as read when the
export holds at least one row of it. Rows of types genmei does not model are counted in
the snapshot's description.
"""

from datetime import datetime, timezone

from genmei.collectors.canonical.values import ShapeError
from genmei.engine.errors import InputError
from genmei.engine.jsonio import parse_json, read_bytes

from . import inventory as t
from .graph import table_rows
from .inventory import CANONICAL_TYPES, Inventory, Item, row_problem, subscription_of
from .normalise import normalise
from .snapshot import envelope



def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def extract_rows(doc, name: str) -> tuple[list, object, str]:
    """(rows, continuation, form) from any accepted shape; InputError otherwise.
    continuation is None for a last (or only) page, else the query's total row count
    (or True when the page does not say), so that the final page given beside it can
    prove the export whole."""
    if isinstance(doc, list):
        return doc, None, "a JSON array of rows"
    if not isinstance(doc, dict):
        raise InputError(f"{name}: not Resource Graph results (a JSON {type(doc).__name__}, expected an object or an array of rows)")
    if "interactions" in doc:
        raise InputError(f"{name}: a recorded HTTP session (VCR cassette), not Resource Graph results; "
                         "export with `az graph query -q \"Resources | …\" --first 1000 -o json` instead")
    if isinstance(doc.get("responses"), dict) and "parameters" in doc:
        ok = doc["responses"].get("200")
        if not isinstance(ok, dict) or "body" not in ok:
            raise InputError(f"{name}: an API example file without a 200 response body")
        rows, more, form = extract_rows(ok["body"], name)
        return rows, more, f"an API example ({form})"
    if "data" in doc:
        try:
            data = table_rows(doc["data"])
        except ShapeError as e:
            raise InputError(f"{name}: `data` is not a Resource Graph table: {e}") from None
        if not isinstance(data, list):
            raise InputError(f"{name}: `data` is neither an array of rows nor {{columns, rows}}")
        total = doc.get("totalRecords", doc.get("total_records"))
        if doc.get("$skipToken") or doc.get("skipToken") or doc.get("skip_token"):
            return data, total if isinstance(total, int) else True, "Resource Graph results (one page)"
        return data, None, "Resource Graph results" if not isinstance(total, int) else f"Resource Graph results (total {total})"
    if isinstance(doc.get("value"), list):
        return doc["value"], True if doc.get("nextLink") else None, "an ARM list page"
    if isinstance(doc.get("id"), str) and isinstance(doc.get("type"), str):
        return [doc], None, "one ARM resource"
    raise InputError(f"{name}: not Resource Graph results: expected `data` (REST API or az graph query), "
                     "`value` (an ARM list), or a JSON array of rows")


def check_rows(rows: list, name: str) -> None:
    if not rows:
        raise InputError(f"{name}: holds no rows: nothing to import")
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InputError(f"{name}: row {i} is a JSON {type(row).__name__}, expected an object")
        if not isinstance(row.get("id"), str) or not isinstance(row.get("type"), str) or not row["id"].startswith("/"):
            keys = ", ".join(sorted(map(str, row))[:6]) or "none"
            raise InputError(f"{name}: row {i} has no ARM id and type (columns: {keys}); an aggregate query? "
                             "project id, name, type, location, tags, zones, sku, kind, properties")
        problem = row_problem(row)
        if problem:
            raise InputError(f"{name}: row {i} ({row['id']}): {problem}, not in the shape of an ARM resource")


def read(paths: list[str], progress=lambda message: None) -> dict:
    started = now()
    inv = Inventory(source={"kind": "resource_graph", "file": paths[0], "ref": "derived per subscription"})
    seen: set[tuple[str, str]] = set()
    duplicates = 0
    continued: dict[str, object] = {}  # path → continuation of a page that is not the last
    finals: set[int] = set()  # total row counts of the last pages given
    for path in paths:
        doc = parse_json(read_bytes(path), path)
        rows, more, form = extract_rows(doc, path)
        check_rows(rows, path)
        progress(f"azure-graph: {path}: {len(rows)} row(s), {form}")
        if more is not None:
            continued[path] = more
        elif isinstance(total := _total(doc), int):
            finals.add(total)
        for i, row in enumerate(rows):
            key = (t.arm_type(row["type"]), row["id"].lower())
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            if key[0] == t.SUBSCRIPTION:
                sub = subscription_of(row["id"]) or row["id"].rsplit("/", 1)[-1].lower()
                inv.subscriptions[sub] = Item(row, {"kind": "resource_graph", "file": path, "ref": f"row {i}"})
            else:
                inv.add(row, {"kind": "resource_graph", "file": path, "ref": f"row {i}"})
    subs = inv.all_subscriptions()
    inv.read.update((sub, arm_type_) for sub in subs for arm_type_ in inv.items)
    inv.observed_at = _exported_by(inv)
    if duplicates:
        inv.notes.append(f"{duplicates} duplicate row(s) (same type and id) read once")
    for sub in subs:
        scope = f"{sub}/global"
        for path in [p for p, more in continued.items() if more is True or more not in finals]:
            inv.gaps.append(_gap(scope, "resources (next page)", CANONICAL_TYPES, "MorePages",
                                 f"{path} is one page of a longer result ($skipToken/nextLink present); import every page together"))
        if not inv.of(t.KEY) and any(subscription_of(v.arm["id"]) == sub for v in inv.of(t.VAULT)):
            inv.gaps.append(_gap(scope, "keys", ["kms.key"], "NotInExport",
                                 "Key Vault keys and their rotation policies are not in Resource Graph"))
        # Findings and patch assessments are other tables: an export without their rows
        # cannot tell "none" from "not exported".
        if not inv.of(t.SUBASSESSMENT):
            inv.gaps.append(_gap(scope, "SecurityResources (sub-assessments)", ["vulnerability.report"], "NotInExport",
                                 "the export holds no sub-assessments of Defender's vulnerability assessments; query "
                                 "SecurityResources for type microsoft.security/assessments/subassessments too"))
        if not inv.of(t.PATCH_ASSESSMENT) and any(subscription_of(v.arm["id"]) == sub for v in inv.of(t.VM)):
            inv.gaps.append(_gap(scope, "PatchAssessmentResources", ["compute.host_management"], "NotInExport",
                                 "the export holds no patch assessments; query PatchAssessmentResources too"))
    try:
        resources, unmodelled = normalise(inv)
    except ShapeError as e:
        raise InputError(f"{', '.join(paths)}: {e}") from None
    return envelope(inv, resources, unmodelled, collector_source=", ".join(paths), started=started, finished=now(),
                    name="genmei-azure-graph-import")


def _exported_by(inv: Inventory) -> str | None:
    """The newest time the export's findings and patch assessments show: it was made no
    earlier, so ages counted to it are never longer than at the export."""
    from genmei.collectors.canonical import times

    from .normalise.common import get

    stamps = [get(i.arm, "properties", "timeGenerated") for i in inv.of(t.SUBASSESSMENT)]
    stamps += [get(i.arm, "properties", "lastModifiedDateTime") for i in inv.of(t.PATCH_ASSESSMENT)]
    try:
        seen = [times.utc(s) for s in stamps if isinstance(s, str)]
    except ShapeError as e:
        raise InputError(f"a finding or patch assessment holds a time that is not one: {e.detail}") from None
    return times.rfc3339(max(seen)) if seen else None


def _total(doc) -> int | None:
    """totalRecords of a Resource Graph response (REST or az), possibly inside an API example."""
    if isinstance(doc, dict) and isinstance(doc.get("responses"), dict):
        doc = (doc["responses"].get("200") or {}).get("body")
    if isinstance(doc, dict):
        total = doc.get("totalRecords", doc.get("total_records"))
        return total if isinstance(total, int) else None
    return None


def _gap(scope: str, api: str, types: list[str], code: str, message: str) -> dict:
    return {"scope": scope, "service": "resourcegraph", "api": api, "resource_types": types, "error_code": code, "message": message}
