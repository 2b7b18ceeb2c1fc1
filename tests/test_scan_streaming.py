"""A scan reads a genmei-written snapshot block by block and keeps no `raw`
(engine/snapshot.py load_for_scan), and copies the snapshot file into the evidence
directory as a stream (engine/evidence_files.py FileCopy). What it writes must be what
the whole-document path writes, byte for byte: evidence.json, the copy of the snapshot,
and the run the history records (its record_sha256), on the example, the demo's
collected snapshot, a snapshot large enough for worker processes, and the public corpora
imported. Every other layout, and every bad file, gets what load_snapshot gives it."""

import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import orjson
import pytest

from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, ROOT
from genmei.engine import scan as scan_mod
from genmei.engine import snapshot as snapshot_mod
from genmei.engine.attestations import load_attestations
from genmei.engine.backends.embedded import EmbeddedBackend
from genmei.engine.catalog import load_catalog
from genmei.engine.cli import main
from genmei.engine.errors import InputError
from genmei.engine.exceptions import load_exceptions
from genmei.engine.jsonio import dump_json
from genmei.engine.policies import load_bundle
from genmei.engine.snapshot import load_for_scan, load_snapshot
from genmei.engine.store.records import record_digest, resource_row, scan_record

sys.path.insert(0, str(ROOT))
from bench import realistic  # noqa: E402

SEED = ROOT / "bench" / "realistic-seed.json"
CORPORA = ROOT.parent / "shared" / "corpora"
FROZEN = "2026-11-22T09:00:00Z"


def without_raw(doc: dict) -> dict:
    return {**doc, "resources": [{k: v for k, v in r.items() if k != "raw"} for r in doc["resources"]]}


def as_read(doc: dict) -> dict:
    """A document read for a scan, with each resource's attrs (kept as the engine's JSON,
    an orjson.Fragment) as objects again; every resource's attrs must be such JSON."""
    assert all(isinstance(r["attrs"], orjson.Fragment) for r in doc["resources"])
    return orjson.loads(orjson.dumps(doc))


# -- the block reader -----------------------------------------------------------------


@pytest.mark.parametrize("block", [64, 700, 5000, snapshot_mod.BLOCK_BYTES])
def test_blocks_give_the_whole_document_less_raw(block, tmp_path, monkeypatch):
    """Blocks smaller than a line, a few lines, and the default: the same document, the
    file's digest, and the history rows of the resources with their raw."""
    monkeypatch.setattr(snapshot_mod, "BLOCK_BYTES", block)
    path = tmp_path / "s.json"
    realistic.write(path, 150)
    whole = load_snapshot(path)
    assert any("raw" in r for r in whole.resources)
    read = snapshot_mod._read_blocks(path, digests=True)
    assert read is not None, "a genmei-written snapshot is read in blocks"
    doc, sha256, rows = read
    assert as_read(doc) == without_raw(whole.doc)
    assert sha256 == whole.sha256
    assert rows == [resource_row(r) for r in whole.resources]
    snap = load_for_scan(path, digests=True)
    assert as_read(snap.doc) == without_raw(whole.doc) and snap.history_rows() == rows and snap.without_raw


def test_without_digests_the_history_rows_are_refused_not_guessed(tmp_path):
    path = tmp_path / "s.json"
    realistic.write(path, 10)
    with pytest.raises(RuntimeError):
        load_for_scan(path).history_rows()


def layouts(doc: dict) -> dict[str, bytes]:
    """The same snapshot as other tools and people write it."""
    moved = {"resources": doc["resources"], **{k: v for k, v in doc.items() if k != "resources"}}
    return {
        "indented": json.dumps(doc, indent=2, ensure_ascii=False).encode(),
        "one line": json.dumps(doc).encode(),
        "resources first": dump_json(moved),
        "tabs": json.dumps(doc, indent="\t").encode(),
        "no final newline": dump_json(doc)[:-1],
        "BOM": b"\xef\xbb\xbf" + dump_json(doc),
    }


@pytest.mark.parametrize("name", ["indented", "one line", "resources first", "tabs", "no final newline", "BOM"])
def test_every_layout_gives_the_same_snapshot(name, tmp_path):
    data = layouts(realistic.document(60))[name]
    path = tmp_path / "s.json"
    path.write_bytes(data)
    whole = load_snapshot(path)
    snap = load_for_scan(path, digests=True)
    assert as_read(snap.doc) == without_raw(whole.doc) and snap.sha256 == whole.sha256
    assert snap.history_rows() == [resource_row(r) for r in whole.resources]


def broken(text: str) -> dict[str, str]:
    """Damage to one resource line of a dump_json snapshot: (what, the new text)."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("    {"))
    last = max(i for i, line in enumerate(lines) if line.startswith("    {"))
    deep = "[" * 300 + "]" * 300
    return {
        "trailing comma": "\n".join(lines[:last + 1]) + ",\n" + "\n".join(lines[last + 1:]),
        "trailing comma, blank line": "\n".join(lines[:last + 1]) + ",\n   \n" + "\n".join(lines[last + 1:]),
        "raw too deep": text.replace('"raw":{', f'"raw":{{"deep":{deep},', 1),
        "NaN in raw": text.replace('"raw":{', '"raw":{"x":NaN,', 1),
        "infinity in raw": text.replace('"raw":{', '"raw":{"x":1e999,', 1),
        "lone surrogate": text.replace('"raw":{', '"raw":{"x":"\\ud800",', 1),
        "split line": "\n".join(lines[:first] + [lines[first][:40], lines[first][40:]] + lines[first + 1:]),
        "missing attrs": text.replace('"attrs":', '"attrz":', 1),
        "duplicate": "\n".join(lines[:first + 1] + [lines[first] + ","] + lines[first + 1:]),
        # in the last block, long after the first: validated block by block, across blocks
        "duplicate in a later block": "\n".join(lines[:last] + [lines[first], lines[last]] + lines[last + 1:]),
        "attrs of the wrong type, late": '"rules":"x","was":['.join(text.rsplit('"rules":[', 1)),
        "not a resource": "\n".join(lines[:first] + ["    42,"] + lines[first:]),
        "garbage after": text + "x",
    }


@pytest.mark.parametrize("what", ["trailing comma", "trailing comma, blank line", "raw too deep", "NaN in raw", "infinity in raw", "lone surrogate",
                                  "split line", "missing attrs", "duplicate", "duplicate in a later block",
                                  "attrs of the wrong type, late", "not a resource", "garbage after"])
def test_a_bad_snapshot_gets_the_message_of_the_whole_document_path(what, tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot_mod, "BLOCK_BYTES", 3000)  # several blocks
    text = dump_json(realistic.document(40)).decode()
    path = tmp_path / "s.json"
    path.write_text(broken(text)[what], encoding="utf-8")
    with pytest.raises(InputError) as whole:
        load_snapshot(path)
    with pytest.raises(InputError) as streamed:
        load_for_scan(path, digests=True)
    assert str(streamed.value) == str(whole.value)


def test_a_long_integer_in_raw_is_read_exactly(tmp_path):
    text = dump_json(realistic.document(20)).decode().replace('"raw":{', '"raw":{"big":123456789012345678901234567890,', 1)
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    whole = load_snapshot(path)
    snap = load_for_scan(path, digests=True)
    assert whole.resources[0]["raw"]["big"] == 123456789012345678901234567890
    assert snap.history_rows() == [resource_row(r) for r in whole.resources]


def test_an_oversized_file_is_refused_as_before(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    realistic.write(path, 20)
    monkeypatch.setattr(snapshot_mod, "MAX_INPUT_BYTES", 1000)
    monkeypatch.setattr("genmei.engine.jsonio.MAX_INPUT_BYTES", 1000)
    with pytest.raises(InputError, match="exceeds the limit"):
        load_for_scan(path)


# -- the scan, end to end ---------------------------------------------------------------


def reference(path: Path, out: Path, attestations=None, exceptions=None) -> tuple[bytes, str]:
    """What the whole-document path gives: evidence.json's bytes and the run record's
    digest (load_snapshot keeps raw; the record hashes each whole resource)."""
    catalog = load_catalog()
    snapshot = load_snapshot(path)
    result = scan_mod.run_scan(snapshot, load_bundle(), EmbeddedBackend(), catalog,
                               load_attestations(attestations, catalog) if attestations else [],
                               load_exceptions(exceptions) if exceptions else [], date.fromisoformat(AS_OF))
    sums = dict(reversed(line.split("  ")) for line in (out / "SHA256SUMS").read_text().splitlines())
    record = scan_record(result.evidence, snapshot.resources, out, sums)
    return dump_json(result.evidence), record_digest(record)


def scanned(path: Path, tmp_path: Path, *extra: str) -> tuple[Path, str]:
    out, store = tmp_path / "out", tmp_path / "history.sqlite"
    code = main(["scan", "--snapshot", str(path), "--out", str(out), "--store", str(store), "--fail-on", "none",
                 "--as-of", AS_OF, "--format", "json", *extra])
    assert code == 0
    with sqlite3.connect(store) as db:
        (digest,) = db.execute("SELECT record_sha256 FROM runs").fetchone()
    return out, digest


def imported(kind: str, files: list[Path], tmp_path: Path) -> Path:
    """One snapshot of every file of a corpus that imports on its own."""
    ok = [f for f in files if main(["import", kind, str(f), "--out", str(tmp_path / "one.json")]) == 0]
    assert ok, f"no {kind} corpus file imports"
    path = tmp_path / f"{kind}.json"
    assert main(["import", kind, *map(str, ok), "--out", str(path)]) == 0
    return path


def inputs(name: str, tmp_path: Path) -> tuple[Path, list[str]]:
    if name == "example":
        return DEMO_SNAPSHOT, ["--attestations", str(EXAMPLES / "attestations.yaml"),
                               "--exceptions", str(EXAMPLES / "exceptions.yaml")]
    if name == "demo collected":
        return SEED, []
    if name == "worker processes":
        path = tmp_path / "big.json"
        realistic.write(path, 5_600)  # beyond the in-process limit of 5,000
        return path, []
    if name == "aws-config corpus":
        return imported("aws-config", sorted((CORPORA / "aws_config").glob("*/*.json")), tmp_path), []
    if name == "gcp-cai corpus":
        return imported("gcp-cai", sorted((CORPORA / "gcp_cai").glob("*/*.json")), tmp_path), []
    files = sorted((CORPORA / "azure_arm").glob("*/*ResourceGraph*.json")) + sorted((ROOT / "tests" / "fixtures" / "azure").glob("graph-page*.json"))
    return imported("azure-graph", files, tmp_path), []


@pytest.mark.parametrize("name", ["example", "demo collected", "worker processes", "aws-config corpus",
                                  "gcp-cai corpus", "azure-graph corpus"])
def test_the_scan_writes_the_same_bytes_as_the_whole_document_path(name, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(scan_mod, "now_utc", lambda: FROZEN)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path, extra = inputs(name, tmp_path)
    capsys.readouterr()
    # The example is written by hand (indented): read whole; the others are genmei's.
    assert (snapshot_mod._read_blocks(path, digests=False) is not None) == (name != "example")
    out, digest = scanned(path, tmp_path, *extra)
    stdout = capsys.readouterr().out.encode()
    evidence, record = reference(path, out, *[extra[i + 1] for i in range(0, len(extra), 2)])
    assert (out / "evidence.json").read_bytes() == evidence
    assert stdout == evidence  # --format json
    assert (out / "snapshot.json").read_bytes() == path.read_bytes()
    assert digest == record


def test_a_snapshot_changed_while_scanned_leaves_no_evidence(tmp_path, monkeypatch):
    """The copy into --out checks the bytes it copies against the digest the scan read."""
    path = tmp_path / "s.json"
    realistic.write(path, 30)
    real_run_scan = scan_mod.run_scan

    def run_then_change(*args, **kwargs):
        result = real_run_scan(*args, **kwargs)
        path.write_bytes(path.read_bytes().replace(b"alice", b"alicf"))
        return result

    monkeypatch.setattr(scan_mod, "run_scan", run_then_change)
    out = tmp_path / "out"
    assert main(["scan", "--snapshot", str(path), "--out", str(out), "--no-store", "--fail-on", "none"]) == 2
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".genmei-new-")]


def test_the_realistic_generator_is_deterministic_and_its_ids_unique(tmp_path):
    """bench/realistic.py: the same n gives the same bytes, dump_json's layout, every id once."""
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    realistic.write(a, 300)
    realistic.write(b, 300)
    assert a.read_bytes() == b.read_bytes() == dump_json(realistic.document(300))
    ids = [r["id"] for r in realistic.document(300)["resources"]]
    assert len(ids) == len(set(ids)) == 300
    assert all("raw" in r for r in realistic.document(300)["resources"])
