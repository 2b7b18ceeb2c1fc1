"""The JASA catalog (mappings/risks.yaml, mappings/criteria.yaml, mappings/basic-statement.yaml),
validated on load.

Seed 004 is the source of the risks and items: 21 risks H01–L21 by layer, and every
management-criteria item (項番) they cite with how genmei evidences it. H01–M11 make up the
basic statement (基本言明); L12–L21 are catalogued and assessed, but reported outside it.
Seed 000 is the source of the 基本言明要件 by part: governance, management and control
criteria, of which genmei assesses the control items H01–M11 cite; the other parts need
an attestation before a statement can claim compliance.
"""

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .errors import InputError
from .jsonio import canonical_json, sha256_hex, validate
from .paths import MAPPINGS
from .vocabulary import EvidenceClass
from .yamlio import load_yaml

EVIDENCE_CLASSES = tuple(EvidenceClass)


@dataclass(frozen=True)
class Catalog:
    risks: list[dict]
    items: dict[str, dict]  # 項番 → item, in catalog order
    parts: list[dict]       # the 基本言明要件 by part (basic-statement.yaml)
    sha256: str
    edition: str = ""  # the criteria's edition (mappings/criteria.yaml `edition`)

    def risk(self, risk_id: str) -> dict:
        for r in self.risks:
            if r["id"] == risk_id:
                return r
        raise KeyError(risk_id)

    def risk_items(self, risk_id: str) -> list[str]:
        """Items cited by a risk, over all its layers, in first-cited order."""
        return self._risk_items[risk_id]

    @cached_property
    def _risk_items(self) -> dict[str, list[str]]:
        out = {}
        for r in self.risks:
            seen: dict[str, None] = {}
            for layer in r["layers"]:
                for item in layer["criteria"]:
                    seen.setdefault(item)
            out[r["id"]] = list(seen)
        return out

    @cached_property
    def citations(self) -> frozenset[tuple[str, str]]:
        """(risk, item) for every item a risk cites: where a check's result may count."""
        return frozenset((rid, i) for rid, items in self._risk_items.items() for i in items)

    def item_text(self, item_id: str, risk_id: str | None = None) -> str:
        """The item's Japanese text; the wording the risk's sheet prints where seed 004
        prints a substantively different one there."""
        item = self.items[item_id]
        for variant in item.get("text_variants_ja", []):
            if variant["risk"] == risk_id:
                return variant["text_ja"]
        return item["text_ja"]

    def part(self, part_id: str) -> dict:
        for p in self.parts:
            if p["id"] == part_id:
                return p
        raise KeyError(part_id)

    @property
    def basic_statement_risks(self) -> list[dict]:
        return [r for r in self.risks if r["basic_statement"]]


def _load(path: Path, schema: str):
    doc = load_yaml(path)
    validate(doc, schema, str(path))
    return doc


@lru_cache(maxsize=4)
def load_catalog(root: Path = MAPPINGS) -> Catalog:
    risks = _load(root / "risks.yaml", "risks.schema.json")
    criteria = _load(root / "criteria.yaml", "criteria.schema.json")
    requirements = _load(root / "basic-statement.yaml", "basic-statement.schema.json")
    items = {i["id"]: i for i in criteria["items"]}
    if len(items) != len(criteria["items"]):
        raise InputError(f"{root / 'criteria.yaml'}: duplicate item ids")
    for r in risks["risks"]:
        for layer in r["layers"]:
            missing = [i for i in layer["criteria"] if i not in items]
            if missing:
                raise InputError(f"{root / 'risks.yaml'}: {r['id']} {layer['layer']} cites {', '.join(missing)}, not in criteria.yaml")
    parts = requirements["parts"]
    if len({p["id"] for p in parts}) != len(parts):
        raise InputError(f"{root / 'basic-statement.yaml'}: duplicate part ids")
    digest = sha256_hex(canonical_json({"risks": risks, "criteria": criteria, "basic_statement": requirements}))
    return Catalog(risks=risks["risks"], items=items, parts=parts, sha256=digest,
                   edition=criteria.get("edition", ""))
