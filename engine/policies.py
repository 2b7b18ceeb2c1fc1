"""The policy bundle: the Rego checks under policies/, their parameters and digest.

Parameters are policies/params.yaml with `--params FILE` deep-merged over it (maps merge
key by key, anything else replaces), then checked against
mappings/schema/params.schema.json: a threshold of the wrong type would not stop a check,
it would turn its FAILs into PASSes (`admin_ports: "22"` matches no port).

Check metadata is not parsed here: it is read back from the engine itself
(`rego.metadata.chain()` in each package), validated against
mappings/schema/check-metadata.schema.json, so nothing is written twice.
"""

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .jsonio import canonical_json, sha256_hex, validate
from .yamlio import load_yaml
from .paths import POLICIES

PARAMS_FILE = "params.yaml"
PARAMS_SCHEMA = "params.schema.json"


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
    params = _default_params(root)
    if params_override:
        params = merged_params(params, params_override, "--params")
    return PolicyBundle(modules=_read_modules(root, tests), params=params, root=root)


def read_params_override(path: str) -> dict:
    """`--params FILE`, checked when it is read (merged over the defaults), so that a
    wrong value is refused before anything runs, naming FILE."""
    override = load_yaml(path)
    if not isinstance(override, dict):
        raise InputError(f"{path}: expected a mapping of parameters")
    merged_params(_default_params(POLICIES), override, path)
    return override


def merged_params(defaults: dict, override: dict, name: str) -> dict:
    unknown = sorted(set(override) - set(defaults))
    if unknown:
        raise InputError(f"{name}: unknown parameter(s) {', '.join(unknown)} (known: {', '.join(sorted(defaults))})")
    params = deep_merge(defaults, override)
    _check_params(params, name)
    return params


def deep_merge(base: dict, override: dict) -> dict:
    """`override` over `base`: a map merges key by key, recursively; anything else (a list,
    a number, null) replaces the value under its key."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = deep_merge(merged[key], value) if isinstance(merged.get(key), dict) and isinstance(value, dict) else value
    return merged


def _default_params(root: Path) -> dict:
    path = root / PARAMS_FILE
    params = load_yaml(path)
    if not isinstance(params, dict):
        raise InputError(f"{path}: expected a mapping of parameters")
    _check_params(params, str(path))
    return params


def _check_params(params: dict, name: str) -> None:
    """The schema, and what it cannot say: whole numbers are written without a fraction
    (JSON Schema takes 7.0 as an integer), and the minimum TLS version is a ranked one."""
    validate(params, PARAMS_SCHEMA, name)
    for key, value in params.items():
        values = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        fractional = [v for v in values if isinstance(v, float)]
        if fractional:
            raise InputError(f"{name}: {key}: {fractional[0]!r} is not a whole number")
    if params["min_tls_version"] not in params["tls_versions"]:
        raise InputError(f"{name}: min_tls_version {params['min_tls_version']!r} is not one of tls_versions "
                         f"({', '.join(params['tls_versions'])})")
