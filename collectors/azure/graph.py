"""Azure Resource Graph: one query reads the inventory of every subscription at once.

Rows come back in the shape of ARM resources (id, name, type in lower case, location,
tags, zones, sku, kind, properties), so the live collector and the `azure-graph`
importer hand the same rows to the same normalisers. Resource Graph shows only what the
caller may read and reports no per-subscription failure: the collector falls back to the
per-service lists when the query itself fails, and says so.
"""

from genmei.collectors.canonical.values import ShapeError, json_kind

from . import inventory as t

# The inventory the normalisers use, flow logs included (Network Watcher flow logs are
# tracked resources in the Resources table).
GRAPH_TYPES = (t.NAT, t.NSG, t.NIC, t.PUBLIC_IP, t.VNET, t.FLOW_LOG, t.VM, t.DISK, t.STORAGE, t.VAULT, t.AKS,
               t.SQL, t.POSTGRES, t.MYSQL, t.SCALE_SET, t.AUTOSCALE, t.METRIC_ALERT, t.ACTION_GROUP,
               t.APP_GATEWAY, t.WAF_POLICY)
COLUMNS = "id, name, type, location, resourceGroup, subscriptionId, tags, zones, sku, kind, properties"
PAGE_SIZE = 1000
MAX_SUBSCRIPTIONS = 1000  # per request, a Resource Graph limit


def inventory_query(types=GRAPH_TYPES) -> str:
    quoted = ", ".join(f"'{x}'" for x in types)
    return f"Resources | where type in~ ({quoted}) | project {COLUMNS} | order by id asc"


# Tables that have no read API of their own: Defender for Cloud's vulnerability findings
# (SecurityResources sub-assessments, only the Unhealthy ones of the vulnerability
# assessments) and Update Manager's patch assessments. Both are read with Resource Graph
# whatever --inventory says. (table, canonical types they feed, query)
def _subassessments() -> str:
    from .normalise.vulnerability import ASSESSMENTS

    keys = ", ".join(f"'{k}'" for k in sorted(ASSESSMENTS))
    return ("SecurityResources | where type =~ 'microsoft.security/assessments/subassessments'"
            " | extend assessmentKey = tolower(extract(@'(?i)providers/Microsoft.Security/assessments/([^/]*)', 1, id))"
            f" | where assessmentKey in ({keys}) | where properties.status.code =~ 'Unhealthy'"
            f" | project {COLUMNS} | order by id asc")


SECURITY_TABLES = (
    (t.SUBASSESSMENT, ["vulnerability.report"], _subassessments),
    (t.PATCH_ASSESSMENT, ["compute.host_management"],
     lambda: f"PatchAssessmentResources | where type =~ '{t.PATCH_ASSESSMENT}' | project {COLUMNS} | order by id asc"),
)


def read_security_tables(reader, client, subscriptions: list[str]) -> None:
    """The findings and patch assessments of every subscription; a failed query is a gap
    over what its table feeds, in each subscription."""
    inv = reader.inv
    succeeded = reader.succeeded  # findings alone are no collection: "nothing could be read" still holds
    for arm_type_, types, text in SECURITY_TABLES:
        notes = len(inv.notes)
        rows = query(reader, client, subscriptions, text())
        if rows is None:
            why = inv.notes[notes].split(";")[0] if len(inv.notes) > notes else "the query failed"
            del inv.notes[notes:]  # said once, in the gaps
            for sub in subscriptions:
                inv.gaps.append({"scope": f"{sub}/global", "service": "resourcegraph", "api": f"resources ({arm_type_})",
                                 "resource_types": types, "error_code": "QueryFailed", "message": why})
            continue
        add_rows(inv, rows, lambda i: {"kind": "resource_graph", "ref": arm_type_})
        inv.read.update((sub, arm_type_) for sub in subscriptions)
    reader.succeeded = succeeded


def table_rows(data) -> list:
    """Rows in either result format: objectArray (a list of objects) or table ({columns, rows}).
    A table whose columns are not named by strings, or a row whose values do not match the
    columns one for one, is not a Resource Graph table: ShapeError, never a row with its
    values under the wrong names."""
    if isinstance(data, dict) and isinstance(data.get("columns"), list) and isinstance(data.get("rows"), list):
        names = [_column_name(i, c) for i, c in enumerate(data["columns"])]
        rows = []
        for i, row in enumerate(data["rows"]):
            if isinstance(row, list) and len(row) != len(names):
                raise ShapeError(f"rows[{i}]", f"{len(row)} values for {len(names)} columns")
            rows.append(dict(zip(names, row)) if isinstance(row, list) else row)
        return rows
    return data


def _column_name(i: int, column) -> str:
    name = column.get("name") if isinstance(column, dict) else None
    if not isinstance(name, str):
        found = f"a name that is a JSON {json_kind(name)}" if isinstance(column, dict) else f"a JSON {json_kind(column)}"
        raise ShapeError(f"columns[{i}]", f"expected a column object with a string name, got {found}")
    return name


def query(reader, client, subscriptions: list[str], text: str, page_size: int = PAGE_SIZE) -> list[dict] | None:
    """Every row of `text` over `subscriptions`, page by page ($skipToken), read through
    `reader` (a calls.Reader); None on failure
    (the error is returned to the caller through reader.inv.notes, not as a gap, since
    the caller falls back)."""
    from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

    from .calls import ERRORS, error_fields  # azure-core: imported here, the importer needs none of it

    rows: list[dict] = []
    for i in range(0, len(subscriptions), MAX_SUBSCRIPTIONS):
        chunk = subscriptions[i:i + MAX_SUBSCRIPTIONS]
        skip_token = None
        while True:
            options = QueryRequestOptions(top=page_size, skip_token=skip_token, result_format="objectArray")
            try:
                reader.inv.api_calls["resourcegraph.resources"] += 1
                response = client.resources(QueryRequest(subscriptions=chunk, query=text, options=options))
            except ERRORS as e:
                code, message = error_fields(e)
                reader.inv.notes.append(f"Resource Graph query failed ({code}: {message}); the inventory was read with per-service list calls")
                return None
            try:
                page = table_rows(response.data)
            except ShapeError:
                page = None
            if not isinstance(page, list):
                reader.inv.notes.append("Resource Graph returned an unexpected result shape; the inventory was read with per-service list calls")
                return None
            rows.extend(r for r in page if isinstance(r, dict))
            skip_token = response.skip_token
            if not skip_token:
                if str(response.result_truncated).lower() == "true":
                    reader.inv.notes.append("Resource Graph truncated the result; the inventory was read with per-service list calls")
                    return None
                break
    reader.succeeded += 1
    return rows


def add_rows(inv: t.Inventory, rows: list[dict], source) -> None:
    """Rows into the inventory; `source(i)` gives each row's snapshot source. A row not in
    the shape of an ARM resource cannot be judged: it is a gap over its subscription."""
    for i, row in enumerate(rows):
        problem = t.row_problem(row)
        if problem:
            rid = row.get("id") if isinstance(row, dict) and isinstance(row.get("id"), str) else ""
            inv.gaps.append({"scope": f"{t.subscription_of(rid) or 'unknown'}/global", "service": "resourcegraph",
                             "api": "resources", "resource_types": list(t.CANONICAL_TYPES), "error_code": "MalformedRow",
                             "message": f"row {i} {rid}: {problem}: not in the shape of an ARM resource, not judged"})
            continue
        inv.add(row, source(i))
