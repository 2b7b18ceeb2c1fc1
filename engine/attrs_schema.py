"""The attrs of every resource checked against its canonical type, fast enough for a
million resources.

mappings/schema/resource-attrs.schema.json (generated from mappings/resource-types.yaml)
uses a small subset of JSON Schema — type, enum, pattern, minimum/maximum, items,
properties/required, additionalProperties, $ref and the anyOf [X, null] of nullable
attrs. That subset is compiled here into one straight-line Python function per type
that walks a list of attrs and returns the index of the first invalid one: no call per
resource, no exception unless something is wrong. A general compiled validator
(fastjsonschema) spends several times longer on the same snapshot, since it calls a
function for each shared shape and tracks every key it sees.

Only the verdict comes from here; the message comes from the reference validator
(jsonschema), which names the path and the rule broken. A test holds the two to the
same verdicts over mutated attrs.
"""

import json
import re
from functools import lru_cache

from .paths import SCHEMAS

SCHEMA_FILE = "resource-attrs.schema.json"
_TYPE_TEST = {
    "boolean": "({v} is True or {v} is False)",
    "integer": "(type({v}) is int or (type({v}) is float and {v}.is_integer()))",
    "number": "(type({v}) is int or type({v}) is float)",
    "string": "type({v}) is str",
    "array": "type({v}) is list",
    "object": "type({v}) is dict",
    "null": "{v} is None",
}


@lru_cache(maxsize=None)
def document() -> dict:
    return json.loads((SCHEMAS / SCHEMA_FILE).read_text(encoding="utf-8"))


class _Compiler:
    def __init__(self, defs: dict):
        self.defs = defs
        self.consts: dict[str, object] = {}
        self.n = 0

    def var(self) -> str:
        self.n += 1
        return f"v{self.n}"

    def const(self, value) -> str:
        name = f"c{len(self.consts)}"
        self.consts[name] = value
        return name

    def check(self, schema: dict, v: str, ind: str) -> list[str]:
        """Lines that `return False` when the value in variable `v` breaks `schema`."""
        if "$ref" in schema:
            return self.check(self.defs[schema["$ref"].rsplit("/", 1)[-1]], v, ind)
        if "anyOf" in schema:
            branches = schema["anyOf"]
            if len(branches) != 2 or branches[1] != {"type": "null"}:
                raise ValueError("only anyOf [schema, null] is compiled")
            inner = self.check(branches[0], v, ind + " ")
            return [f"{ind}if {v} is not None:", *(inner or [f"{ind} pass"])]
        lines = []
        types = schema.get("type")
        if types is not None:
            types = [types] if isinstance(types, str) else types
            test = " or ".join(_TYPE_TEST[t].format(v=v) for t in types)
            lines.append(f"{ind}if not ({test}): return False")
        if "enum" in schema:
            lines.append(f"{ind}if {v} not in {self.const(tuple(schema['enum']))}: return False")
        if "pattern" in schema:
            lines.append(f"{ind}if type({v}) is str and {self.const(re.compile(schema['pattern']))}.search({v}) is None: return False")
        for bound, op in (("minimum", "<"), ("maximum", ">")):
            if bound in schema:
                lines.append(f"{ind}if (type({v}) is int or type({v}) is float) and {v} {op} {schema[bound]!r}: return False")
        if "items" in schema:
            item = self.var()
            body = self.check(schema["items"], item, ind + "  ")
            if body:
                lines += [f"{ind}if type({v}) is list:", f"{ind} for {item} in {v}:", *body]
        if "properties" in schema or "required" in schema or "additionalProperties" in schema:
            lines += self._object(schema, v, ind)
        return lines

    def _object(self, schema: dict, v: str, ind: str) -> list[str]:
        body = []
        for name in schema.get("required", ()):
            body.append(f"{ind} if {name!r} not in {v}: return False")
        for name, sub in schema.get("properties", {}).items():
            value = self.var()
            inner = self.check(sub, value, ind + "  ")
            if inner:
                body += [f"{ind} {value} = {v}.get({name!r}, MISSING)", f"{ind} if {value} is not MISSING:", *inner]
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            key, value = self.var(), self.var()
            inner = self.check(extra, value, ind + "  ")
            known = self.const(frozenset(schema.get("properties", {})))
            if inner:
                body += [f"{ind} for {key}, {value} in {v}.items():", f"{ind}  if {key} in {known}: continue", *inner]
        elif extra is False:
            known = self.const(frozenset(schema.get("properties", {})))
            body.append(f"{ind} if not {known}.issuperset({v}): return False")
        return [f"{ind}if type({v}) is dict:", *body] if body else []


@lru_cache(maxsize=None)
def list_checker(type_: str):
    """A function of a list of one type's attrs → the index of the first invalid one, or -1."""
    doc = document()
    compiler = _Compiler(doc["$defs"])
    body = [line.replace("return False", "return i") for line in compiler.check(doc["$defs"][type_], "a", "    ")]
    source = "\n".join([
        "def first_invalid(items):",
        "  i = 0",
        "  for a in items:",
        *body,
        "    i += 1",
        "  return -1",
    ])
    namespace = {"MISSING": _MISSING, **compiler.consts}
    exec(compile(source, f"<attrs of {type_}>", "exec"), namespace)  # noqa: S102 - code generated from our own schema
    return namespace["first_invalid"]


class _Missing:
    pass


_MISSING = _Missing()


def known_types() -> frozenset:
    return frozenset(document()["types"])
