"""One object for many equal values.

A scan of a million resources holds millions of small values that say the same thing:
each resource's type, region and source, each result's status, reason and evidence. Held
once each, they cost what the distinct values cost; nothing changes them once read, so
sharing is invisible to every reader. The table is bounded: values that never repeat
(an import names each resource's row in its source) would cost more in it than they save.
"""

# Distinct values held at most; a value beyond them is kept as it is, unshared.
LIMIT = 65_536


class SharedValues:
    """Safe from several threads: a lookup and an insertion are each one dict operation;
    two threads may both insert an equal value, which costs only that sharing."""

    def __init__(self, limit: int = LIMIT):
        self.table: dict = {}
        self.limit = limit

    def get(self, key, value):
        """The value held for `key`, else `value` (held from now on while there is room)."""
        held = self.table.get(key)
        if held is not None:
            return held
        if len(self.table) < self.limit:
            self.table[key] = value
        return value
