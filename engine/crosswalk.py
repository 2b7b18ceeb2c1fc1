"""The ISO crosswalk (mappings/crosswalk-iso.yaml): per 項番 the ISO/IEC 27002:2005 control
its number follows, ISO/IEC 27001:2022 Annex A controls and ISO/IEC 27017:2015 cloud
controls, each reference with the basis it was chosen on. Validated on load; every
catalog item must have exactly one entry so no rendering silently shows a blank."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .jsonio import validate
from .paths import MAPPINGS
from .yamlio import load_yaml


@dataclass(frozen=True)
class Crosswalk:
    entries: dict[str, dict]  # 項番 → entry
    titles: dict[str, dict[str, str]]  # standard → control id → title

    def iso27001(self, item: str) -> list[str]:
        return [r["control"] for r in self.entries.get(item, {}).get("iso27001_2022", [])]

    def iso27017(self, item: str) -> list[str]:
        return list(self.entries.get(item, {}).get("iso27017_2015", []))

    def iso27002_2005(self, item: str) -> str | None:
        return self.entries.get(item, {}).get("iso27002_2005")


@lru_cache(maxsize=4)
def load_crosswalk(items: frozenset[str], root: Path = MAPPINGS) -> Crosswalk:
    """Load and check the crosswalk against the catalog's item ids."""
    path = root / "crosswalk-iso.yaml"
    doc = load_yaml(path)
    validate(doc, "crosswalk-iso.schema.json", str(path))
    entries: dict[str, dict] = {}
    for e in doc["items"]:
        if e["item"] in entries:
            raise InputError(f"{path}: item {e['item']} appears twice")
        entries[e["item"]] = e
    unknown = sorted(set(entries) - items)
    missing = sorted(items - set(entries))
    if unknown or missing:
        raise InputError(f"{path}: does not match criteria.yaml (unknown: {', '.join(unknown) or 'none'}; "
                         f"missing: {', '.join(missing) or 'none'})")
    titles = doc["titles"]
    for e in entries.values():
        refs = [("iso27001_2022", r["control"]) for r in e["iso27001_2022"]] + \
               [("iso27017_2015", c) for c in e["iso27017_2015"]] + \
               ([("iso27002_2005", e["iso27002_2005"])] if e["iso27002_2005"] else [])
        untitled = [c for std, c in refs if c not in titles[std]]
        if untitled:
            raise InputError(f"{path}: item {e['item']} cites {', '.join(untitled)} without a title under titles")
    return Crosswalk(entries=entries, titles=titles)
