"""Checks' METADATA read from their Rego sources, without the policy engine: for a stored
scan (its policies.json is the bundle it evaluated) and for the tests that hold the
mappings against the catalog. The engine itself reads METADATA back through
rego.metadata (engine/checks.py); this reads the same `# METADATA` comment block as YAML
and builds the same Check, so the two can be compared field by field."""

import re

import jsonschema

from .checks import Check
from .errors import InputError
from .jsonio import validator
from .yamlio import parse_yaml

_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.M)
CHECKS_PACKAGE = "genmei.checks."


def metadata_block(source: str) -> str | None:
    """The YAML of the package-scoped `# METADATA` comment block, or None."""
    lines = source.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "# METADATA":
            body = []
            for text in lines[i + 1:]:
                if not text.startswith("#"):
                    break
                body.append(text[2:] if text.startswith("# ") else text[1:])
            return "\n".join(body) + "\n"
    return None


def read_metadata(modules: dict[str, str], name: str) -> list[tuple[str, str, dict]]:
    """(file, package, METADATA) of every check module (package under genmei.checks), validated."""
    out = []
    for path, source in sorted(modules.items()):
        m = _PACKAGE.search(source)
        if not m or not m.group(1).startswith(CHECKS_PACKAGE) or path.endswith("_test.rego"):
            continue
        block = metadata_block(source)
        if block is None:
            raise InputError(f"{name}: {path} has no METADATA")
        meta = parse_yaml(block.encode("utf-8"), f"{name}: {path} METADATA")
        error = jsonschema.exceptions.best_match(validator("check-metadata.schema.json").iter_errors(meta))
        if error is not None:
            raise InputError(f"{name}: {path} METADATA invalid at {error.json_path}: {error.message}")
        out.append((path, m.group(1), meta))
    return out


def checks_from_modules(modules: dict[str, str], name: str) -> list[Check]:
    """The checks of a policy bundle's modules, as engine/checks.py builds them, sorted by id."""
    checks = []
    for path, package, meta in read_metadata(modules, name):
        c = meta["custom"]
        checks.append(Check(
            id=c["id"], package=package, file=path, title_ja=meta["title"], title_en=c["title_en"],
            description_ja=" ".join(meta["description"].split()), description_en=" ".join(c["description_en"].split()),
            severity=c["severity"], criteria=tuple(c["criteria"]), risks=tuple(c["risks"]), layer=c["layer"],
            resource_types=tuple(c["resource_types"]), providers=tuple(c["providers"]) if "providers" in c else None,
            remediation=c["remediation"],
        ))
    return sorted(checks, key=lambda c: c.id)


def rationales(modules: dict[str, str], name: str) -> dict[str, dict[str, str]]:
    """Check id → its one-line rationale per mapped item (or `supporting`)."""
    return {meta["custom"]["id"]: meta["custom"].get("rationale", {}) for _, _, meta in read_metadata(modules, name)}
