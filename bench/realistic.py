"""Realistic snapshots for the scaling benchmark: real collector output, repeated.

bench/realistic-seed.json is the snapshot `make demo` collected from the moto reference
account (`collectors/aws/reference_account.py`): 56 resources of 13 types, each with the
`raw` API objects the collector read (about 1.6 KB a resource, where a synthetic one of
bench/synthetic.py has none). A snapshot of n resources holds the seed's resources in
order, again and again, copy k's ids suffixed `#k` (copy 0 keeps the seed's ids), and the
seed's meta and gaps once; so a scan of it judges what the demo judges, n/56 times.

The file is written in genmei's own layout (engine/jsonio.py dump_json: one resource per
line) as it is generated, copy by copy, so that a million resources (~1.6 GB) never sit
in memory at once. Deterministic: the same n gives the same bytes.
"""

import sys
from pathlib import Path

import orjson

SEED = Path(__file__).with_name("realistic-seed.json")


def seed() -> dict:
    return orjson.loads(SEED.read_bytes())


def resources(n: int, base: dict | None = None):
    """The n resources of the snapshot, one at a time."""
    base_resources = (base or seed())["resources"]
    for i in range(n):
        k, r = divmod(i, len(base_resources))
        r = base_resources[r]
        yield r if k == 0 else {**r, "id": f"{r['id']}#{k}"}


def document(n: int) -> dict:
    """The whole snapshot as one object (small n: what write() streams, for comparison)."""
    base = seed()
    return {**base, "resources": list(resources(n, base))}


def write(path: str | Path, n: int) -> int:
    """Write the n-resource snapshot to path, in dump_json's layout; return its size."""
    from genmei.engine.jsonio import compact_json, dump_json

    base = seed()
    head = dump_json({k: v for k, v in base.items() if k != "resources"})
    assert head.endswith(b"\n}\n")
    size = 0
    with open(path, "wb") as f:
        size += f.write(head[:-3] + b',\n  "resources": [')
        lines = []
        for i, r in enumerate(resources(n, base)):
            lines.append((b"\n    " if i == 0 else b",\n    ") + compact_json(r))
            if len(lines) == 10_000:
                size += f.write(b"".join(lines))
                lines.clear()
        size += f.write(b"".join(lines) + (b"\n  ]\n}\n" if n else b"]\n}\n"))
    return size


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python bench/realistic.py N OUT.json")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(write(sys.argv[2], int(sys.argv[1])))
