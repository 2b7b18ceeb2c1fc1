"""The canonical snapshot: loaded, validated against its schema, hashed, and turned
into the evaluation input the checks read.

A service snapshot (`scan --config`) joins several sources — accounts, subscriptions,
projects, of one cloud or several — into one: their resources concatenated in source
order, their gaps likewise, and `meta.sources` saying which run of resources and of gaps
each source gave (`resource_count`, `gap_count`), with its own provider, account,
collector, times and digest. So a gap stays tied to the cloud it was found in and each
result to the source of its resource, without a second copy of anything; a snapshot
without `meta.sources` is one source, as before.

Validation has two layers: the envelope (snapshot.schema.json), and every resource's
attrs against its canonical type (resource-attrs.schema.json, generated from
mappings/resource-types.yaml). An attr of the wrong type — `rules` as a string, a
rule's `sources` as a string, `direction: "Ingress"`, `port_ranges: 5` — is a one-line
input error naming the resource and the attribute path, never a PASS (a check that does
not recognise a value passes over it) and never an engine type error.

The digest is over the file's bytes as given, so an auditor can recompute it with
`sha256sum`.

A scan reads a snapshot genmei wrote (one resource a line: jsonio.dump_json) block by
block, validating each block as it is read, and keeps of each resource everything but
`raw` — the provider's API objects, most of a collected snapshot's bytes, which no check
and no result reads — with its `attrs`, which only the engine reads, kept as the JSON
the engine is given (load_for_scan). Any other layout is read whole, as load_snapshot
does; both give the same document less `raw`, validated the same way.
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import jsonschema
import orjson

from . import attrs_schema
from .errors import InputError
from .jsonio import (MAX_INPUT_BYTES, MAX_JSON_DEPTH, compact_json, exact_json, is_valid, parse_json, read_bytes,
                     sha256_hex, validate)
from .shared_values import SharedValues

SCHEMA = "snapshot.schema.json"


@dataclass(frozen=True)
class Snapshot:
    doc: dict
    sha256: str
    path: str
    # Read for a scan (load_for_scan): the resources are kept without `raw`, and what the
    # scan history keeps of each, [type, id, SHA-256 of the whole resource], was computed
    # as they were read (None when it was not asked for).
    without_raw: bool = False
    digests: list | None = None

    @property
    def meta(self) -> dict:
        return self.doc["meta"]

    @property
    def resources(self) -> list[dict]:
        return self.doc["resources"]

    def parts(self) -> list["SourcePart"]:
        return source_parts(self.meta, len(self.resources))

    def history_rows(self) -> list[list[str]]:
        """[type, id, SHA-256 of the resource as the snapshot holds it] for each resource,
        what the scan history keeps (engine/store/records.py)."""
        if self.digests is not None:
            return self.digests
        if self.without_raw:  # the digests would be of the resources less raw: wrong
            raise RuntimeError("the snapshot was read without raw and without digests for the history")
        from .store.records import resource_row

        return [resource_row(r) for r in self.resources]


# The clouds a source can be read from (a Terraform plan is judged by `genmei gate`).
CLOUDS = ("aws", "azure", "gcp")


class SourcePart(NamedTuple):
    """One source of a snapshot: its position, provider and account, and the slices of
    the snapshot's resources and gaps it gave."""
    position: int
    provider: str
    account: str
    resources: slice
    gaps: slice


def source_parts(meta: dict, resource_count: int) -> list[SourcePart]:
    """The sources of a snapshot in order; a snapshot without meta.sources is one."""
    sources = meta.get("sources")
    if not sources:
        return [SourcePart(0, meta["provider"], meta["account"], slice(0, resource_count),
                           slice(0, len(meta.get("gaps", []))))]
    parts, r, g = [], 0, 0
    for i, s in enumerate(sources):
        parts.append(SourcePart(i, s["provider"], s["account"], slice(r, r + s["resource_count"]),
                                slice(g, g + s["gap_count"])))
        r, g = r + s["resource_count"], g + s["gap_count"]
    return parts


def source_positions(snapshot: "Snapshot") -> dict[str, int] | None:
    """Resource id → the position of its source, for a service snapshot (None for one
    source): what the scan history keeps of each result."""
    if not snapshot.meta.get("sources"):
        return None
    from .evaluate import gap_resource_id

    out = {}
    gaps = snapshot.meta["gaps"]
    for part in snapshot.parts():
        for r in snapshot.resources[part.resources]:
            out[r["id"]] = part.position
        for gap in gaps[part.gaps]:
            out[gap_resource_id(gap)] = part.position
    return out


def load_snapshot(path: str | Path) -> Snapshot:
    data = read_bytes(path)
    doc = parse_json(data, str(path))
    validate_snapshot(doc, str(path))
    return Snapshot(doc=doc, sha256=sha256_hex(data), path=str(path))


def load_for_scan(path: str | Path, digests: bool = False) -> Snapshot:
    """The snapshot as a scan needs it: validated as load_snapshot validates it, its
    resources without `raw`; with `digests`, each resource's history row computed from
    the whole resource first. A file in genmei's own layout is read block by block, so
    it is never in memory whole; any other file, or one the block reader cannot read, is
    read whole by load_snapshot, whose messages name what is wrong."""
    read = _read_blocks(Path(path), digests)
    if read is None:
        snapshot = load_snapshot(path)
        rows = [_row(r) for r in snapshot.resources] if digests else None
        shared = SharedValues()
        snapshot.doc["resources"] = [_slim(r, shared) for r in snapshot.resources]
        doc, sha256 = snapshot.doc, snapshot.sha256
    else:
        doc, sha256, rows = read
        validate_sources(doc, str(path))  # the rest was validated block by block
    return Snapshot(doc=doc, sha256=sha256, path=str(path), without_raw=True, digests=rows)


def _slim(resource: dict, shared: SharedValues) -> dict:
    """A validated resource as a scan keeps it: no `raw`; `attrs` as the compact JSON the
    engine reads (orjson.Fragment: written into the engine's input as it is), since
    attrs as Python objects take several times the memory of their JSON and nothing but
    the engine reads them once they are validated; and the values that many resources
    share (their type, provider, account, region, zones, source) held once, in `shared`.
    A new dict: the parser's is sized for the members it had, raw among them."""
    out = {}
    for key, value in resource.items():
        if key == "raw":
            continue
        if key == "attrs":
            try:
                value = orjson.Fragment(exact_json(value))
            except UnicodeEncodeError:  # a lone surrogate (parse_json refuses them): the engine's encoder says so
                pass
        elif key in _SHARED_STRINGS:
            value = shared.get(value, value)
        elif key in _SHARED_OBJECTS and value is not None:
            # a value's type is part of its key: 1 == 1.0 in Python, not in the JSON written
            value = shared.get((key, tuple((k, v, type(v)) for k, v in value.items()) if key == "source"
                                else tuple(value)), value)
        out[key] = value
    return out


# Members of a resource whose values repeat across resources (strings, by the envelope's
# schema; a source is an object of strings, zones a list of them or null). Nothing changes them.
_SHARED_STRINGS = frozenset({"type", "provider", "native_type", "account", "region"})
_SHARED_OBJECTS = frozenset({"source", "zones"})


def _row(resource: dict) -> list:
    """The history row of a validated resource, made before _slim leaves out its raw."""
    from .store.records import resource_row

    return resource_row(resource)


# The layout of jsonio.dump_json: the resources are the last top-level member, one a line.
_RESOURCES = b'\n  "resources": ['
_ENDS = (b"\n  ]\n}\n", b"\n  ]\n}")
BLOCK_BYTES = 16 * 1024 * 1024
_HEAD_BYTES = 256 * 1024 * 1024  # where the resources must begin for a file to be read in blocks


def _read_blocks(path: Path, digests: bool) -> tuple[dict, str, list | None] | None:
    """(document less raw, SHA-256 of the file, history rows or None) of a file in
    dump_json's layout, read BLOCK_BYTES at a time; None for anything else — another
    layout, a file too large, unreadable or malformed — which load_snapshot then reads
    (and refuses with its own message).

    Why the blocks give the document the whole file gives: the file is a head (the
    top-level members before "resources", each a line), the resources' array, and its
    fixed end. The array's text is cut only where a line ends with a comma, and each
    piece is parsed as an array of its own by parse_json (with every bound of a whole
    file: depth counted as in the document, long integers, infinities, lone surrogates);
    a cut inside a value leaves a piece that is not one valid array (JSON strings hold no
    newline), which sends the file to load_snapshot.

    Each piece's resources are validated as they are read (_Blocks.add), and a file
    that fails anywhere is read whole by load_snapshot too, for the message that
    validation of the whole document gives; so a valid file is never whole in memory,
    and an invalid one is refused exactly as before."""
    name = str(path)
    try:
        f = open(path, "rb")
    except OSError:
        return None
    with f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_INPUT_BYTES or size < len(_RESOURCES):
            return None
        f.seek(max(0, size - 8))
        last = f.read()
        end = next((e for e in _ENDS if last.endswith(e)), None)
        if end is None:
            return None
        f.seek(0)
        body_end = size - len(end)
        digest, pos, buf = hashlib.sha256(), 0, b""

        def more() -> bytes:
            nonlocal pos
            chunk = f.read(min(BLOCK_BYTES, body_end - pos))
            digest.update(chunk)
            pos += len(chunk)
            return chunk

        while (at := buf.find(_RESOURCES, max(0, len(buf) - BLOCK_BYTES - len(_RESOURCES)))) < 0:
            chunk = more()
            if not chunk or pos > _HEAD_BYTES or (not buf and chunk.startswith(b"\xef\xbb\xbf")):
                return None
            buf += chunk
        head, buf = buf[:at], buf[at + len(_RESOURCES):]
        if not head.endswith(b","):
            return None
        try:
            doc = parse_json(head[:-1] + b"\n}", name)
            if not isinstance(doc, dict):
                return None
            blocks = _Blocks(doc, digests)
            while True:
                chunk = more()
                buf += chunk
                if chunk:  # a piece: the whole lines read, less the comma after the last
                    cut = buf.rfind(b"\n")
                    piece = buf[:cut].rstrip() if cut > 0 else b""
                    if not piece:
                        continue  # a line longer than a block: read on
                    if not piece.endswith(b","):
                        return None
                    piece, buf = piece[:-1], buf[cut:]
                else:  # the last piece: the rest
                    piece, buf = buf.strip(), b""
                    if not piece:  # nothing after a comma, or no resources: not this layout
                        return None
                if not blocks.add(parse_json(b"[" + piece + b"]", name, MAX_JSON_DEPTH - 1)):
                    return None
                if not chunk:
                    break
        except InputError:
            return None
        if f.read() != end:  # the file grew or changed under us
            return None
        digest.update(end)
    doc["resources"] = blocks.resources
    return doc, digest.hexdigest(), blocks.rows


class _Blocks:
    """The resources of a file read block by block, each block validated as validate_snapshot
    validates a whole document (the envelope, no (type, id) twice, the attrs of each type)
    before its resources are kept, less `raw`, with their history rows if asked."""

    def __init__(self, head: dict, digests: bool):
        self.head = head
        self.resources: list[dict] = []
        self.rows: list | None = [] if digests else None
        self.seen: set[tuple[str, str]] = set()
        self.shared = SharedValues()

    def add(self, items: list) -> bool:
        """Keep one block's resources; False (nothing kept) when the block is invalid."""
        if not is_valid({**self.head, "resources": items}, SCHEMA):
            return False
        by_type: dict[str, list[dict]] = {}
        for r in items:
            key = (r["type"], r["id"])
            if key in self.seen:
                return False
            self.seen.add(key)
            by_type.setdefault(r["type"], []).append(r)
        try:
            validate_attrs(by_type, "block")
        except InputError:  # the whole-document reader names it
            return False
        if self.rows is not None:
            self.rows.extend(_row(r) for r in items)
        self.resources.extend(_slim(r, self.shared) for r in items)
        return True


def validate_snapshot(doc, name: str) -> None:
    validate_envelope(doc, name)
    validate_sources(doc, name)
    validate_attrs(by_type_of(doc, name), name)


def validate_sources(doc: dict, name: str) -> None:
    """A service snapshot's meta.sources must account for every resource and gap, each
    resource of its source's cloud, no source twice, and meta.provider theirs."""
    meta = doc["meta"]
    sources = meta.get("sources")
    if ("service" in meta) != (sources is not None):
        raise InputError(f"{name}: meta.service and meta.sources go together (a service snapshot has both)")
    if sources is None:
        return
    if meta["account"] != meta["service"]:
        raise InputError(f"{name}: meta.account of a service snapshot is its service, {meta['service']!r}")
    where = f"{name}: meta.sources"
    resources, gaps = doc["resources"], meta["gaps"]
    for what, key, total in (("resources", "resource_count", len(resources)), ("gaps", "gap_count", len(gaps))):
        counted = sum(s[key] for s in sources)
        if counted != total:
            raise InputError(f"{where}: the sources' {key} add up to {counted}, but the snapshot has {total} {what}")
    seen = {}
    for part in source_parts(meta, len(resources)):
        key = (part.provider, part.account)
        if key in seen:
            raise InputError(f"{where}[{part.position}]: {part.provider} {part.account} is also source {seen[key]}; "
                             "a service reads each account once")
        seen[key] = part.position
        for offset, r in enumerate(resources[part.resources]):
            if r["provider"] != part.provider:
                raise InputError(f"{where}[{part.position}] is {part.provider}, but its resource {r['id']!r} "
                                 f"($.resources[{part.resources.start + offset}]) is {r['provider']}")
    providers = {s["provider"] for s in sources}
    expected = providers.pop() if len(providers) == 1 else "mixed"
    if meta["provider"] != expected:
        raise InputError(f"{name}: meta.provider is {meta['provider']!r}, but its sources make it {expected!r}")


def validate_envelope(doc, name: str) -> None:
    """The snapshot schema: meta and the shape of each resource (not its attrs)."""
    validate(doc, SCHEMA, name)


def by_type_of(doc: dict, name: str) -> dict[str, list[dict]]:
    """The resources grouped by type; a duplicate (type, id) is refused."""
    seen = set()
    by_type: dict[str, list[dict]] = {}
    for i, r in enumerate(doc["resources"]):
        key = (r["type"], r["id"])
        if key in seen:
            raise InputError(f"{name}: duplicate resource {r['type']} {r['id']!r} at $.resources[{i}]")
        seen.add(key)
        by_type.setdefault(r["type"], []).append(r)
    return by_type


def validate_attrs(by_type: dict[str, list[dict]], name: str) -> None:
    """Every resource's attrs against its canonical type; the first violation is raised
    with the resource id and the attribute path. Types genmei does not define are not
    read by any check and are left alone."""
    known = attrs_schema.known_types()
    for type_, resources in by_type.items():
        if type_ not in known:
            continue
        bad = attrs_schema.list_checker(type_)([r["attrs"] for r in resources])
        if bad >= 0:
            _raise(type_, resources[bad], name)


def _raise(type_: str, resource: dict, name: str) -> None:
    """The located message of the reference validator for a resource found invalid."""
    schema = {"$ref": f"#/$defs/{type_}", "$defs": attrs_schema.document()["$defs"]}
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(resource["attrs"]))
    if error is None:  # the two validators disagree: trust neither silently
        raise InputError(f"{name}: resource {resource['id']!r} ({type_}): attrs do not match {attrs_schema.SCHEMA_FILE}")
    error = _deepest(error)
    where = "attrs" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    raise InputError(f"{name}: resource {resource['id']!r} ({type_}): {where}: {_message(error)}")


def _deepest(error):
    """Of an anyOf (value or null), the branch that says what is wrong with the value."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def _message(error) -> str:
    text = " ".join(error.message.split())
    return text if len(text) <= 160 else text[:159] + "…"


# What the checks may read of a resource; everything else (raw provider JSON, tags,
# names, source) is evidence for people, and would only slow the engine down.
EVALUATED_FIELDS = ("id", "type", "provider", "account", "region", "zones", "attrs", "unknown")
# The types whose tags a check reads: a provider declares storage in disaster-recovery
# scope by a tag (GM-DR-001, params dr_scope_tag). Other types' tags stay out.
TAGS_EVALUATED_FOR = frozenset({"storage.bucket"})


def _mark_regions_hosting(by_type: dict[str, dict[str, dict]], workload_types) -> None:
    """On each cloud.region, `hosts_vms`: whether a VM of the snapshot runs in it, and, given
    `workload_types` (params quota_workload_types), `hosts_workloads`: whether a resource of
    those types does (on Azure and GCP, whose region resource is the subscription's or
    project's `global`, anywhere in that scope). A region with no VM has nothing to scan
    (GM-VUL-001); one with no workload draws on no quota (GM-CAP-002). Joined here, once, and
    not in Rego: beyond 5,000 resources the engine evaluates partitions of the snapshot in
    worker processes, and a region and its resources need not share one."""
    regions = by_type.get("cloud.region")
    if not regions:
        return
    scopes = {t: _scopes(by_type.get(t, {}).values()) for t in {"compute.instance", *(workload_types or ())}}
    vms = scopes["compute.instance"]
    workloads = None if workload_types is None else set().union(*(scopes[t] for t in workload_types))
    for region in regions.values():
        key = (region.get("provider"), region.get("account") or "", region.get("region"))
        region["hosts_vms"] = key in vms
        if workloads is not None:
            region["hosts_workloads"] = key in workloads


def _scopes(resources) -> set[tuple]:
    """(provider, account, region) of each resource, and (provider, account, "global") for
    the clouds whose region resource stands for the whole subscription or project."""
    out = set()
    for r in resources:
        key = (r.get("provider"), r.get("account") or "")
        out.add((*key, r.get("region")))
        if r.get("provider") in ("azure", "gcp"):
            out.add((*key, "global"))
    return out


def evaluation_input(snapshot: Snapshot, params: dict | None = None) -> dict:
    """{meta, resources: {type: {id: resource}}} with only EVALUATED_FIELDS, and the facts
    that join resources (each cloud.region's hosts_vms and, given the checks' `params`,
    hosts_workloads).

    Partitioned by type and keyed by id so that checks select their types directly
    and join by id lookup (linear).
    """
    by_type: dict[str, dict[str, dict]] = {}
    for r in snapshot.resources:
        slim = {k: r[k] for k in EVALUATED_FIELDS if k in r}
        if r["type"] in TAGS_EVALUATED_FOR and "tags" in r:
            slim["tags"] = r["tags"]
        by_type.setdefault(r["type"], {})[r["id"]] = slim
    _mark_regions_hosting(by_type, (params or {}).get("quota_workload_types"))
    meta = {k: v for k, v in snapshot.meta.items() if k not in ("gaps", "sources")}
    # what each gap hides and where (its messages stay out): a check that judges a region
    # by what runs there tells "nothing there" from "not read there"
    meta["gaps"] = [{"scope": g.get("scope"), "resource_types": g.get("resource_types", [])}
                    for g in snapshot.meta.get("gaps", [])]
    return {"meta": meta, "resources": by_type}


def plain_input(snapshot_input: dict) -> dict:
    """The evaluation input with every resource's attrs as objects again (see _slim), for
    an engine given its data through json (the in-process engine, an OPA server), which
    knows no orjson.Fragment."""
    resources = parse_json(compact_json(snapshot_input["resources"]), "evaluation input", max_depth=None)
    return {**snapshot_input, "resources": resources}
