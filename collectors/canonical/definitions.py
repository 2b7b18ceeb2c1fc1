"""The canonical types and their attrs, read from mappings/resource-types.yaml, and the
JSON Schema of every type's attrs generated from them.

The schema (mappings/schema/resource-attrs.schema.json, one `$defs` entry per type) is
what engine/snapshot.py checks every snapshot's attrs against on load; it is generated,
never edited, so the definitions live in one place:

    python -m genmei.collectors.canonical.definitions --write   # regenerate
    python -m genmei.collectors.canonical.definitions --check   # exit 1 if stale
"""

import argparse
import copy
import json
import sys
from functools import lru_cache

import yaml

from genmei.engine.paths import MAPPINGS

DEFINITIONS_FILE = "resource-types.yaml"
SCHEMA_FILE = "resource-attrs.schema.json"
SCHEMA_ID = "https://genmei.dev/schema/resource-attrs.schema.json"
# Why an attr is absent, as collectors say it: {attr path below attrs: reason}. Declared
# on every type (policies/lib/genmei.rego not_evaluated quotes it).
NOT_COLLECTED = "not_collected"


@lru_cache(maxsize=None)
def definitions() -> dict:
    with open(MAPPINGS / DEFINITIONS_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=None)
def declared_attrs() -> dict[str, frozenset]:
    """type → the attr names it may carry (`not_collected` included)."""
    return {t: frozenset(spec.get("attrs") or {}) | {NOT_COLLECTED} for t, spec in definitions()["types"].items()}


def types() -> list[str]:
    return sorted(definitions()["types"])


# --- schema generation ------------------------------------------------------------------

_DOC_KEYS = ("description",)
# The JSON Schema keywords an attr may use: what engine/attrs_schema.py compiles.
KEYWORDS = frozenset({"type", "enum", "pattern", "minimum", "maximum", "items", "properties", "required",
                      "additionalProperties", "$ref", "description", "nullable"})


def _convert(node, shapes: set[str]):
    """A YAML attr schema → JSON Schema: `$ref: NAME` → #/$defs/NAME."""
    if isinstance(node, dict):
        odd = set(node) - KEYWORDS
        if odd:
            raise ValueError(f"{DEFINITIONS_FILE}: unsupported schema keyword(s) {sorted(odd)} (a comma in an unquoted description?)")
        out = {}
        for k, v in node.items():
            if k == "$ref":
                if v not in shapes:
                    raise ValueError(f"{DEFINITIONS_FILE}: $ref {v!r} names no shape")
                out[k] = f"#/$defs/{v}"
            elif k == "properties":
                out[k] = {name: _convert(sub, shapes) for name, sub in v.items()}
            elif k in ("enum", "required", "description"):
                out[k] = v
            else:
                out[k] = _convert(v, shapes)
        return out
    if isinstance(node, list):
        return [_convert(v, shapes) for v in node]
    return node


def _nullable(schema: dict) -> dict:
    """The schema, or null (not collected)."""
    s = copy.deepcopy(schema)
    if "type" in s and "$ref" not in s:
        s["type"] = sorted({*([s["type"]] if isinstance(s["type"], str) else s["type"]), "null"})
        if "enum" in s:
            s["enum"] = [*s["enum"], None]
        return s
    if "enum" in s and "$ref" not in s:
        s["enum"] = [*s["enum"], None]
        return s
    doc = {k: s.pop(k) for k in _DOC_KEYS if k in s}
    return {**doc, "anyOf": [s, {"type": "null"}]}


def _with_nullable_properties(schema: dict) -> dict:
    """An object shape whose optional properties may be null; required ones may not (a
    check reads them unguarded: a rule's port_ranges, a port range's bounds)."""
    if "properties" not in schema:
        return schema
    required = set(schema.get("required", ()))
    schema = dict(schema)
    props = {}
    for k, v in schema["properties"].items():
        strict = k in required or v.get("nullable") is False
        v = {key: val for key, val in v.items() if key != "nullable"}
        props[k] = v if strict else _nullable(v)
    schema["properties"] = props
    return schema


def attrs_schema() -> dict:
    """The generated JSON Schema document (draft 2020-12)."""
    spec = definitions()
    shapes = set(spec.get("shapes") or {})
    defs = {name: _with_nullable_properties(_convert(s, shapes)) for name, s in (spec.get("shapes") or {}).items()}
    for t, tspec in sorted(spec["types"].items()):
        attrs = {name: _nullable(_with_nullable_properties(_convert(s, shapes))) for name, s in (tspec.get("attrs") or {}).items()}
        attrs[NOT_COLLECTED] = {"type": "object", "additionalProperties": {"type": "string"},
                                "description": "why an attr is absent: {attr path below attrs: reason}"}
        defs[t] = {"description": tspec.get("description", ""), "type": "object", "properties": attrs}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "genmei canonical resource attrs, per type",
        "description": (f"Generated from mappings/{DEFINITIONS_FILE} by `python -m genmei.collectors.canonical.definitions "
                        "--write`: do not edit. One $defs entry per canonical type (its `attrs`); an absent or null attr "
                        "was not collected. Attrs not listed are allowed (and ignored by the checks)."),
        "types": sorted(spec["types"]),
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(attrs_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m genmei.collectors.canonical.definitions",
                                description="Generate mappings/schema/resource-attrs.schema.json from mappings/resource-types.yaml.")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", action="store_true", help="write the schema file")
    g.add_argument("--check", action="store_true", help="exit 1 when the schema file is not what the definitions generate")
    args = p.parse_args(argv)
    path = MAPPINGS / "schema" / SCHEMA_FILE
    text = schema_text()
    if args.write:
        path.write_text(text, encoding="utf-8")
        return 0
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current != text:
        print(f"{path}: stale; run python -m genmei.collectors.canonical.definitions --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
