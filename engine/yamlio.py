"""YAML as genmei reads it: a JSON document written in YAML, and nothing more.

Exceptions, attestations, --params and the catalog are YAML that people write, or that
reaches genmei from elsewhere. PyYAML's safe loader still builds what JSON cannot hold
and what genmei cannot judge — bytes (!!binary), sets, ordered pairs, keys that are
numbers or dates, infinities — and expands aliases, so that a few hundred bytes
("billion laughs") become gigabytes once anything walks the document. The composed node
graph is therefore checked before anything is built from it: one line, naming the file
and the line, for an alias or anchor reuse, a merge key (<<), a tag other than the plain
ones, a key that is not a string, a duplicate key, a number beyond a double or beyond
MAX_INTEGER_DIGITS, an impossible date, nesting deeper than MAX_JSON_DEPTH; and the file
is refused beyond MAX_YAML_BYTES before it is parsed.
"""

import datetime
import math
from pathlib import Path

import yaml

from .errors import InputError
from .jsonio import MAX_INTEGER_DIGITS, MAX_JSON_DEPTH, MAX_YAML_BYTES, read_bytes

# libyaml's loader when PyYAML was built with it (its wheels are): same documents, ~10× faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _TIMESTAMP = (_CORE + t for t in ("str", "int", "float", "timestamp"))
# What a plain YAML document resolves to; an explicit !!str or !!int is the same thing.
PLAIN_TAGS = frozenset(_CORE + t for t in ("null", "bool", "int", "float", "str", "seq", "map", "timestamp"))


def load_yaml(path: str | Path):
    data = read_bytes(path)
    if len(data) > MAX_YAML_BYTES:
        raise InputError(f"{path}: {len(data)} bytes exceeds the limit of {MAX_YAML_BYTES} for YAML (GENMEI_MAX_YAML_BYTES)")
    return parse_yaml(data, str(path))


def parse_yaml(data: bytes, name: str):
    """Parse YAML; dates become ISO strings so one JSON Schema serves YAML and JSON."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 text (byte {e.start})") from None
    loader = _SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, loader, name)
        return _dates_to_text(loader.construct_document(node))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise InputError(f"{name}: malformed YAML{_at(mark)}: {getattr(e, 'problem', None) or str(e).splitlines()[0]}") from None
    finally:
        loader.dispose()


def _check_nodes(root: yaml.Node, loader, name: str) -> None:
    """Walk the node graph once (iteratively: depth is what is being checked); refuse
    what is not plain JSON data. Each node is met once unless an alias points at it."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise InputError(f"{name}: YAML alias to the node{_at(node.start_mark)}: aliases (*name) are not accepted; "
                             "write the value out")
        seen.add(id(node))
        if node.tag not in PLAIN_TAGS:
            raise InputError(f"{name}: YAML tag {_tag(node.tag)}{_at(node.start_mark)} is not accepted "
                             "(only plain strings, numbers, booleans, null, dates, lists and maps)")
        if isinstance(node, yaml.ScalarNode):
            _check_scalar(node, loader, name)
            continue
        if depth > MAX_JSON_DEPTH:
            raise InputError(f"{name}: YAML nested more than {MAX_JSON_DEPTH} levels deep{_at(node.start_mark)} "
                             "(GENMEI_MAX_JSON_DEPTH)")
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
            continue
        keys = set()
        for key, value in node.value:
            if key.tag == _CORE + "merge":
                raise InputError(f"{name}: YAML merge key <<{_at(key.start_mark)} is not accepted; write the keys out")
            if key.tag != _STR or not isinstance(key, yaml.ScalarNode) or id(key) in seen:
                raise InputError(f"{name}: YAML key{_at(key.start_mark)} is not a plain string; quote it")
            if key.value in keys:
                raise InputError(f"{name}: duplicate key {_clip(key.value)!r}{_at(key.start_mark)}")
            keys.add(key.value)
            seen.add(id(key))
            stack.append((value, depth + 1))


def _check_scalar(node: yaml.ScalarNode, loader, name: str) -> None:
    """Every scalar but a string is built here, one at a time, so that a failure names
    its line (`!!bool maybe`, `2026-02-30`, `1.0e+999`)."""
    if node.tag == _STR:
        return
    if node.tag == _INT and len(node.value.lstrip("+-").replace("_", "")) > MAX_INTEGER_DIGITS:
        raise InputError(f"{name}: integer{_at(node.start_mark)} has more than {MAX_INTEGER_DIGITS} digits")
    try:
        value = loader.construct_object(node)
    except (ValueError, OverflowError, KeyError, AttributeError, TypeError):
        raise InputError(f"{name}: {_clip(node.value)!r}{_at(node.start_mark)} is not a valid "
                         f"{node.tag.removeprefix(_CORE)}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{name}: number {_clip(node.value)!r}{_at(node.start_mark)} is not finite "
                         "(infinity and NaN cannot be judged)")


def _dates_to_text(value):
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _at(mark) -> str:
    return f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""


def _tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
