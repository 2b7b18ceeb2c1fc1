"""The canonical snapshot: loaded, validated against its schema, hashed, and turned
into the evaluation input the checks read.

The digest is over the file's bytes as given, so an auditor can recompute it with
`sha256sum`.
"""

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .jsonio import parse_json, read_bytes, sha256_hex, validate

SCHEMA = "snapshot.schema.json"


@dataclass(frozen=True)
class Snapshot:
    doc: dict
    sha256: str
    path: str

    @property
    def meta(self) -> dict:
        return self.doc["meta"]

    @property
    def resources(self) -> list[dict]:
        return self.doc["resources"]


def load_snapshot(path: str | Path) -> Snapshot:
    data = read_bytes(path)
    doc = parse_json(data, str(path))
    validate_snapshot(doc, str(path))
    return Snapshot(doc=doc, sha256=sha256_hex(data), path=str(path))


def validate_snapshot(doc, name: str) -> None:
    validate(doc, SCHEMA, name)
    seen = set()
    for i, r in enumerate(doc["resources"]):
        key = (r["type"], r["id"])
        if key in seen:
            raise InputError(f"{name}: duplicate resource {r['type']} {r['id']!r} at $.resources[{i}]")
        seen.add(key)


# What the checks may read of a resource; everything else (raw provider JSON, tags,
# names, source) is evidence for people, and would only slow the engine down.
EVALUATED_FIELDS = ("id", "type", "provider", "region", "zones", "attrs", "unknown")


def evaluation_input(snapshot: Snapshot) -> dict:
    """{meta, resources: {type: {id: resource}}} with only EVALUATED_FIELDS.

    Partitioned by type and keyed by id so that checks select their types directly
    and join by id lookup (linear).
    """
    by_type: dict[str, dict[str, dict]] = {}
    for r in snapshot.resources:
        slim = {k: r[k] for k in EVALUATED_FIELDS if k in r}
        by_type.setdefault(r["type"], {})[r["id"]] = slim
    meta = {k: v for k, v in snapshot.meta.items() if k != "gaps"}
    return {"meta": meta, "resources": by_type}
