"""The policy bundle: the Rego checks under policies/, their parameters and digest.

Check metadata is not parsed here: it is read back from the engine itself
(`rego.metadata.chain()` in each package), validated against
mappings/schema/check-metadata.schema.json, so nothing is written twice.
"""

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .jsonio import canonical_json, load_yaml, sha256_hex
from .paths import POLICIES

PARAMS_FILE = "params.yaml"


@dataclass(frozen=True)
class PolicyBundle:
    """Rego modules (relative path → source) plus data.genmei.params."""

    modules: dict[str, str]
    params: dict
    root: Path = field(default=POLICIES)

    @property
    def sha256(self) -> str:
        return sha256_hex(canonical_json({"modules": self.modules, "params": self.params}))

    def ordered_modules(self) -> list[tuple[str, str]]:
        """(path, source), library modules first: a server compiles each module as it
        arrives."""
        return [(p, self.modules[p]) for p in sorted(self.modules, key=lambda p: (not p.startswith("lib/"), p))]


def _read_modules(root: Path, tests: bool) -> dict[str, str]:
    if not root.is_dir():
        raise InputError(f"{root}: policy directory not found")
    modules = {}
    for path in sorted(root.rglob("*.rego")):
        is_test = path.name.endswith("_test.rego")
        if is_test and not tests:
            continue
        try:
            modules[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{path}: cannot read policy ({e})") from None
    if not modules:
        raise InputError(f"{root}: no .rego files")
    return modules


def load_bundle(root: Path = POLICIES, params_override: dict | None = None, tests: bool = False) -> PolicyBundle:
    params = load_yaml(root / PARAMS_FILE) or {}
    if not isinstance(params, dict):
        raise InputError(f"{root / PARAMS_FILE}: expected a mapping of parameters")
    if params_override:
        unknown = sorted(set(params_override) - set(params))
        if unknown:
            raise InputError(f"--params: unknown parameter(s) {', '.join(unknown)}")
        params = {**params, **params_override}
    return PolicyBundle(modules=_read_modules(root, tests), params=params, root=root)
