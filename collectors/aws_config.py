"""`genmei import aws-config FILE...`: AWS Config data a user already has, turned into a
canonical snapshot by the normalisers of the live AWS collector (through the adapter in
collectors/aws/config_items.py).

Accepted, per file (plain or gzip, as Config delivers to S3): a configuration snapshot or
history file ({fileVersion, configurationItems}), `aws configservice
get-resource-config-history` / `batch-get-resource-config` / `select-resource-config`
output, a JSON array of configuration items or one item, a Config rule invocation event
(invokingEvent text holding a configurationItem) and an EventBridge "Config
Configuration Item Change" event. A recorded boto3 response ({status_code, data}) is
read as its data.

Of several items of one resource (history) the latest is judged; a resource whose latest
item says it was deleted is not judged and is counted. Items of types genmei does not
model are counted and reported in the snapshot's description, not dropped silently.
Config does not record EBS encryption by default, the IAM credential report or
CloudTrail/GuardDuty state: a gap per account says so, so their checks are NOT_EVALUATED,
never PASS. Anything else (malformed JSON, a CloudTrail event, a scheduled rule event
without an item, query rows without resourceType) is rejected with the file and why.
"""

import zlib
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from genmei.engine import __version__
from genmei.engine.errors import InputError
from genmei.engine.jsonio import MAX_INPUT_BYTES, parse_json, read_bytes

from genmei.collectors.aws.config_items import MODELLED, ItemError, adapt, decode, read_item
from genmei.collectors.aws.model import ALL_TYPES
from genmei.collectors.aws.normalise import normalise

# What no configuration item holds, per account.
NOT_IN_CONFIG = (["cloud.account", "cloud.region", "iam.user"],
                 "AWS Config items hold neither EBS encryption by default nor the IAM credential report "
                 "(root and user MFA, access keys); genmei does not read CloudTrail or GuardDuty state from them")
# Neither do they hold Amazon Inspector findings; Systems Manager's patch compliance and
# inventory items (AWS::SSM::PatchCompliance, AWS::SSM::ManagedInstanceInventory) are not read.
NOT_IN_CONFIG_HOSTS = (["compute.host_management", "vulnerability.report"],
                       "AWS Config items hold no Amazon Inspector findings; genmei does not read Systems Manager patch "
                       "compliance or inventory items (AWS::SSM::PatchCompliance, AWS::SSM::ManagedInstanceInventory)")


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def unzip(data: bytes, name: str) -> bytes:
    """Config delivers .json.gz to S3: inflate, within the same size limit as plain files."""
    if data[:2] != b"\x1f\x8b":
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_INPUT_BYTES + 1)
    except zlib.error as e:
        raise InputError(f"{name}: corrupt gzip data ({e})") from None
    if len(out) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: inflates beyond the limit of {MAX_INPUT_BYTES} bytes (GENMEI_MAX_INPUT_BYTES)")
    if not inflater.eof:
        raise InputError(f"{name}: truncated gzip data")
    return out


def records(doc, name: str) -> tuple[list, str, list[str], set]:
    """(configuration items, the form, notes, canonical types of resources the file says it
    leaves out) from any accepted shape; InputError for anything else."""
    if isinstance(doc, dict) and "status_code" in doc and "data" in doc:
        if doc["status_code"] != 200:
            raise InputError(f"{name}: a recorded API response with status {doc['status_code']}, not configuration items")
        items, form, notes, more = records(doc["data"], name)
        return items, f"a recorded boto3 response ({form})", notes, more
    if isinstance(doc, list):
        return doc, "a JSON array of configuration items", [], set()
    if not isinstance(doc, dict):
        raise InputError(f"{name}: not AWS Config data (a JSON {type(doc).__name__}, expected an object or an array of items)")
    if isinstance(doc.get("configurationItems"), list):
        token = doc.get("nextToken") or doc.get("NextToken")
        if "fileVersion" in doc:
            form = "a configuration snapshot file" if "configSnapshotId" in doc else "a configuration history file"
        else:
            form = "get-resource-config-history output"
        notes = [f"{name} is one page of a resource's history (nextToken); its latest item given is judged"] if token else []
        return doc["configurationItems"], form, notes, set()
    if isinstance(doc.get("baseConfigurationItems"), list):
        keys = doc.get("unprocessedResourceKeys") or []
        missing = {MODELLED[k.get("resourceType")] for k in keys if isinstance(k, dict) and k.get("resourceType") in MODELLED}
        notes = [f"{name}: {len(keys)} unprocessed resource key(s) (not in the output)"] if keys else []
        return doc["baseConfigurationItems"], "batch-get-resource-config output", notes, missing
    if isinstance(doc.get("Results"), list):
        rows = [decode(r) for r in doc["Results"]]
        return rows, "select-resource-config output", [], set(ALL_TYPES) if doc.get("NextToken") else set()
    if "invokingEvent" in doc:
        return _event(decode(doc["invokingEvent"]), name, "a Config rule event")
    if "detail-type" in doc:
        if doc["detail-type"] != "Config Configuration Item Change":
            raise InputError(f"{name}: an EventBridge event ({doc['detail-type']}), not AWS Config data")
        return _event(doc.get("detail"), name, "an EventBridge Config event")
    if "configurationItem" in doc or "messageType" in doc:
        return _event(doc, name, "a Config notification")
    if "resourceType" in doc:
        return [doc], "one configuration item", [], set()
    raise InputError(f"{name}: not AWS Config data: expected configurationItems (snapshot or history file), "
                     "baseConfigurationItems, Results (advanced query), an invokingEvent, or configuration items")


def _event(event, name: str, form: str):
    if not isinstance(event, dict):
        raise InputError(f"{name}: {form} whose invokingEvent is not a JSON object")
    item = event.get("configurationItem")
    if isinstance(item, dict):
        return [item], form, [], set()
    kind = event.get("messageType") or "an event"
    if "configurationItemSummary" in event:
        raise InputError(f"{name}: {form} ({kind}) holds only a summary of the item; "
                         "read the item itself with `aws configservice get-resource-config-history`")
    raise InputError(f"{name}: {form} ({kind}) holds no configuration item")


def read_files(paths: list[str], progress):
    """(latest item per resource, counts, notes, canonical types the files leave out)."""
    latest: dict[tuple, object] = {}
    counts, notes, incomplete = Counter(), [], set()
    for path in paths:
        name = str(path)
        doc = parse_json(unzip(read_bytes(path), name), name)
        rows, form, more_notes, more = records(doc, name)
        if not rows:
            raise InputError(f"{name}: holds no configuration items")
        progress(f"aws-config: {name}: {len(rows)} item(s), {form}")
        notes.extend(more_notes)
        incomplete |= more
        for i, row in enumerate(rows):
            try:
                item = read_item(row, f"{name}#{i}")
            except ItemError as e:
                raise InputError(f"{name}: item {i}: {e}") from None
            counts["items"] += 1
            key = (item.account, item.region, item.type, item.id)
            held = latest.get(key)
            if held is None or (item.captured or "") > (held.captured or ""):
                latest[key] = item
            if held is not None:
                counts["older"] += 1
    return list(latest.values()), counts, notes, incomplete


def read(paths: list[str], progress=lambda message: None) -> dict:
    """The import-format interface (collectors/imports.py): files → snapshot dict."""
    started = now()
    items, counts, notes, incomplete = read_files(paths, progress)
    deleted = [i for i in items if i.deleted]
    unrecorded = [i for i in items if not i.deleted and i.status == "ResourceNotRecorded"]
    try:
        adapted = adapt([i for i in items if not i.deleted and i.status != "ResourceNotRecorded"])
        normalised = [r for raw in adapted.accounts.values() for r in normalise(raw)]
    except ItemError as e:
        raise InputError(str(e)) from None
    except (AttributeError, KeyError, TypeError, ValueError) as e:
        raise InputError(f"{', '.join(map(str, paths))}: a configuration item is not in the API's shape "
                         f"({type(e).__name__}: {e})") from None
    for r in normalised:  # the item each resource came from, in place of the API call
        item = adapted.origins.get(r["id"])
        r["source"] = ({"kind": "aws_config", "file": item.ref.rsplit("#", 1)[0], "ref": item.ref} if item
                       else {"kind": "aws_config", "ref": ", ".join(map(str, paths))})
    resources = sorted(normalised, key=lambda r: (r["type"], r["id"]))
    judged = {r["id"] for r in resources}
    not_judged = Counter(i.type for i_id, i in adapted.origins.items() if i_id not in judged)
    accounts = sorted({i.account for i in items})
    gaps = _gaps(accounts, adapted, incomplete)
    description = _description(counts, deleted, unrecorded, adapted.unmodelled, not_judged, notes)
    progress(f"aws-config: {counts['items']} item(s) → {len(resources)} resource(s)")
    meta = {
        "provider": "aws",
        "account": accounts[0] if len(accounts) == 1 else f"aws-config:{Path(paths[0]).name}",
        "accounts": accounts,
        "regions": sorted({i.region for i in items if i.region != "global"}),
        "collector": {"name": "genmei-aws-config-import", "version": __version__, "source": ", ".join(map(str, paths))},
        "started_at": started, "finished_at": now(), "api_calls": {}, "gaps": gaps,
    }
    if description:
        meta["description"] = description
    return {"genmei_snapshot": "1.0", "meta": meta, "resources": resources}


def _gap(scope: str, api: str, types: list[str], code: str, message: str) -> dict:
    return {"scope": scope, "service": "config", "api": api, "resource_types": types, "error_code": code, "message": message}


def _gaps(accounts: list[str], adapted, incomplete: set) -> list[dict]:
    gaps = []
    for account in accounts:
        gaps.append(_gap(f"{account}/global", "configuration items", NOT_IN_CONFIG[0], "NotInAwsConfig", NOT_IN_CONFIG[1]))
        gaps.append(_gap(f"{account}/global", "vulnerability and patch data", NOT_IN_CONFIG_HOSTS[0], "NotInAwsConfig",
                         NOT_IN_CONFIG_HOSTS[1]))
        if incomplete:
            gaps.append(_gap(f"{account}/global", "configuration items (more pages)", sorted(incomplete), "MorePages",
                             "the export leaves resources out (NextToken or unprocessedResourceKeys); "
                             "import every page together"))
    for account, region in sorted(adapted.listeners_missing):
        gaps.append(_gap(f"{account}/{region}", "AWS::ElasticLoadBalancingV2::Listener", ["lb.listener"], "NotInExport",
                         "load balancers are in the export but none of their listeners (Config records them as items of their own)"))
    return gaps


def _description(counts, deleted, unrecorded, unmodelled: Counter, not_judged: Counter, notes) -> str | None:
    parts = []
    if unmodelled:
        kinds = ", ".join(f"{t} ×{n}" for t, n in sorted(unmodelled.items()))
        parts.append(f"{sum(unmodelled.values())} item(s) of types genmei does not model were not imported: {kinds}")
    if not_judged:
        kinds = ", ".join(f"{t} ×{n}" for t, n in sorted(not_judged.items()))
        parts.append(f"{sum(not_judged.values())} item(s) read but not judged (AWS-managed keys, terminated instances, alarms that only drive scaling): {kinds}")
    if deleted:
        kinds = ", ".join(f"{t} ×{n}" for t, n in sorted(Counter(i.type for i in deleted).items()))
        parts.append(f"{len(deleted)} deleted resource(s) not judged: {kinds}")
    if unrecorded:
        parts.append(f"{len(unrecorded)} item(s) with status ResourceNotRecorded (no configuration) not judged")
    if counts["older"]:
        parts.append(f"{counts['older']} older item(s) of the same resources superseded by the latest")
    parts.extend(notes)
    return "; ".join(parts) or None
