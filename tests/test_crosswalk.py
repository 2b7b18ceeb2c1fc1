"""mappings/crosswalk-iso.yaml: one entry per criteria item, well-formed ids, and the
numbering lineage (chapter N of the 管理策基準 = clause N+4 of ISO/IEC 27002:2005)."""

import shutil

import pytest
import yaml

from conftest import ROOT
from genmei.engine.catalog import load_catalog
from genmei.engine.crosswalk import load_crosswalk
from genmei.engine.errors import InputError

MAPPINGS = ROOT / "mappings"


@pytest.fixture(scope="module")
def doc():
    return yaml.safe_load((MAPPINGS / "crosswalk-iso.yaml").read_text(encoding="utf-8"))


def test_every_catalog_item_has_exactly_one_entry(doc):
    items = [e["item"] for e in doc["items"]]
    assert sorted(items) == sorted(load_catalog().items)
    assert len(items) == len(set(items))
    cw = load_crosswalk(frozenset(load_catalog().items))
    assert len(cw.entries) == len(items)


def test_lineage_follows_the_numbering(doc):
    for e in doc["items"]:
        head, *rest = e["item"].split(".")
        if head == "C":
            assert e["iso27002_2005"] is None, e["item"]
            assert all(r["basis"] == "text" for r in e["iso27001_2022"]), e["item"]
        else:
            assert e["iso27002_2005"] == f"{int(head) + 4}.{rest[0]}.{rest[1]}", e["item"]


def test_items_under_one_control_share_its_numbering_successor(doc):
    successor = {}
    for e in doc["items"]:
        by_number = tuple(r["control"] for r in e["iso27001_2022"] if r["basis"] == "numbering")
        assert len(by_number) <= 1, e["item"]
        if e["iso27002_2005"]:
            successor.setdefault(e["iso27002_2005"], set()).add(by_number)
    for control, found in successor.items():
        assert len(found) == 1, f"items under ISO/IEC 27002:2005 {control} disagree: {found}"


def test_known_references(doc):
    entries = {e["item"]: e for e in doc["items"]}
    assert entries["6.6.1.10"]["iso27002_2005"] == "10.6.1"
    assert {"control": "A.8.20", "basis": "numbering"} in entries["6.6.1.10"]["iso27001_2022"]
    assert entries["6.5.1.6"]["iso27001_2022"][0]["control"] == "A.8.13"
    assert entries["8.3.2.10"]["iso27001_2022"][0]["control"] == "A.8.24"
    assert entries["9.2.1.24"]["iso27017_2015"] == ["CLD.13.1.4"]
    for e in entries.values():
        if not e["iso27001_2022"]:
            assert e.get("note"), f"{e['item']} has no Annex A reference and no note saying why"


def test_missing_or_unknown_entries_are_refused(tmp_path):
    root = tmp_path / "mappings"
    shutil.copytree(MAPPINGS, root)
    text = (root / "crosswalk-iso.yaml").read_text(encoding="utf-8")
    (root / "crosswalk-iso.yaml").write_text(text.replace('  - {item: "6.6.1.10",', '  - {item: "6.6.1.99",'), encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown: 6\.6\.1\.99; missing: 6\.6\.1\.10"):
        load_crosswalk(frozenset(load_catalog().items), root)


def test_malformed_control_ids_are_refused(tmp_path):
    root = tmp_path / "mappings"
    shutil.copytree(MAPPINGS, root)
    text = (root / "crosswalk-iso.yaml").read_text(encoding="utf-8")
    (root / "crosswalk-iso.yaml").write_text(text.replace('control: "A.8.20"', 'control: "A.8.35"', 1), encoding="utf-8")
    with pytest.raises(InputError, match="crosswalk-iso.schema.json"):
        load_crosswalk(frozenset(load_catalog().items), root)
