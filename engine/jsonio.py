"""Reading and writing the files genmei exchanges, with the failures users can act on.

Every reader raises InputError naming the file and the problem; every writer writes
to a temporary file and renames it, so a failed run never leaves a partial output.
Every reader is bounded (LIMITS): a hostile or broken file gets a one-line refusal, never
hours of work or gigabytes of memory.
"""

import hashlib
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import fastjsonschema
import orjson

from .errors import InputError
from .paths import SCHEMAS

# The bounds on what genmei reads, each overridable by its environment variable (README,
# "Limits"). Real inputs stay far below them: a snapshot of 100,000 resources with redacted
# raw JSON is ~300 MB; the deepest of 473 public corpus files (plans, CAI, ARM, AWS Config)
# nests 19 levels; an exceptions file of 10,000 waivers is ~3 MB.
LIMITS = {
    "GENMEI_MAX_INPUT_BYTES": (1024 * 1024 * 1024, "bytes in one input file"),
    "GENMEI_MAX_JSON_DEPTH": (256, "levels of nested arrays and objects"),
    "GENMEI_MAX_YAML_BYTES": (16 * 1024 * 1024, "bytes in one YAML file"),
}


def _limit(name: str) -> int:
    """The limit in force: its environment variable when that is a positive whole number."""
    default = LIMITS[name][0]
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if value.isdigit() and int(value) > 0:
        return int(value)
    from . import console

    console.warn(f"{name}={value!r} is not a positive whole number; using {default}")
    return default


MAX_INPUT_BYTES = _limit("GENMEI_MAX_INPUT_BYTES")
MAX_JSON_DEPTH = _limit("GENMEI_MAX_JSON_DEPTH")
MAX_YAML_BYTES = _limit("GENMEI_MAX_YAML_BYTES")


def read_bytes(path: str | Path) -> bytes:
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    if p.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    if size > MAX_INPUT_BYTES:
        raise InputError(f"{path}: {size} bytes exceeds the limit of {MAX_INPUT_BYTES} (GENMEI_MAX_INPUT_BYTES)")
    try:
        return p.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None


# orjson reads an integer beyond 64 bits (over 2**64 - 1, or under -2**63) as a float,
# silently. Such a number has 20 digits, or a minus and 19: every digit is mapped to "0"
# (bytes.translate runs at memory speed, a regex ten times slower) and the runs are
# looked for. A run inside a string only costs the slower parser.
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)


def _may_hold_a_long_integer(data: bytes) -> bool:
    digits = data.translate(_DIGITS_AS_ZERO)
    return b"0" * 20 in digits or b"-" + b"0" * 19 in digits


def parse_json(data: bytes, name: str, max_depth: int | None = MAX_JSON_DEPTH):
    """orjson first (a 100,000-resource snapshot parses in a third of the time). json
    parses what orjson refuses, for its messages that name line and column, and what
    orjson would change: a BOM, integers too long for 64 bits (kept exact). NaN,
    Infinity and numbers too large for a double (1e999) are not JSON values genmei can
    judge: refused. So is nesting deeper than max_depth (None: the engine's own answers,
    whose records nest a few levels more than the snapshot that was checked)."""
    doc = _parse_json(data, name)
    if max_depth is not None and json_depth(data, max_depth) > max_depth:
        raise InputError(f"{name}: JSON nested more than {MAX_JSON_DEPTH} levels deep (GENMEI_MAX_JSON_DEPTH)")
    return doc


# Finds where a JSON value ends and nothing more: numbers are kept as their text (no
# conversion that could overflow or exceed Python's digit limit), constants let through;
# the value itself is read by parse_json.
_EXTENT = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=str)


def parse_json_at(text: str, pos: int, name: str, where: str, max_depth: int = MAX_JSON_DEPTH) -> tuple[object, int]:
    """(value, end) of the JSON value that starts at text[pos], for files that hold a
    sequence of values (JSON Lines, concatenated objects, an array read element by
    element): json's raw_decode finds where the value ends (a syntax error is named by
    the file, `name`, with line and column), and parse_json reads it with every limit of
    a whole file — nesting, NaN and infinities, lone surrogates, long integers — naming
    the value as the caller does (`where`, e.g. the file and the record's line)."""
    try:
        _, end = _EXTENT.raw_decode(text, pos)
    except json.JSONDecodeError as e:
        raise InputError(f"{name}: malformed JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested more than {MAX_JSON_DEPTH} levels deep (GENMEI_MAX_JSON_DEPTH)") from None
    return parse_json(text[pos:end].encode("utf-8"), where, max_depth), end


def _parse_json(data: bytes, name: str):
    if not data.startswith(b"\xef\xbb\xbf") and not _may_hold_a_long_integer(data):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_constant=_not_json, parse_float=_finite, parse_int=_integer)
        if _SURROGATE_ESCAPE.search(data):  # json keeps a lone one, as no text can hold it
            json.dumps(doc, ensure_ascii=False).encode("utf-8")
        return doc
    except UnicodeEncodeError:
        raise InputError(f"{name}: malformed JSON: a string holds a lone UTF-16 surrogate (\\ud800–\\udfff), "
                         "which is not text") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 text (byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{name}: malformed JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested more than {MAX_JSON_DEPTH} levels deep (GENMEI_MAX_JSON_DEPTH)") from None
    except ValueError as e:  # _not_json, _finite, _integer
        raise InputError(f"{name}: malformed JSON: {e}") from None


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _not_json(constant: str):
    raise ValueError(f"{constant} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"number {_clip(text)} is too large (it would be read as infinity)")
    return value


# Python converts at most this many digits to an int (sys.int_info.str_digits_check_threshold
# sets the floor of the limit); no count, port or id genmei reads comes near it.
MAX_INTEGER_DIGITS = 4300


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"integer of {len(text.lstrip('-'))} digits (at most {MAX_INTEGER_DIGITS})")
    return int(text)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# json_depth: only the structure of a document counts, so everything but brackets and the
# quotes that delimit strings is dropped at memory speed (bytes.translate), and strings
# with them; what is left is a bracket sequence whose depth is the number of passes that
# remove every innermost pair. ~0.1 s for a 40 MB snapshot, against 0.5 s to parse it.
_STRUCTURE = b'"[]{}'
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in _STRUCTURE)
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_STRING = re.compile(rb'"[^"]*"')


def json_depth(data: bytes, limit: int) -> int:
    """How deep the arrays and objects of a valid JSON text nest, counted up to limit + 1."""
    if b"\\" in data:  # escapes are inside strings: a backslash pair, then an escaped quote, go
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = data.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    if b'"' in skeleton:  # strings that hold brackets
        skeleton = _STRING.sub(b"", skeleton)
    skeleton = skeleton.translate(_BRACKETS)
    depth = 0
    while skeleton and depth <= limit:
        skeleton = skeleton.replace(b"[]", b"")
        depth += 1
    return depth


def load_json(path: str | Path):
    return parse_json(read_bytes(path), str(path))


@lru_cache(maxsize=None)
def validator(schema_name: str):
    """The reference validator (a jsonschema.protocols.Validator): used for its precise,
    located error messages. jsonschema is imported here, not at the top: it costs a fifth
    of a second, which `genmei --help` and every valid document need not pay."""
    import jsonschema

    schema = _schema(schema_name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@lru_cache(maxsize=None)
def _schema(schema_name: str) -> dict:
    return json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _fast_validator(schema_name: str):
    """A compiled validator (fastjsonschema): ~20x faster on large snapshots."""
    return fastjsonschema.compile(_schema(schema_name))


def is_valid(document, schema_name: str) -> bool:
    """The compiled validator's verdict alone, for a caller that sends an invalid
    document to `validate` for its message (the block reader of engine/snapshot.py)."""
    try:
        _fast_validator(schema_name)(document)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def validate(document, schema_name: str, name: str) -> None:
    """Raise InputError with the first (most relevant) schema violation, located by JSON path.

    Valid documents take the compiled fast path; an invalid one is re-checked by the
    reference validator, whose message names the location and the rule broken.
    """
    if is_valid(document, schema_name):
        return
    from jsonschema.exceptions import best_match

    error = best_match(validator(schema_name).iter_errors(document))
    if error is None:  # the two validators disagree: trust neither silently
        raise InputError(f"{name}: does not match {schema_name} (rejected by the compiled validator)")
    where = error.json_path if error.json_path != "$" else "top level"
    raise InputError(f"{name}: does not match {schema_name} at {where}: {_short(error.message)}")


def _short(message: str, limit: int = 200) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def canonical_json(value) -> bytes:
    """The one serialisation used for digests and for comparing backends."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: str | Path, data: bytes, mode: int | None = None) -> None:
    """Write whole or not at all; `mode` (e.g. 0o600 for a private key) is set before
    any byte is written, otherwise the file follows the umask like any other."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, mode if mode is not None else 0o666 & ~UMASK)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


UMASK = _read_umask()  # read once at import: os.umask is process-wide and not thread-safe


def dump_json(value) -> bytes:
    """JSON for files people open: each top-level member on its own line, and each
    element of a top-level list or object on its own line (one result, one resource per
    line), the rest compact. Built from orjson's bytes (json where orjson refuses:
    integers over 64 bits) and joined once, so it stays fast and holds the text about
    twice at 100,000 resources, where an indented dump takes seconds."""
    chunks: list[bytes] = []
    if isinstance(value, (dict, list)) and value:
        _block(value, b"", 2, chunks)
    else:
        chunks.append(compact_json(value))
    chunks.append(b"\n")
    return b"".join(chunks)


def write_json(value, out) -> str:
    """dump_json(value), the same bytes, written to the binary file `out` as it is made
    instead of joined in memory (an evidence document of a million resources is
    gigabytes); returns the SHA-256 of what was written."""
    sink = _Sink(out)
    if isinstance(value, (dict, list)) and value:
        _block(value, b"", 2, sink)
    else:
        sink.append(compact_json(value))
    sink.append(b"\n")
    sink.flush()
    return sink.digest.hexdigest()


class _Sink:
    """What _block appends, written out (and hashed) a megabyte at a time."""

    LIMIT = 1024 * 1024

    def __init__(self, out):
        self.out, self.digest, self.parts, self.size = out, hashlib.sha256(), [], 0

    def append(self, data: bytes) -> None:
        self.parts.append(data)
        self.size += len(data)
        if self.size >= self.LIMIT:
            self.flush()

    def flush(self) -> None:
        data = b"".join(self.parts)
        self.digest.update(data)
        self.out.write(data)
        self.parts.clear()
        self.size = 0


def compact_json(value) -> bytes:
    """Compact JSON bytes: orjson, or json for what orjson refuses (integers beyond 64
    bits); a lone surrogate raises UnicodeEncodeError."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def exact_json(value) -> bytes:
    """compact_json in a bytes object of its own size, for bytes that are kept: orjson's
    result keeps about 4 KB allocated, whatever its length."""
    return bytes(memoryview(compact_json(value)))


def _block(value, indent: bytes, depth: int, out) -> None:
    """`value` (a non-empty list or object) one element per line, `depth` levels deep;
    below that, compact. Each line is one exact-size bytes object: orjson's own result
    is over-allocated (about 4 KB for a result record), so it is not kept."""
    pad = indent + b"  "
    is_dict = isinstance(value, dict)
    out.append(b"{\n" if is_dict else b"[\n")
    for i, item in enumerate(value.items() if is_dict else value):
        head = (b",\n" if i else b"") + pad
        if is_dict:
            head += compact_json(item[0]) + b": "
            item = item[1]
        if isinstance(item, (dict, list)) and item and depth > 1:
            out.append(head)
            _block(item, pad, depth - 1, out)
        else:
            out.append(head + compact_json(item))
    out.append(b"\n" + indent + (b"}" if is_dict else b"]"))
