"""A service snapshot: every source of a genmei.yaml read — snapshot files, imports of
exports, live collections — and joined into one snapshot that one scan judges as one
service (engine/snapshot.py describes the shape).

The join is a concatenation: each source's resources and gaps follow the previous
source's, and meta.sources records how many are its own, with its provider, account(s),
regions, collector, times and its own digest. No resource is copied or rewritten, so a
later streaming evaluation can read the sources one after another. Sources are read in
the order the file lists them; a source that cannot be read stops the scan (exit 2 for
a bad file, 3 when a live collection read nothing) rather than leaving a cloud silently
out of the service.
"""

from datetime import datetime, timezone

from . import __version__
from .config import ServiceConfig, Source, parse_provider_options
from .errors import InputError
from .jsonio import dump_json, read_bytes, sha256_hex
from .snapshot import CLOUDS, Snapshot, by_type_of, load_snapshot, validate_envelope, validate_snapshot, validate_sources

COLLECTOR = "genmei-service"


def collect_service(config: ServiceConfig, progress) -> tuple[Snapshot, bytes]:
    """The service snapshot of `config` and its bytes (what snapshot.json holds)."""
    parts = []
    for source in config.sources:
        progress(f"source {source.position + 1}/{len(config.sources)}: {source.label()}…")
        parts.append(read_source(source, progress))
    doc = join(config.service, str(config.path), parts)
    name = f"{config.path}: service {config.service}"
    # Each source was validated whole when read; the join adds the envelope, the sources'
    # accounting and resources repeated across sources.
    validate_envelope(doc, name)
    validate_sources(doc, name)
    by_type_of(doc, name)
    data = dump_json(doc)
    return Snapshot(doc=doc, sha256=sha256_hex(data), path=str(config.path)), data


def read_source(source: Source, progress) -> tuple[Source, dict, str, dict]:
    """(source, its snapshot document, its digest, what it was read from)."""
    if source.kind == "snapshot":
        snap = load_snapshot(source.path)
        doc, digest, given = snap.doc, snap.sha256, {"kind": "snapshot", "path": str(source.path)}
    elif source.kind == "import":
        from genmei.collectors.imports import load_format

        files = [{"path": str(f), "sha256": sha256_hex(read_bytes(f))} for f in source.files]
        doc = load_format(source.format).read([str(f) for f in source.files], progress)
        validate_snapshot(doc, f"{source.format} import of {', '.join(map(str, source.files))}")
        digest = sha256_hex(dump_json(doc))
        given = {"kind": "import", "format": source.format, "files": files}
    else:
        from genmei.collectors.registry import load_provider

        args = parse_provider_options(source.provider, source.argv, source.label())
        doc = load_provider(source.provider).collect(args, progress)
        validate_snapshot(doc, f"{source.label()} collector output")
        digest = sha256_hex(dump_json(doc))
        given = {"kind": "live"}
    meta = doc["meta"]
    if meta.get("sources"):
        raise InputError(f"{source.label()}: is itself a service snapshot ({meta['service']}); list its sources instead")
    if meta["provider"] not in CLOUDS:
        raise InputError(f"{source.label()}: a {meta['provider']} snapshot cannot be a source of a service "
                         "(a Terraform plan is judged by `genmei gate`)")
    return source, doc, digest, given


def join(service: str, config_path: str, parts: list[tuple[Source, dict, str, dict]]) -> dict:
    """One snapshot of the sources, in order: resources and gaps concatenated."""
    resources, gaps, entries = [], [], []
    for source, doc, digest, given in parts:
        meta = doc["meta"]
        entry = {
            "name": source.name or f"{meta['provider']} {meta['account']}",
            "provider": meta["provider"], "account": meta["account"],
            "accounts": meta.get("accounts", [meta["account"]]), "regions": meta.get("regions", []),
            "collector": meta["collector"], "started_at": meta["started_at"], "finished_at": meta["finished_at"],
            "resource_count": len(doc["resources"]), "gap_count": len(meta["gaps"]),
            "sha256": digest, "input": given,
        }
        for key in ("api_calls", "description"):
            if key in meta:
                entry[key] = meta[key]
        entries.append(entry)
        resources += doc["resources"]
        gaps += meta["gaps"]
    providers = sorted({e["provider"] for e in entries})
    accounts = sorted({a for e in entries for a in e["accounts"]})
    return {
        "genmei_snapshot": "1.0",
        "meta": {
            "provider": providers[0] if len(providers) == 1 else "mixed",
            "account": service,
            "service": service,
            "accounts": accounts,
            "regions": sorted({r for e in entries for r in e["regions"]}),
            "collector": {"name": COLLECTOR, "version": __version__, "source": config_path},
            "started_at": min((e["started_at"] for e in entries), key=_instant),
            "finished_at": max((e["finished_at"] for e in entries), key=_instant),
            "gaps": gaps,
            "sources": entries,
        },
        "resources": resources,
    }


def _instant(timestamp: str) -> datetime:
    """An ISO 8601 time as an instant, to order sources' times written in any offset."""
    t = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)
