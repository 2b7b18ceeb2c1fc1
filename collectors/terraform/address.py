"""Terraform addresses (`module.net["a"].aws_security_group.ssh[0]`) and the references
of the plan's `configuration` (`aws_security_group.ssh.id`, `module.net.sg_id`,
`var.sg_id`), parsed once so joins are made by lookup, never by scanning.
"""

import json
from dataclasses import dataclass

Key = int | str | None


def split_steps(text: str) -> list[tuple[str, Key]]:
    """`module.a[0].aws_x.y["k"].id` → [("module", None), ("a", 0), ("aws_x", None), ("y", "k"), ("id", None)]."""
    steps, i, n = [], 0, len(text)
    while i < n:
        j = i
        while j < n and text[j] not in ".[":
            j += 1
        name, key = text[i:j], None
        if j < n and text[j] == "[":
            end = _key_end(text, j)
            raw = text[j + 1:end]
            try:
                key = json.loads(raw)
            except json.JSONDecodeError:
                raise ValueError(f"bad index [{raw}] in {text!r}") from None
            if not isinstance(key, (int, str)) or isinstance(key, bool):
                raise ValueError(f"bad index [{raw}] in {text!r}")
            j = end + 1
        if not name:
            raise ValueError(f"empty step in {text!r}")
        steps.append((name, key))
        if j < n:
            if text[j] != ".":
                raise ValueError(f"unexpected {text[j]!r} in {text!r}")
            j += 1
        i = j
    return steps


def _key_end(text: str, start: int) -> int:
    i, quoted = start + 1, False
    while i < len(text):
        c = text[i]
        if quoted:
            if c == "\\":
                i += 1
            elif c == '"':
                quoted = False
        elif c == '"':
            quoted = True
        elif c == "]":
            return i
        i += 1
    raise ValueError(f"unclosed [ in {text!r}")


def key_text(key: Key) -> str:
    return "" if key is None else f"[{json.dumps(key, ensure_ascii=False)}]"


@dataclass(frozen=True)
class Address:
    """A resource instance address split into its module instance and its resource part."""

    module: tuple[tuple[str, Key], ...]   # (call name, instance key) from the root down
    mode: str                             # managed | data
    type: str
    name: str
    key: Key

    @property
    def module_path(self) -> tuple[str, ...]:
        """The module's configuration path (call names without instance keys)."""
        return tuple(name for name, _ in self.module)

    @property
    def module_text(self) -> str:
        return module_text(self.module)

    @property
    def base(self) -> str:
        """The address without the instance key: every count/for_each instance shares it."""
        prefix = self.module_text + "." if self.module else ""
        return f"{prefix}{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"


def module_text(module) -> str:
    return ".".join(f"module.{name}{key_text(key)}" for name, key in module)


def parse_address(text: str) -> Address:
    steps = split_steps(text)
    module, i = [], 0
    while i < len(steps) and steps[i] == ("module", None):
        if i + 1 >= len(steps):
            raise ValueError(f"module without a name in {text!r}")
        module.append(steps[i + 1])
        i += 2
    mode = "managed"
    if i < len(steps) and steps[i] == ("data", None):
        mode, i = "data", i + 1
    rest = steps[i:]
    if len(rest) != 2 or rest[0][1] is not None:
        raise ValueError(f"not a resource instance address: {text!r}")
    return Address(tuple(module), mode, rest[0][0], rest[1][0], rest[1][1])


# Reference roots that never name a managed resource in this plan.
NOT_RESOURCES = frozenset({"data", "local", "count", "each", "path", "terraform", "self"})


@dataclass(frozen=True)
class Reference:
    kind: str            # resource | module_output | variable | other
    type: str = ""       # resource type, or module call name, or variable name
    name: str = ""       # resource name, or output name
    key: Key = None      # static instance key when written


def parse_reference(text: str) -> Reference:
    try:
        steps = split_steps(text)
    except ValueError:
        return Reference("other")
    root = steps[0][0]
    if root == "var" and len(steps) >= 2:
        return Reference("variable", steps[1][0])
    if root == "module":
        if len(steps) >= 3:
            return Reference("module_output", steps[1][0], steps[2][0], steps[1][1])
        return Reference("other")
    if root in NOT_RESOURCES or len(steps) < 2 or steps[0][1] is not None:
        return Reference("other")
    return Reference("resource", root, steps[1][0], steps[1][1])
