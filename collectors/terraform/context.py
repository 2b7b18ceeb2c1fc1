"""What the normalisers share: the plan's resources indexed by address, by base address and
by attribute value; references resolved through the plan's `configuration` (within a
module, through module outputs and input variables); separate resources attached to the
resource they configure; and the canonical resource builder.

Every join is a dictionary lookup: indexes are built once per plan, never by comparing
every resource with every other.
"""

from collections import defaultdict
from dataclasses import dataclass

from genmei.collectors.canonical.resource import NO_ZONES, resource

from .address import module_text, parse_reference
from .plan import Plan, PlannedResource
from .values import UNKNOWN

PROVIDER_PREFIXES = {"aws": "aws", "azurerm": "azure", "google": "gcp"}


def provider_of(tf_type: str) -> str | None:
    return PROVIDER_PREFIXES.get(tf_type.split("_", 1)[0])


class Canonical:
    """One canonical resource of a plan, its attrs set from planned values and built by the
    one constructor (collectors/canonical/resource.py): an UNKNOWN value is listed in
    `unknown` (known only after apply); None leaves the attr absent (the plan does not
    show it), which the checks report as NOT_EVALUATED, never as PASS."""

    def __init__(self, res: PlannedResource, type_: str, id_: str | None = None, native_type: str | None = None):
        self.type, self.id = type_, id_ or res.address
        self.provider, self.native_type = provider_of(res.type), native_type or res.type
        self.source = {"kind": "plan", "ref": res.address}
        self.attrs: dict = {}
        self.fields: dict = {}

    def set(self, path: str, value) -> "Canonical":
        """attrs.<path> (dotted for nested fields such as tls.min_version)."""
        *parents, leaf = path.split(".")
        node = self.attrs
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
        return self

    def top(self, key: str, value) -> "Canonical":
        """A top-level field (zones, region, name, tags); None leaves it out."""
        if value is not None:
            self.fields[key] = value
        return self

    def build(self) -> dict:
        return resource(self.type, self.id, self.provider, self.native_type, self.source, self.attrs,
                        region=self.fields.get("region"), zones=self.fields.get("zones", NO_ZONES),
                        name=self.fields.get("name"), tags=self.fields.get("tags"))


@dataclass(frozen=True)
class Attach:
    """A separate resource that configures another (a rule of a security group, the
    encryption of a bucket), found through `attr`: by reference in the configuration, or
    by value against `match` attributes of the `targets` types."""

    type: str
    kind: str
    attr: str
    targets: frozenset
    match: tuple[str, ...]                 # target attributes compared with `source` values
    source: tuple[str, ...] | None = None  # own attributes matched (default: (attr,))


class Context:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.by_address = {r.address: r for r in plan.resources}
        self.by_base: dict[str, list[PlannedResource]] = defaultdict(list)
        self.by_type: dict[str, list[PlannedResource]] = defaultdict(list)
        self.module_instances: dict[tuple, set] = defaultdict(set)
        for r in plan.resources:
            self.by_base[r.addr.base].append(r)
            self.by_type[r.type].append(r)
            for i in range(1, len(r.addr.module) + 1):
                self.module_instances[r.addr.module_path[:i]].add(r.addr.module[:i])
        self._value_index: dict[tuple, dict] = {}
        self._attached: dict[tuple, list] = defaultdict(list)
        self._uncertain: dict[str, set] = defaultdict(set)
        self.unattached: list[tuple[str, str]] = []   # (address, why it is not judged)
        self.memo: dict[str, object] = {}              # indexes a normaliser builds once per plan

    def region(self, res: PlannedResource) -> str | None:
        """The resource's own region/location, else its provider configuration's region."""
        for attr in ("region", "location"):
            value = res.get(attr)
            if isinstance(value, str) and value:
                return value
        key = (res.config or {}).get("provider_config_key") or ""
        provider = self.plan.config.providers.get(key) or self.plan.config.providers.get(key.rsplit(":", 1)[-1]) or {}
        value = ((provider.get("expressions") or {}).get("region") or {}).get("constant_value")
        return value if isinstance(value, str) and value else None

    # --- references ---------------------------------------------------------------

    def resolve(self, res: PlannedResource, types: frozenset, *path) -> list[str]:
        """Addresses of `types` resources that the expression at `path` refers to."""
        expr = _expression(res.config, path)
        return self._resolve(res.addr.module, expr.get("references") or [], types, res.addr.key, 0)

    def _resolve(self, module: tuple, refs: list, types: frozenset, self_key, depth: int) -> list[str]:
        if depth > 32:
            return []
        aligned = any(str(r).startswith(("count.", "each.")) for r in refs)
        out: list[str] = []
        for text in refs:
            ref = parse_reference(str(text))
            if ref.kind == "resource" and ref.type in types:
                base = (module_text(module) + "." if module else "") + f"{ref.type}.{ref.name}"
                instances = self.by_base.get(base, [])
                if ref.key is not None:
                    instances = [r for r in instances if r.addr.key == ref.key]
                elif len(instances) > 1 and aligned and self_key is not None:
                    instances = [r for r in instances if r.addr.key == self_key] or instances
                out.extend(r.address for r in instances)
            elif ref.kind == "module_output":
                child = tuple(n for n, _ in module) + (ref.type,)
                output = (self.plan.config.module(child).get("outputs") or {}).get(ref.name) or {}
                child_refs = (output.get("expression") or {}).get("references") or []
                for inst in sorted(self.module_instances.get(child, ()), key=repr):
                    if inst[:-1] == module and (ref.key is None or inst[-1][1] == ref.key):
                        out.extend(self._resolve(inst, child_refs, types, None, depth + 1))
            elif ref.kind == "variable" and module:
                call = self.plan.config.calls.get(tuple(n for n, _ in module)) or {}
                expr = (call.get("expressions") or {}).get(ref.type) or {}
                refs_up = (expr.get("references") or []) if isinstance(expr, dict) else []
                out.extend(self._resolve(module[:-1], refs_up, types, module[-1][1], depth + 1))
        return list(dict.fromkeys(out))

    def find(self, types: frozenset, attrs: tuple[str, ...], value: tuple) -> list[PlannedResource]:
        """Resources of `types` whose known `attrs` equal `value` (index built once)."""
        key = (types, attrs)
        if key not in self._value_index:
            index: dict[tuple, list] = defaultdict(list)
            for t in types:
                for r in self.by_type.get(t, []):
                    v = tuple(r.get(a) for a in attrs)
                    if all(isinstance(x, str) and x for x in v):
                        index[v].append(r)
            self._value_index[key] = index
        return self._value_index[key].get(value, [])

    def lookup(self, res: PlannedResource, attr: str, types: frozenset, match: tuple[str, ...],
               source: tuple[str, ...] | None = None) -> tuple[list[PlannedResource], object]:
        """The resources `res.attr` designates: by reference first, then by value (preferring
        the same module instance). Returns (candidates, the attr's own value)."""
        value = res.get(attr)
        found = [self.by_address[a] for a in self.resolve(res, types, attr)]
        if not found:
            own = tuple(res.get(a) for a in (source or (attr,)))
            if all(isinstance(x, str) and x for x in own):
                found = self.find(types, match, own)
                same = [r for r in found if r.addr.module == res.addr.module]
                found = same or found
        return found, value

    def lookup_one(self, res: PlannedResource, attr: str, types: frozenset, match: tuple[str, ...]):
        """The single resource designated, UNKNOWN when the designation cannot be settled
        (unknown value, or several candidates), None when it is outside the plan or unset."""
        found, value = self.lookup(res, attr, types, match)
        if len(found) == 1:
            return found[0]
        if len(found) > 1 or value is UNKNOWN:
            return UNKNOWN
        return None

    # --- attachments ----------------------------------------------------------------

    def attach_all(self, specs: list[Attach]) -> list[tuple[Attach, PlannedResource, str]]:
        """Attach every resource of the specs' types; return those whose target is not in
        the plan or cannot be told, with why, for the provider to judge alone or to report."""
        loose = []
        for spec in specs:
            for res in self.by_type.get(spec.type, []):
                found, value = self.lookup(res, spec.attr, spec.targets, spec.match, spec.source)
                if len(found) == 1:
                    self._attached[(found[0].address, spec.kind)].append(res)
                    continue
                for target in found:   # several candidates: none of them can be judged surely
                    self._uncertain[target.address].add(spec.kind)
                targets = "/".join(sorted(spec.targets))
                why = (f"{spec.attr} matches several {targets} resources: {', '.join(t.address for t in found)}" if found
                       else f"{spec.attr} is known only after apply and refers to no {targets} in the plan" if value is UNKNOWN
                       else f"{spec.attr} names no {targets} in the plan")
                loose.append((spec, res, why))
        return loose

    def attached(self, address: str, kind: str) -> list[PlannedResource]:
        return self._attached.get((address, kind), [])

    def uncertain(self, address: str, kind: str) -> bool:
        return kind in self._uncertain.get(address, ())

    def not_judged(self, res: PlannedResource, why: str) -> None:
        self.unattached.append((res.address, why))


def _expression(config: dict | None, path: tuple) -> dict:
    """The expression at `path` in a configuration block (nested blocks are lists)."""
    node = (config or {}).get("expressions") or {}
    for key in path:
        if isinstance(node, dict) and isinstance(key, str):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return {}
    return node if isinstance(node, dict) else {}
