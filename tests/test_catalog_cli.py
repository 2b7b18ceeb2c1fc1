"""`genmei catalog` against the seed, and the catalog against the shipped checks."""

import json
import re

import yaml

from conftest import ROOT, genmei

SEED = ROOT.parent / "shared" / "seeds" / "004_327211f4c5df6b1f.txt"
ITEM = re.compile(r"(?<![\d.])((?:C|\d{1,2})\.\d+\.\d+\.\d+)(?![\d.])")

def seed_items():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("H01: "))
    return set(ITEM.findall("\n".join(lines[start:])))


def test_catalog_items_json_lists_every_item_cited_in_seed_004():
    code, out, err = genmei("catalog", "items", "--format", "json")
    assert code == 0, err
    items = json.loads(out)
    expected = seed_items()
    assert len(expected) == 226
    assert {i["id"] for i in items} == expected and len(items) == len(expected)


def test_catalog_risks_lists_21():
    code, out, err = genmei("catalog", "risks", "--format", "json")
    assert code == 0, err
    risks = json.loads(out)
    assert [r["id"] for r in risks] == [f"H0{n}" for n in range(1, 7)] + [f"M{n:02d}" for n in range(7, 12)] + [f"L{n}" for n in range(12, 22)]


def test_catalog_items_for_one_risk():
    code, out, _ = genmei("catalog", "items", "--risk", "h05", "--format", "json")
    ids = {i["id"] for i in json.loads(out)}
    assert code == 0 and "7.4.4.1" in ids and "7.4.4.2" not in ids and len(ids) == 40
    code, out, _ = genmei("catalog", "items", "--risk", "M08")
    assert code == 0 and "7.4.4.2" in out


def test_every_automated_item_has_a_check_and_no_check_evidences_an_attested_only_item():
    """The full pin (a check for every risk citing each automated item) is in test_judgements.py."""
    code, out, _ = genmei("policy", "list", "--format", "json")
    covered = {i for c in json.loads(out) for i in c["criteria"]}
    items = yaml.safe_load((ROOT / "mappings" / "criteria.yaml").read_text())["items"]
    automated = {i["id"] for i in items if i["evidence"] == "automated"}
    assert automated and automated <= covered
    manual = {i["id"] for i in items if i["evidence"] in ("manual", "inherited")}
    assert not covered & manual
