"""Values every builder understands besides plain data: UNKNOWN (known only after apply,
from a Terraform plan) and ShapeError (the source holds something of the wrong shape)."""


class _Unknown:
    """The single marker for a value known only after apply."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self):
        raise TypeError("an unknown planned value has no truth value; test `is UNKNOWN` first")


UNKNOWN = _Unknown()


def known(*values) -> bool:
    return all(v is not UNKNOWN for v in values)


def json_kind(value) -> str:
    """What a value is, in JSON's words (for messages about a value of the wrong shape)."""
    if value is None:
        return "null"
    return {dict: "object", list: "array", tuple: "array", bool: "boolean", int: "number", float: "number",
            str: "string"}.get(type(value), type(value).__name__)


class ShapeError(ValueError):
    """A source value of the wrong shape (a port that is not a number, a list where an
    object belongs). `path` says where, relative to what the builder was given; the path
    (collector, importer, plan reader) adds the resource and file and reports it as bad
    input, never as a guess."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.detail = message

    def within(self, prefix: str) -> "ShapeError":
        return ShapeError(f"{prefix}.{self.path}" if self.path else prefix, self.detail)
