"""Reading a `terraform show -json` plan: validated, then walked into the managed resource
instances that will exist after apply.

Format versions 0.1 and 0.2 (Terraform 0.12–1.0) and 1.x (1.0 on; minor versions only add
fields) are read, with or without a UTF-8 BOM. Resources come from `resource_changes`
(planned values with `after_unknown`), in every module however deeply nested and every
count/for_each instance; a plan without `resource_changes` is walked through
`planned_values` and its child modules instead (nothing is then known to be unknown, so
absent values stay not collected). Resources being deleted or forgotten, deposed objects
and data sources are counted, never judged.
"""

from dataclasses import dataclass, field

from genmei.engine.errors import InputError
from genmei.engine.jsonio import parse_json, read_bytes, validate

from .address import Address, parse_address
from .values import UNKNOWN, Planned

SCHEMA = "terraform-plan.schema.json"


@dataclass(frozen=True)
class PlannedResource:
    address: str
    addr: Address
    provider_name: str
    actions: tuple[str, ...]     # () when the plan has no resource_changes
    planned: Planned             # `after` with its `after_unknown` shadow
    config: dict | None          # the resource's block in `configuration` (expressions)

    @property
    def type(self) -> str:
        return self.addr.type

    @property
    def creating(self) -> bool:
        """Created (or re-created) by this plan, so nothing set outside it exists yet."""
        return "create" in self.actions

    def get(self, *path):
        return self.planned.get(*path)

    def expression(self, attr: str) -> dict:
        return ((self.config or {}).get("expressions") or {}).get(attr) or {}

    def declared(self, attr: str):
        """Like get(), but a computed attribute that the configuration does not write is
        None rather than UNKNOWN: only the platform's default will apply to it."""
        value = self.get(attr)
        if value is UNKNOWN and self.config is not None and not self.expression(attr):
            return None
        return value


@dataclass
class ConfigIndex:
    """`configuration` by module path: resources by their module-relative address,
    module calls by name, and the provider configurations."""

    resources: dict[tuple, dict] = field(default_factory=dict)   # (module path, "type.name") → block
    calls: dict[tuple, dict] = field(default_factory=dict)       # module path of the call → call block
    providers: dict[str, dict] = field(default_factory=dict)

    def add_module(self, path: tuple, module: dict) -> None:
        for r in module.get("resources") or []:
            if r.get("mode", "managed") == "managed":
                self.resources[(path, r["address"])] = r
        for name, call in (module.get("module_calls") or {}).items():
            self.calls[path + (name,)] = call
            self.add_module(path + (name,), call.get("module") or {})

    def module(self, path: tuple) -> dict:
        return (self.calls.get(path) or {}).get("module") or {}


@dataclass
class Plan:
    path: str
    format_version: str
    terraform_version: str | None
    resources: list[PlannedResource]
    skipped: dict[str, list[str]]     # why not judged → addresses
    config: ConfigIndex


def read_plan(path: str) -> Plan:
    data = read_bytes(path)
    if not data.strip():
        raise InputError(f"{path}: empty file, expected the output of `terraform show -json PLANFILE`")
    doc = parse_json(data, path)
    if not isinstance(doc, dict):
        raise InputError(f"{path}: not a Terraform plan (the top level is a JSON {type(doc).__name__}, expected an object)")
    if "format_version" not in doc:
        raise InputError(f"{path}: no format_version: not the output of `terraform show -json PLANFILE`")
    if isinstance(doc["format_version"], str) and not doc["format_version"].startswith(("0.1", "0.2", "1.")):
        raise InputError(f"{path}: plan format_version {doc['format_version']} is not supported (0.1 to 1.x)")
    validate(doc, SCHEMA, path)
    if "planned_values" not in doc and "resource_changes" not in doc:
        if "values" in doc:
            raise InputError(f"{path}: a Terraform state (`terraform show -json` without a plan file), not a plan")
        raise InputError(f"{path}: no planned_values or resource_changes: not a Terraform plan")
    return walk(doc, path)


def walk(doc: dict, path: str) -> Plan:
    config = ConfigIndex()
    configuration = doc.get("configuration") or {}
    config.add_module((), configuration.get("root_module") or {})
    config.providers = configuration.get("provider_config") or {}
    plan = Plan(path, doc["format_version"], doc.get("terraform_version"), [], {}, config)
    if "resource_changes" in doc:
        _from_changes(plan, doc["resource_changes"])
    else:
        _from_planned_values(plan, (doc.get("planned_values") or {}).get("root_module") or {}, "$.planned_values.root_module")
    return plan


def _parse(plan: Plan, text: str, where: str) -> Address:
    try:
        return parse_address(text)
    except ValueError as e:
        raise InputError(f"{plan.path}: {where}.address: {e}") from None


def _skip(plan: Plan, why: str, address: str) -> None:
    plan.skipped.setdefault(why, []).append(address)


def _from_changes(plan: Plan, changes: list) -> None:
    seen = set()
    for i, rc in enumerate(changes):
        where = f"$.resource_changes[{i}]"
        address = rc["address"]
        addr = _parse(plan, address, where)
        actions = tuple(rc["change"]["actions"])
        if rc.get("mode", addr.mode) == "data" or addr.mode == "data":
            _skip(plan, "data source (read, not changed)", address)
            continue
        if "deposed" in rc:
            _skip(plan, "deposed object (destroyed)", address)
            continue
        if "create" not in actions and ("delete" in actions or "forget" in actions):
            _skip(plan, "deleted" if "delete" in actions else "forgotten (removed from state, not destroyed)", address)
            continue
        if address in seen:
            raise InputError(f"{plan.path}: {where}: resource {address} appears twice")
        seen.add(address)
        change = rc["change"]
        after = change.get("after")
        planned = Planned(after if isinstance(after, dict) else {}, change.get("after_unknown") or {})
        plan.resources.append(_resource(plan, address, addr, rc.get("provider_name", ""), actions, planned))


def _from_planned_values(plan: Plan, module: dict, where: str) -> None:
    for i, r in enumerate(module.get("resources") or []):
        addr = _parse(plan, r["address"], f"{where}.resources[{i}]")
        if r.get("mode", addr.mode) == "data" or addr.mode == "data":
            _skip(plan, "data source (read, not changed)", r["address"])
            continue
        values = r.get("values") if isinstance(r.get("values"), dict) else {}
        plan.resources.append(_resource(plan, r["address"], addr, r.get("provider_name", ""), (), Planned(values)))
    for j, child in enumerate(module.get("child_modules") or []):
        _from_planned_values(plan, child, f"{where}.child_modules[{j}]")


def _resource(plan: Plan, address: str, addr: Address, provider: str, actions: tuple, planned: Planned) -> PlannedResource:
    config = plan.config.resources.get((addr.module_path, f"{addr.type}.{addr.name}"))
    return PlannedResource(address, addr, provider, actions, planned, config)
