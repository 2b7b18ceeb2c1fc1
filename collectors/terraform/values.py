"""Planned values beside their `after_unknown` shadow.

Terraform writes a value known only after apply as absent (or null in a list) in `after`
and `true` at the same place in `after_unknown`. `Planned` walks both trees together so
a normaliser can tell "not set" (None) from "known only after apply" (UNKNOWN) and never
reads an unknown as a value.
"""


from genmei.collectors.canonical.values import UNKNOWN, known

__all__ = ["UNKNOWN", "known", "has_unknown", "Planned"]   # UNKNOWN and known: the canonical layer's, for the normalisers


def has_unknown(shadow) -> bool:
    """True when the shadow marks anything at or below this point as known only after apply."""
    if shadow is True:
        return True
    if isinstance(shadow, dict):
        return any(has_unknown(v) for v in shadow.values())
    if isinstance(shadow, list):
        return any(has_unknown(v) for v in shadow)
    return False


class Planned:
    """A planned value and its shadow; indexing walks both."""

    __slots__ = ("value", "shadow")

    def __init__(self, value, shadow=None):
        self.value = value
        self.shadow = shadow

    def __getitem__(self, key) -> "Planned":
        if self.shadow is True:
            return Planned(None, True)
        return Planned(_child(self.value, key), _child(self.shadow, key))

    def get(self, *path):
        """The value at `path`: UNKNOWN if any part of it is known only after apply,
        None when it is absent or null, else the value. (Walks the two trees without a
        Planned per step: a plan's normalisers ask this hundreds of thousands of times.)"""
        value, shadow = self.value, self.shadow
        for key in path:
            if shadow is True:
                return UNKNOWN
            value, shadow = _child(value, key), _child(shadow, key)
        return UNKNOWN if has_unknown(shadow) else value

    @property
    def unknown(self) -> bool:
        """This node as a whole is known only after apply."""
        return self.shadow is True

    def items(self):
        """The elements of a list (or nested blocks) as Planned, [] when absent, UNKNOWN
        when the list itself is known only after apply."""
        if self.shadow is True:
            return UNKNOWN
        if not isinstance(self.value, list):
            return []
        return [self[i] for i in range(len(self.value))]

    def first(self, key: str) -> "Planned":
        """A nested block of at most one element (Terraform writes it as a list)."""
        node = self[key]
        if node.shadow is True:
            return node
        if isinstance(node.value, list):
            return node[0] if node.value else Planned(None)
        return node


def _child(container, key):
    if isinstance(container, dict) and isinstance(key, str):
        return container.get(key)
    if isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
        return container[key]
    return None
