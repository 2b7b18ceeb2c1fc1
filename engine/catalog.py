"""The JASA catalog (mappings/risks.yaml, mappings/criteria.yaml), validated on load.

Seed 004 is the source: 21 risks H01–L21 by layer, and every management-criteria item
(項番) they cite with how genmei evidences it. H01–M11 make up the basic statement
(基本言明); L12–L21 are catalogued and assessed, but reported outside it.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .jsonio import canonical_json, sha256_hex, validate
from .paths import MAPPINGS
from .yamlio import load_yaml

EVIDENCE_CLASSES = ("automated", "partial", "manual", "inherited")


@dataclass(frozen=True)
class Catalog:
    risks: list[dict]
    items: dict[str, dict]  # 項番 → item, in catalog order
    sha256: str

    def risk(self, risk_id: str) -> dict:
        for r in self.risks:
            if r["id"] == risk_id:
                return r
        raise KeyError(risk_id)

    def risk_items(self, risk_id: str) -> list[str]:
        """Items cited by a risk, over all its layers, in first-cited order."""
        seen: dict[str, None] = {}
        for layer in self.risk(risk_id)["layers"]:
            for item in layer["criteria"]:
                seen.setdefault(item)
        return list(seen)

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
    items = {i["id"]: i for i in criteria["items"]}
    if len(items) != len(criteria["items"]):
        raise InputError(f"{root / 'criteria.yaml'}: duplicate item ids")
    for r in risks["risks"]:
        for layer in r["layers"]:
            missing = [i for i in layer["criteria"] if i not in items]
            if missing:
                raise InputError(f"{root / 'risks.yaml'}: {r['id']} {layer['layer']} cites {', '.join(missing)}, not in criteria.yaml")
    digest = sha256_hex(canonical_json({"risks": risks, "criteria": criteria}))
    return Catalog(risks=risks["risks"], items=items, sha256=digest)
