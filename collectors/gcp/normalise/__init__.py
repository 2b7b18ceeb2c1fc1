"""CAI assets → canonical resources (mappings/resource-types.yaml), for the live
collector and the offline importer alike.

`normalise(assets, read_types, iam_read)` takes assets in any CAI shape (see asset.py),
merges an asset's RESOURCE and IAM_POLICY records, and returns the canonical resources
plus the asset types it does not model (reported by the caller, never dropped silently).
`read_types` are the asset types known to be complete in scope (every one listed, for a
live collection; every type present, for an import); a join that needs a type not in
it (a network's subnets, an instance's project metadata) yields null, not a guess.
"""

from collections import Counter
from dataclasses import dataclass, field

from genmei.collectors.canonical.resource import NO_ZONES, resource as canonical_resource
from genmei.collectors.canonical.values import ShapeError

from . import compute, gke, kms, lb, monitoring, network, sql, storage, vm_manager, vpn
from .project import project_settings
from .asset import Asset, AssetError, merge
from .common import labels, link_key, location_of, names, segment

# asset type → (canonical type, builder). Builders return {"attrs", and optionally
# "zones", "region"}; everything else of a resource is filled in here.
NETWORK = "compute.googleapis.com/Network"
MODELLED = {
    "compute.googleapis.com/Firewall": ("network.firewall", network.firewall),
    NETWORK: ("network.vpc", network.network),
    "compute.googleapis.com/Instance": ("compute.instance", compute.instance),
    "compute.googleapis.com/Disk": ("compute.disk", compute.disk),
    "compute.googleapis.com/RegionDisk": ("compute.disk", compute.disk),
    "storage.googleapis.com/Bucket": ("storage.bucket", storage.bucket),
    "sqladmin.googleapis.com/Instance": ("db.instance", sql.instance),
    "cloudkms.googleapis.com/CryptoKey": ("kms.key", kms.crypto_key),
    "container.googleapis.com/Cluster": ("k8s.cluster", gke.cluster),
    "compute.googleapis.com/TargetHttpsProxy": ("lb.listener", lb.proxy),
    "compute.googleapis.com/TargetSslProxy": ("lb.listener", lb.proxy),
    "compute.googleapis.com/TargetHttpProxy": ("lb.listener", lb.proxy),
    "compute.googleapis.com/InstanceGroupManager": ("compute.instance_group", monitoring.instance_group),
    "monitoring.googleapis.com/AlertPolicy": ("monitoring.alarm", monitoring.alert_policy),
    "compute.googleapis.com/VpnGateway": ("network.vpn", vpn.ha_gateway),          # HA VPN (more)
    "compute.googleapis.com/TargetVpnGateway": ("network.vpn", vpn.classic_gateway),  # Classic VPN
}
# Read only to complete the modelled ones: asset type → canonical types whose attrs need it.
AUXILIARY = {
    "compute.googleapis.com/Subnetwork": ("network.vpc",),
    "compute.googleapis.com/SslPolicy": ("lb.listener",),
    "compute.googleapis.com/UrlMap": ("lb.listener",),
    "compute.googleapis.com/Project": ("compute.instance",),       # common instance metadata (and cloud.region, project.py)
    "cloudresourcemanager.googleapis.com/Project": (),            # project number → id
    monitoring.AUTOSCALER: ("compute.instance_group",),            # which groups scale, within which limits
    **{t: ("compute.instance_group",) for t in monitoring.BACKEND_SERVICES},  # which groups a load balancer serves (res2)
    vm_manager.SERVICE: ("cloud.region",),                         # the OS Config API's state (VM Manager)
    vpn.TUNNEL: ("network.vpn",),                                  # which HA VPN interfaces have a tunnel up
    vpn.ATTACHMENT: ("network.vpn",),                              # Interconnect: a dedicated link beside the VPNs
}
# Canonical types an asset type feeds besides its own (a VM's host-management record).
ALSO_FEEDS = {vm_manager.INSTANCE: ("compute.host_management",)}
LABEL_KEYS = {"sqladmin.googleapis.com/Instance": ("settings", "userLabels"), "container.googleapis.com/Cluster": ("resourceLabels",)}


@dataclass
class Normalised:
    resources: list[dict]
    unsupported: Counter = field(default_factory=Counter)
    projects: set = field(default_factory=set)
    regions: set = field(default_factory=set)


class Context:
    """Indexes over the whole asset set, built once, so each builder joins by lookup."""

    def __init__(self, assets: list[Asset], read_types: set[str], iam_read: bool):
        self.read_types = set(read_types)
        self.iam_read = iam_read
        self.by_key: dict[tuple[str, str], Asset] = {}
        self.subnets_by_network: dict[str, list[Asset]] = {}
        self.numbers: dict[str, str] = {}
        self.common_metadata: dict[str, dict] = {}
        self.compute_projects: dict[str, Asset] = {}
        self.firewalls_by_network: dict[str | None, list[tuple]] = {}   # network → (name, target tags, target service accounts)
        self.autoscalers = monitoring.autoscalers_by_target(assets)
        self.backends = monitoring.backends_by_group(assets)
        self.vpn_links = vpn.Links(assets)
        for a in assets:
            self.by_key[(a.asset_type, link_key(a.name))] = a
            if a.asset_type == "compute.googleapis.com/Subnetwork" and a.data is not None:
                self.subnets_by_network.setdefault(network.subnet_network_key(a), []).append(a)
            elif a.asset_type == "cloudresourcemanager.googleapis.com/Project" and a.data:
                number, pid = a.data.get("projectNumber"), a.data.get("projectId")
                if number and pid:
                    self.numbers[str(number)] = str(pid)
            elif a.asset_type == "compute.googleapis.com/Firewall" and a.data is not None:
                network_key, targets = _targets(a)
                self.firewalls_by_network.setdefault(network_key, []).append(targets)
        for a in assets:
            if a.asset_type == "compute.googleapis.com/Project" and a.data is not None:
                pid = str(a.data.get("name") or self.project_of(a))
                self.common_metadata[pid] = compute.metadata_items(a.data.get("commonInstanceMetadata"))
                self.compute_projects[pid] = a

    def complete(self, asset_type: str) -> bool:
        return asset_type in self.read_types

    def lookup(self, asset_type: str, ref) -> Asset | None:
        key = link_key(ref)
        return self.by_key.get((asset_type, key)) if key else None

    def project_of(self, a: Asset) -> str | None:
        """The project id: from the asset name, else the project number of its ancestors
        or parent (mapped to the id when the project itself was read)."""
        pid = segment(a.name, "projects")
        if pid is None:
            for ref in [*a.ancestors[:1], a.parent]:
                pid = segment(ref, "projects")
                if pid:
                    break
        if pid is None and a.data and a.data.get("projectNumber"):
            pid = str(a.data["projectNumber"])
        return self.numbers.get(pid, pid) if pid else None

    def project_metadata(self, project: str | None) -> dict | None:
        if project is None or not self.complete("compute.googleapis.com/Project"):
            return None
        # A project that was read but has no common metadata has none set.
        return self.common_metadata.get(project, {})

    def firewalls_for(self, networks: list[str], tags: list, service_accounts: list[str]) -> list[str]:
        """Firewall rules that apply to an instance: same network, and no targets, or a
        target tag the instance carries, or a target service account it runs as."""
        out = []
        tags, service_accounts = set(tags), set(service_accounts)
        for network_key in set(networks):
            for name, target_tags, target_sas in self.firewalls_by_network.get(network_key, ()):
                if (not target_tags and not target_sas) or target_tags & tags or target_sas & service_accounts:
                    out.append(name)
        return sorted(out)


def _targets(a: Asset) -> tuple:
    """(network, (name, target tags, target service accounts)) of a firewall, read once for
    every instance's lookup; a target that is not a name is the firewall's malformed data,
    reported as such."""
    try:
        return link_key(a.data.get("network")), (a.name, frozenset(names(a.data, "targetTags", "targetTag")),
                                                 frozenset(names(a.data, "targetServiceAccounts", "targetServiceAccount")))
    except ShapeError as e:
        raise AssetError(f"asset {a.name}: resource.data.{e.path}: {e.detail}") from None


def normalise(assets: list[Asset], read_types: set[str], iam_read: bool, *, inventory_read: bool = False,
              observed_at: str | None = None) -> Normalised:
    """`inventory_read`: VMs' OS inventories (OS_INVENTORY content) were read for the scope;
    `observed_at`: when (ages of inventories are counted to it)."""
    assets = merge(assets)
    try:
        ctx = Context(assets, read_types, iam_read)
    except AssetError:
        raise
    except (AttributeError, KeyError, TypeError, ValueError) as e:
        raise AssetError(f"assets not in the Cloud Asset Inventory shape ({type(e).__name__}: {e})") from None
    out = Normalised(resources=[])
    for a in assets:
        modelled = MODELLED.get(a.asset_type)
        if modelled is None:
            if a.asset_type not in AUXILIARY:
                out.unsupported[a.asset_type] += 1
            continue
        resource = build(a, modelled, ctx)
        out.resources.append(resource)
        if resource.get("account"):
            out.projects.add(resource["account"])
        if resource.get("region"):
            out.regions.add(resource["region"])
    for a in _networks_known_by_subnets(assets, ctx):
        out.resources.append(build(a, ("network.vpc", network.network_of_subnets), ctx))
    instances = [a for a in assets if a.asset_type == vm_manager.INSTANCE and a.data is not None]
    if inventory_read:
        out.resources.extend(host(a, ctx, observed_at) for a in instances)
    if out.resources:
        origin = out.resources[0]["source"]
        origin = {k: v for k, v in origin.items() if k in ("kind", "file")}
        projects = out.projects | set(ctx.compute_projects)
        apis = vm_manager.api_states(assets, ctx)
        by_project: dict[str, list] = {}
        for a in instances:
            by_project.setdefault(ctx.project_of(a), []).append(a)
        scanning = {p: vm_manager.scanning(p, ctx, apis, by_project.get(p, [])) for p in projects}
        quotas = monitoring.quota_alarms(assets, ctx) if ctx.complete(monitoring.ALERT_POLICY) else None
        out.resources.extend(project_settings(projects, ctx.compute_projects, origin, scanning, quotas))
    return out


def _networks_known_by_subnets(assets: list[Asset], ctx: Context) -> list[Asset]:
    """A stand-in (no data) for each network that the export's subnetworks name but that is
    not itself in the export: its subnetworks would otherwise be read and dropped."""
    out = []
    for key, subnets in sorted(ctx.subnets_by_network.items(), key=lambda kv: str(kv[0])):
        if key is None or (NETWORK, key) in ctx.by_key:
            continue
        first = subnets[0]
        out.append(Asset(name=f"//compute.googleapis.com/{key}", asset_type=NETWORK, ancestors=first.ancestors,
                         parent=first.parent, origin=first.origin))
    return out


def vulnerability_reports(reports: list[dict], assets: list[Asset], observed_at: str) -> list[dict]:
    """OS Config's vulnerability reports (read live) → vulnerability.report, one per VM,
    named and identified as the VM's Cloud Asset Inventory asset. A report names its VM by
    project (id or number), zone and instance (numeric id or name)."""
    by_ref: dict[tuple, Asset] = {}
    for a in merge(assets):
        if a.asset_type == vm_manager.INSTANCE and a.data is not None:
            zone = segment(a.name, "zones")
            by_ref[(zone, str(a.data.get("id")))] = a
            by_ref[(segment(a.name, "projects"), zone, str(a.data.get("name")))] = a
    out = []
    for report in reports:
        name = str(report.get("name") or "")
        project, zone, ref = segment(name, "projects"), segment(name, "locations"), segment(name, "instances")
        asset = by_ref.get((zone, ref)) or by_ref.get((project, zone, ref))
        rid = asset.name if asset else f"//compute.googleapis.com/projects/{project}/zones/{zone}/instances/{ref}"
        try:
            attrs = vm_manager.report_attrs(report, rid, observed_at)
            evidence = {"name": name, "update_time": report.get("update_time"),
                        "highest_upgradable_cve_severity": report.get("highest_upgradable_cve_severity"),
                        "critical_and_high": vm_manager.serious(report)}
        except ShapeError as e:
            raise AssetError(f"vulnerability report {name}: {e.path}: {e.detail}") from None
        out.append(canonical_resource("vulnerability.report", rid, "gcp", "osconfig.googleapis.com/VulnerabilityReport",
                                      {"kind": "api", "ref": "osconfig.ListVulnerabilityReports"}, attrs,
                                      account=segment(rid, "projects"), region=zone.rsplit("-", 1)[0] if zone else None,
                                      name=(asset.data.get("name") if asset else None) or ref, raw=evidence))
    return out


def host(a: Asset, ctx: Context, observed_at: str | None) -> dict:
    """A VM's compute.host_management record, from its OS inventory (or its absence)."""
    try:
        attrs = {"instance": a.name, **vm_manager.inventory_attrs(a, observed_at)}
        if isinstance(a.data.get("status"), str):
            attrs["running"] = a.data["status"] == "RUNNING"
    except ShapeError as e:
        raise AssetError(f"asset {a.name}: {e.path}: {e.detail}") from None
    region, zones = location_of(a.name, a.data, a.location)
    name = a.data.get("name") if isinstance(a.data.get("name"), str) else a.name.rsplit("/", 1)[-1]
    return canonical_resource("compute.host_management", a.name, "gcp", a.asset_type, a.origin, attrs,
                              account=ctx.project_of(a), region=region, name=name, tags=labels(a.data, "labels"),
                              raw={"os_inventory": _inventory_summary(a.os_inventory)})


def _inventory_summary(inv: dict | None) -> dict | None:
    """The OS inventory without its package lists: the OS and how many packages are
    installed and available (as updates)."""
    if inv is None:
        return None
    kinds = Counter(vm_manager.item_kind(i) for i in (inv.get("items") or {}).values() if isinstance(i, dict))
    return {"os_info": inv.get("os_info") or inv.get("osInfo"), "update_time": inv.get("update_time") or inv.get("updateTime"),
            "items": dict(sorted(kinds.items()))}


def build(a: Asset, modelled, ctx: Context) -> dict:
    """One canonical resource; resource data of the wrong shape (a metadata key that is an
    object, a port that is not a number, a location that is a list) is an AssetError
    naming the asset, never a guess."""
    canonical, builder = modelled
    try:
        built = builder(a, ctx)
    except ShapeError as e:
        raise AssetError(f"asset {a.name}: resource.data.{e.path}: {e.detail}") from None
    except (AttributeError, KeyError, TypeError, ValueError) as e:
        raise AssetError(f"asset {a.name}: resource data not in the {a.asset_type} shape ({type(e).__name__}: {e})") from None
    try:
        return _resource(a, canonical, built, ctx)
    except ShapeError as e:   # from the canonical constructor: account, region, zones
        raise AssetError(f"asset {a.name}: its {e.path} (read from the asset): {e.detail}") from None


def _resource(a: Asset, canonical: str, built: dict, ctx: Context) -> dict:
    region, zones = location_of(a.name, a.data, a.location)
    region = built.get("region") or region
    zones = built["zones"] if "zones" in built else zones
    name = (a.data or {}).get("name") if isinstance((a.data or {}).get("name"), str) else a.name.rsplit("/", 1)[-1]
    # KMS key names are full paths; keep the short name, as for every other type.
    if name and "/" in name:
        name = name.rsplit("/", 1)[-1]
    if zones is None and "zones" not in built:
        zones = NO_ZONES
    return canonical_resource(
        canonical, a.name, "gcp", a.asset_type, a.origin, built["attrs"], account=ctx.project_of(a), region=region,
        zones=zones, name=name, tags=labels(a.data, *LABEL_KEYS.get(a.asset_type, ("labels",))) if a.data else {},
        raw={"resource": a.data, "iam_policy": a.iam_policy, "ancestors": a.ancestors})
