"""Checks as the engine reports them: each package under data.genmei.checks with its
METADATA (read back through rego.metadata.chain()) and its results.
"""

import re
from dataclasses import dataclass

import jsonschema

from .errors import EngineError
from .jsonio import validator
from .policies import PolicyBundle

SEVERITIES = ("low", "medium", "high", "critical")
_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.M)


@dataclass(frozen=True)
class Check:
    id: str
    package: str
    file: str
    title_ja: str
    title_en: str
    description_ja: str
    description_en: str
    severity: str
    criteria: tuple[str, ...]
    risks: tuple[str, ...]
    layer: str
    resource_types: tuple[str, ...]
    providers: tuple[str, ...] | None
    remediation: dict

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en

    def summary(self) -> dict:
        """The check as it appears in evidence files."""
        return {
            "id": self.id, "package": self.package, "file": self.file,
            "title": {"ja": self.title_ja, "en": self.title_en},
            "severity": self.severity, "criteria": list(self.criteria), "risks": list(self.risks),
            "layer": self.layer, "resource_types": list(self.resource_types),
            "providers": list(self.providers) if self.providers is not None else None,
            "remediation": self.remediation,
        }


CHECKS_PACKAGE = "genmei.checks"


def check_packages(bundle: PolicyBundle) -> dict[str, str]:
    """Check package → its file, for every module under genmei.checks (tests aside): read
    from the Rego sources, so that a check the engine does not evaluate to `results` is
    missed, not missing."""
    packages = {}
    for path, source in bundle.modules.items():
        m = _PACKAGE.search(source)
        if m and m.group(1).startswith(CHECKS_PACKAGE + ".") and not path.endswith("_test.rego"):
            packages[m.group(1)] = path
    return packages


def walk_packages(doc, bundle: PolicyBundle):
    """Yield (data.package, document) for every check package of the bundle, in the
    document evaluated at data.genmei.checks. A package whose `results` is not there —
    no such rule, or one undefined — refuses the bundle: its check would silently vanish
    from the listing, the scan and the gate."""
    for package, file in sorted(check_packages(bundle).items()):
        node = doc
        for part in package.removeprefix(CHECKS_PACKAGE + ".").split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or "results" not in node:
            raise EngineError(f"policies/{file}: package {package} has no `results`: every check must define "
                              "`results` (a set of records) and METADATA")
        yield f"data.{package}", node


def extract(doc: dict, bundle: PolicyBundle) -> list[tuple[Check, list]]:
    """Checks (validated) with their raw result records, sorted by check id."""
    files = check_packages(bundle)
    found, ids = [], {}
    for package, node in walk_packages(doc, bundle):
        file = files[package.removeprefix("data.")]
        if "metadata" not in node:  # its results could not be mapped to criteria or risks
            raise EngineError(f"policies/{file}: check has results but no METADATA (package-scoped, with custom:)")
        meta = node["metadata"]
        error = jsonschema.exceptions.best_match(validator("check-metadata.schema.json").iter_errors(meta))
        if error is not None:
            raise EngineError(f"policies/{file}: METADATA invalid at {error.json_path}: {error.message}")
        c = meta["custom"]
        if c["id"] in ids:
            raise EngineError(f"policies/{file}: check id {c['id']} already used by policies/{ids[c['id']]}")
        ids[c["id"]] = file
        check = Check(
            id=c["id"], package=package.removeprefix("data."), file=file,
            title_ja=meta["title"], title_en=c["title_en"],
            description_ja=" ".join(meta["description"].split()), description_en=" ".join(c["description_en"].split()),
            severity=c["severity"], criteria=tuple(c["criteria"]), risks=tuple(c["risks"]), layer=c["layer"],
            resource_types=tuple(c["resource_types"]),
            providers=tuple(c["providers"]) if "providers" in c else None,
            remediation=c["remediation"],
        )
        results = node["results"]
        if not isinstance(results, list):
            raise EngineError(f"policies/{file}: `results` must be a set of records, got {type(results).__name__}")
        found.append((check, results))
    return sorted(found, key=lambda cr: cr[0].id)
