"""The framework catalog (mappings/risks.yaml, mappings/criteria.yaml) checked against seed 004.

Offline and self-contained: reads the two YAML files, their JSON Schemas and the seed text
(``shared/seeds/004_327211f4c5df6b1f.txt`` beside the repository, as CI lays it out). The
per-risk sets of criteria items are re-derived from the seed independently of the YAML, so a
missing, extra or mis-attributed item fails here.
"""

import copy
import json
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MAPPINGS = ROOT / "mappings"
SEED = ROOT.parent / "shared" / "seeds" / "004_327211f4c5df6b1f.txt"

RISK_IDS = [f"H{i:02d}" for i in range(1, 7)] + [f"M{i:02d}" for i in range(7, 12)] + [
    f"L{i:02d}" for i in range(12, 22)
]
LAYERS = ["抽象化層/リソース層", "抽象化層/機能層", "物理層", "サービス管理系"]
# An item number as seed 004 prints it: "6.6.1.10", "C.2.1.2"; not part of a longer dotted number.
ITEM_RE = re.compile(r"(?<![\d.])((?:C|\d{1,2})\.\d+\.\d+\.\d+)(?![\d.])")
HEADING_RE = re.compile(r"^([HML]\d\d): ", re.M)
VLABEL_RE = re.compile(r"(?<![A-Za-z])V\.?\s?(\d+)")

# Counts stated by the project after an independent check of the seed.
EXPECTED_COUNTS = {
    "H01": 27, "H02": 15, "H03": 28, "H04": 10, "H05": 40, "H06": 27, "M07": 50, "M08": 29,
    "M09": 41, "M10": 4, "M11": 43, "L12": 0, "L13": 73, "L14": 21, "L15": 42, "L16": 22,
    "L17": 18, "L18": 6, "L19": 3, "L20": 3, "L21": 10,
}


# ---------------------------------------------------------------- fixtures and helpers

@pytest.fixture(scope="module")
def seed_text():
    assert SEED.is_file(), f"seed 004 not found at {SEED} (shared/ must sit beside the repository)"
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_sections(seed_text):
    """Risk id -> text of that risk's section (from its heading to the next heading)."""
    marks = [(m.start(), m.group(1)) for m in HEADING_RE.finditer(seed_text)]
    assert [rid for _, rid in marks] == RISK_IDS, "seed headings H01..L21 not found in order"
    bounds = [pos for pos, _ in marks] + [len(seed_text)]
    return {rid: seed_text[bounds[k]:bounds[k + 1]] for k, (_, rid) in enumerate(marks)}


@pytest.fixture(scope="module")
def seed_items(seed_sections):
    """Risk id -> set of item numbers cited in the seed section, re-derived from the raw text."""
    return {rid: set(ITEM_RE.findall(text)) for rid, text in seed_sections.items()}


@pytest.fixture(scope="module")
def risks_doc():
    return yaml.safe_load((MAPPINGS / "risks.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def criteria_doc():
    return yaml.safe_load((MAPPINGS / "criteria.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def risks(risks_doc):
    return {r["id"]: r for r in risks_doc["risks"]}


@pytest.fixture(scope="module")
def items(criteria_doc):
    return {i["id"]: i for i in criteria_doc["items"]}


def load_schema(name):
    schema = json.loads((MAPPINGS / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def schema_errors(schema, doc):
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def squash(text):
    """Whitespace-insensitive form: HTML tags dropped, every kind of whitespace removed."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))


def cells_form(text):
    """Like squash, but cell and paragraph boundaries (tabs, newlines, tags) become '|'."""
    text = re.sub(r"<[^>]+>|[\t\n]", "|", text)
    return re.sub(r"[^\S|]+", "", text)


def item_key(item_id):
    head, *rest = item_id.split(".")
    return (1, 0, *map(int, rest)) if head == "C" else (0, int(head), *map(int, rest))


def layer_criteria(risk):
    """Layer name -> criteria list of one risk in risks.yaml."""
    return {layer["layer"]: layer["criteria"] for layer in risk["layers"]}


# ---------------------------------------------------------------- schemas

def test_risks_yaml_matches_schema(risks_doc):
    assert schema_errors(load_schema("risks"), risks_doc) == []


def test_criteria_yaml_matches_schema(criteria_doc):
    assert schema_errors(load_schema("criteria"), criteria_doc) == []


@pytest.mark.parametrize("mutate", [
    lambda d: d["risks"][0].update(extra="x"),
    lambda d: d["risks"][0].update(id="H22"),
    lambda d: d["risks"][0].update(level="medium"),
    lambda d: d["risks"][11].update(basic_statement=True),
    lambda d: d["risks"][0]["layers"][1].update(layer="抽象化層"),
    lambda d: d["risks"][0]["layers"][1]["criteria"].append("C.2.1"),
    lambda d: d["risks"][0]["layers"][1]["vulnerabilities"][0].update(enisa_v=["V 5"]),
    lambda d: d["risks"][0]["layers"][1].pop("residual_risks_ja"),
], ids=["unknown key", "bad risk id", "level vs id", "L basic_statement", "bare 抽象化層",
        "bad item id", "bad V label", "missing key"])
def test_risks_schema_rejects_bad_data(risks_doc, mutate):
    doc = copy.deepcopy(risks_doc)
    mutate(doc)
    assert schema_errors(load_schema("risks"), doc), "schema accepted an invalid risks document"


@pytest.mark.parametrize("mutate", [
    lambda d: d["items"][0].update(extra="x"),
    lambda d: d["items"][0].update(id="6.6.1"),
    lambda d: d["items"][0].update(evidence="automatic"),
    lambda d: d["items"][0]["cited_by"][0].update(layers=["機能層"]),
    lambda d: d["items"][0].update(evidence_note="two\nlines"),
    lambda d: d["items"][0].pop("text_ja"),
], ids=["unknown key", "bad item id", "bad evidence", "bad layer", "multi-line note", "missing text"])
def test_criteria_schema_rejects_bad_data(criteria_doc, mutate):
    doc = copy.deepcopy(criteria_doc)
    mutate(doc)
    assert schema_errors(load_schema("criteria"), doc), "schema accepted an invalid criteria document"


# ---------------------------------------------------------------- risks.yaml structure

def test_21_risks_in_order(risks_doc):
    assert [r["id"] for r in risks_doc["risks"]] == RISK_IDS


def test_basic_statement_and_level(risks):
    for rid, risk in risks.items():
        assert risk["basic_statement"] is (rid[0] in "HM"), rid
        assert (risk["level"], risk["level_ja"]) == {
            "H": ("high", "高"), "M": ("medium", "中"), "L": ("low", "低")}[rid[0]], rid


def test_every_risk_lists_the_four_layers_once_in_order(risks):
    for rid, risk in risks.items():
        assert [layer["layer"] for layer in risk["layers"]] == LAYERS, rid


def test_names_descriptions_and_enisa_come_from_the_list_table(risks, seed_text):
    table = {}
    for line in seed_text.splitlines():
        cells = line.split("\t")
        if len(cells) == 4 and re.fullmatch(r"[HML]\d\d", cells[0]):
            table[cells[0]] = cells
    assert sorted(table) == sorted(RISK_IDS)
    for rid, risk in risks.items():
        _, name, description, enisa = table[rid]
        assert risk["name"]["ja"] == name.strip(), rid
        assert squash(risk["description_ja"]) == squash(description), rid
        assert risk["enisa"] == re.findall(r"ENISA No\.\d+", enisa), rid
        assert risk["name"]["en"].strip(), rid


def test_layer_texts_are_quoted_from_the_seed(risks, seed_sections):
    """Targets, measures, residual risks, notes, vulnerabilities and threats exist in the risk's section."""
    for rid, risk in risks.items():
        section = squash(seed_sections[rid])
        for layer in risk["layers"]:
            where = f"{rid} {layer['layer']}"
            texts = [t for t in layer["target_level_ja"].split("\n") if t]
            texts += layer["measures_ja"] + layer["residual_risks_ja"] + layer.get("notes_ja", [])
            texts += [v["text_ja"] for v in layer["vulnerabilities"]]
            for text in texts:
                assert squash(text) in section, f"{where}: not in the seed: {text}"
            for threat in layer["threats_ja"]:
                # "クラウドプロバイダの ・設計・構築ミス ・…" is distributed over the bullets in L13.
                assert squash(threat) in section or squash(threat.removeprefix("クラウドプロバイダの")) in section, (
                    f"{where}: threat not in the seed: {threat}")


def test_enisa_vulnerability_numbers_match_the_seed(risks, seed_sections):
    for rid, risk in risks.items():
        yaml_v = {v for layer in risk["layers"] for vuln in layer["vulnerabilities"] for v in vuln["enisa_v"]}
        seed_v = {f"V{n}" for n in VLABEL_RE.findall(seed_sections[rid])}
        assert yaml_v == seed_v, rid


def test_layers_printed_as_dash_are_kept_empty(risks):
    empty = lambda layer: not any(layer[k] for k in (
        "target_level_ja", "threats_ja", "vulnerabilities", "measures_ja", "criteria", "residual_risks_ja"))
    by_layer = {rid: {layer["layer"]: layer for layer in r["layers"]} for rid, r in risks.items()}
    for rid, layer in [("H01", "抽象化層/リソース層"), ("H06", "物理層"), ("M08", "抽象化層/機能層"),
                       ("M10", "物理層"), ("L12", "サービス管理系"), ("L21", "物理層")]:
        assert empty(by_layer[rid][layer]), (rid, layer)
    for rid, layer in [("H01", "抽象化層/機能層"), ("M10", "サービス管理系"), ("L21", "サービス管理系")]:
        assert not empty(by_layer[rid][layer]), (rid, layer)


# ---------------------------------------------------------------- items per risk: seed vs YAML

def test_seed_derivation_matches_the_known_counts(seed_items):
    assert {rid: len(found) for rid, found in seed_items.items()} == EXPECTED_COUNTS


def test_risks_yaml_criteria_equal_the_seed_per_risk(risks, seed_items):
    for rid, risk in risks.items():
        in_yaml = {c for layer in risk["layers"] for c in layer["criteria"]}
        assert in_yaml == seed_items[rid], (
            f"{rid}: missing {sorted(seed_items[rid] - in_yaml, key=item_key)}, "
            f"extra {sorted(in_yaml - seed_items[rid], key=item_key)}")


def test_layer_criteria_have_no_duplicates(risks):
    for rid, risk in risks.items():
        for layer in risk["layers"]:
            assert len(layer["criteria"]) == len(set(layer["criteria"])), (rid, layer["layer"])


def test_criteria_yaml_cited_by_equals_the_seed_per_risk(items, seed_items):
    cited = {rid: set() for rid in RISK_IDS}
    for item_id, item in items.items():
        for ref in item["cited_by"]:
            cited[ref["risk"]].add(item_id)
    for rid in RISK_IDS:
        assert cited[rid] == seed_items[rid], (
            f"{rid}: missing {sorted(seed_items[rid] - cited[rid], key=item_key)}, "
            f"extra {sorted(cited[rid] - seed_items[rid], key=item_key)}")


def test_item_count_and_uniqueness(criteria_doc, seed_text, seed_items):
    ids = [i["id"] for i in criteria_doc["items"]]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    union = set().union(*seed_items.values())
    assert union == set(ITEM_RE.findall(seed_text)), "items cited outside the risk sections"
    assert len(union) == 226
    assert set(ids) == union
    assert len(ids) == 226


def test_items_are_in_numeric_order(criteria_doc):
    ids = [i["id"] for i in criteria_doc["items"]]
    assert ids == sorted(ids, key=item_key)
    assert ids[0] == "2.2.2.1" and ids[-1] == "C.2.1.4"
    assert ids.index("6.10.1.10") > ids.index("6.9.2.6")  # numeric, not lexical


def test_cited_by_equals_the_layers_in_risks_yaml(items, risks):
    derived = {}
    for rid in RISK_IDS:
        by_layer = layer_criteria(risks[rid])
        for item_id in {c for crit in by_layer.values() for c in crit}:
            layers = [name for name in LAYERS if item_id in by_layer.get(name, [])]
            derived.setdefault(item_id, []).append({"risk": rid, "layers": layers})
    for item_id, item in items.items():
        assert item["cited_by"] == derived.get(item_id), item_id
    assert set(derived) == set(items)


# ---------------------------------------------------------------- quirks of the seed

def test_l12_cites_no_item(risks, seed_items, items):
    assert seed_items["L12"] == set()
    assert all(layer["criteria"] == [] for layer in risks["L12"]["layers"])
    assert not any(ref["risk"] == "L12" for item in items.values() for ref in item["cited_by"])


def test_h05_cites_7442_neighbours_but_not_7442(risks, seed_items, items):
    assert "7.4.4.2" not in seed_items["H05"]
    assert {"7.4.4.1", "7.4.4.3", "7.4.4.4", "7.4.4.5", "7.4.4.6"} <= seed_items["H05"]
    assert "7.4.4.2" not in layer_criteria(risks["H05"])["サービス管理系"]
    cited = {ref["risk"]: ref["layers"] for ref in items["7.4.4.2"]["cited_by"]}
    assert "H05" not in cited
    assert cited["M08"] == ["サービス管理系"] and cited["H06"] == ["サービス管理系"]


def test_h01_functional_layer_cites_c212(risks, items):
    by_layer = layer_criteria(risks["H01"])
    assert "C.2.1.2" in by_layer["抽象化層/機能層"]
    assert "C.2.1.1" in by_layer["物理層"] and "C.2.1.1" not in by_layer["抽象化層/機能層"]
    assert {"risk": "H01", "layers": ["抽象化層/機能層"]} in items["C.2.1.2"]["cited_by"]


# ---------------------------------------------------------------- item texts

def test_item_texts_are_full_excerpts_from_the_seed(items, seed_text):
    """text_ja follows its own number in the seed and runs to the end of the excerpt."""
    cells = cells_form(seed_text)
    for item_id, item in items.items():
        texts = [item["text_ja"]] + [v["text_ja"] for v in item.get("text_variants_ja", [])]
        for text in texts:
            body = squash(text)
            assert body, item_id
            pattern = re.compile(r"(?<![\d.])" + re.escape(item_id) + re.escape(body) +
                                 r"(?=\||(?:C|\d{1,2})\.\d+\.\d+\.\d+|\(次ページに続く\)|$)")
            assert pattern.search(cells), f"{item_id}: text not found as a complete excerpt: {text}"


def test_item_text_is_whitespace_normalised(items):
    for item_id, item in items.items():
        assert item["text_ja"] == item["text_ja"].strip(), item_id
        assert not re.search(r"\s{2,}|[\t\n]", item["text_ja"]), item_id
        assert not ITEM_RE.search(item["text_ja"]), f"{item_id}: text swallowed another item number"


# ---------------------------------------------------------------- evidence classification

def test_project_expected_classifications(items):
    expect = {
        "7.4.4.2": {"automated", "partial"},
        "6.6.1.10": {"automated", "partial"},
        "6.6.1.12": {"automated", "partial"},
        "6.9.2.6": {"partial"},
        "8.3.1.3": {"partial"},
        "C.2.1.1": {"partial"},
        "C.2.1.4": {"partial"},
    }
    expect.update({i: {"partial"} for i in items if i.startswith("6.8.1.")})
    for item_id, allowed in expect.items():
        assert items[item_id]["evidence"] in allowed, item_id


def test_physical_layer_only_facility_items_are_inherited(items):
    physical_only = [
        i for i, item in items.items()
        if i.startswith("5.") and all(ref["layers"] == ["物理層"] for ref in item["cited_by"])
    ]
    assert len(physical_only) == 17
    for item_id in physical_only:
        assert items[item_id]["evidence"] == "inherited", item_id


def test_organisational_chapters_are_not_automated(items):
    """HR (4.x), customer agreements (2.x), suppliers (6.2.x), legal (11.x) cannot be read from cloud config."""
    for item_id, item in items.items():
        if item_id.split(".")[0] in {"2", "4", "11"} or item_id.startswith("6.2."):
            assert item["evidence"] in {"manual", "partial"}, item_id


def test_every_class_is_used(items):
    assert set(Counter(i["evidence"] for i in items.values())) == {"automated", "partial", "manual", "inherited"}
