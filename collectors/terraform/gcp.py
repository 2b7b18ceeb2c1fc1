"""google provider resources of a plan → canonical resources.

Facts of the platform used here: Google encrypts every disk, bucket and Cloud SQL
instance at rest (only the key is a choice); an ingress firewall rule with no source
ranges, tags or service accounts applies to every source (0.0.0.0/0); a disabled rule is
not enforced; an HTTPS or SSL proxy without an SSL policy uses Google's default policy,
whose minimum is TLS 1.0; Cloud SQL takes automated backups daily, so the number of
backups retained is the number of days. What the plan does not show stays absent.
"""

from genmei.collectors.canonical import control_plane, copies, firewall as canonical_firewall, keys, tls as canonical_tls, zones as zone_names
from genmei.collectors.canonical.s3 import parse as parse_document

from .common import backups_not_in_plan, describe
from .context import Attach, Canonical, Context
from .plan import PlannedResource
from .values import UNKNOWN, Planned, known

BUCKET = frozenset({"google_storage_bucket"})
SSL_POLICY = frozenset({"google_compute_ssl_policy", "google_compute_region_ssl_policy"})
URL_MAP = frozenset({"google_compute_url_map", "google_compute_region_url_map"})
NETWORK = frozenset({"google_compute_network"})
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")

ATTACHMENTS = [
    Attach("google_storage_bucket_iam_binding", "bucket_iam", "bucket", BUCKET, ("name",)),
    Attach("google_storage_bucket_iam_member", "bucket_iam", "bucket", BUCKET, ("name",)),
    Attach("google_storage_bucket_iam_policy", "bucket_iam", "bucket", BUCKET, ("name",)),
    Attach("google_storage_bucket_acl", "bucket_iam", "bucket", BUCKET, ("name",)),
    Attach("google_compute_subnetwork", "subnetwork", "network", NETWORK, ("self_link",)),
]
WORLD = "0.0.0.0/0"


# --- firewall rules -------------------------------------------------------------------

def firewall(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "network.firewall")
    p = res.planned
    direction, disabled, priority = res.declared("direction"), p.get("disabled"), res.declared("priority")
    allow, deny = p["allow"].items(), p["deny"].items()
    ranges, tags, accounts = res.declared("source_ranges"), p.get("source_tags"), p.get("source_service_accounts")
    destinations = res.declared("destination_ranges")
    if disabled is True:
        c.set("rules", [])
    elif not known(direction, disabled, priority, allow, deny):
        c.set("rules", UNKNOWN)
    else:
        ingress = str(direction or "INGRESS").upper() == "INGRESS"
        if ingress:
            if not known(ranges):
                sources = UNKNOWN
            else:
                groups = [*_listed_or_placeholder(tags, "tag"), *_listed_or_placeholder(accounts, "service-account")]
                sources = list(ranges or []) + groups or [WORLD]
        else:
            sources = UNKNOWN if destinations is UNKNOWN else list(destinations or [WORLD])
        rules = []
        for action, blocks in (("allow", allow), ("deny", deny)):
            for b in blocks:
                protocol, ports = b.get("protocol"), b.get("ports")
                span = UNKNOWN if ports is UNKNOWN else canonical_firewall.port_specs(ports or [])
                if not known(protocol, span, sources):
                    rules = UNKNOWN
                    break
                rules.append(canonical_firewall.rule("ingress" if ingress else "egress", action, protocol, span or None,
                                                     sources, priority if isinstance(priority, int) else None))
            if rules is UNKNOWN:
                break
        c.set("rules", rules)
    return [describe(c, res, ctx, tags_attr="labels").build()]


def _listed_or_placeholder(value, kind):
    """Source tags and service accounts name instances, never the internet."""
    if value is UNKNOWN:
        return [f"{kind} (known after apply)"]
    return [f"{kind}:{v}" for v in value or []]


# --- disks and instances ---------------------------------------------------------------

def _key_type(block: Planned, *attrs):
    values = [block.get(a) for a in attrs]
    if any(v is UNKNOWN for v in values):
        return UNKNOWN
    return "customer" if any(values) else "provider"


def disk(res: PlannedResource, ctx: Context) -> list[dict]:
    key = res.planned.first("disk_encryption_key")
    c = backups_not_in_plan(Canonical(res, "compute.disk").set("encrypted", True))
    c.set("key_type", UNKNOWN if key.unknown else _key_type(key, "kms_key_self_link", "raw_key", "rsa_encrypted_key"))
    zones = zone_names.zones(res.get("replica_zones") if res.type == "google_compute_region_disk" else res.get("zone"))
    c.top("zones", zones)
    return [describe(c, res, ctx, tags_attr="labels").build()]


def instance(res: PlannedResource, ctx: Context) -> list[dict]:
    forward = res.get("can_ip_forward")
    c = Canonical(res, "compute.instance").set("anti_spoofing", forward if forward is UNKNOWN else (forward is not True))
    nics = res.planned["network_interface"].items()
    if nics is UNKNOWN:
        c.set("public_ips", UNKNOWN)
    else:
        public, unknown = [], False
        for nic in nics:
            configs = nic["access_config"].items()
            if configs is UNKNOWN:
                unknown = True
                continue
            for cfg in configs:
                ip = cfg.get("nat_ip")
                if isinstance(ip, str) and ip:
                    public.append(ip)
                else:
                    unknown = True   # an ephemeral public address is allocated at apply
        c.set("public_ips", UNKNOWN if unknown else public)
    metadata = res.get("metadata")
    for attr, key in (("os_login_enabled", "enable-oslogin"), ("serial_port_enabled", "serial-port-enable")):
        # Not set on the instance: the project's metadata decides, which the plan does not show.
        value = metadata if metadata is UNKNOWN else (metadata or {}).get(key)
        c.set(attr, value if value is UNKNOWN or value is None else str(value).strip().upper() in ("TRUE", "1", "Y", "YES"))
    zone = zone_names.zones(res.get("zone"))
    c.top("zones", zone)
    out = [describe(c, res, ctx, tags_attr="labels").build()]
    boot = res.planned.first("boot_disk")
    d = backups_not_in_plan(Canonical(res, "compute.disk", id_=f"{res.address}.boot_disk",
                                      native_type=f"{res.type}.boot_disk").set("encrypted", True))
    d.set("key_type", UNKNOWN if boot.unknown else _key_type(boot, "kms_key_self_link", "disk_encryption_key_raw"))
    d.top("zones", zone)
    d.top("name", f"{res.addr.name} boot_disk")
    d.top("region", ctx.region(res))
    out.append(d.build())
    return out


# --- storage ------------------------------------------------------------------------------

def _iam_members(res: PlannedResource):
    """The members a bucket IAM binding, member, policy or ACL grants to (UNKNOWN when
    known only after apply)."""
    if res.type == "google_storage_bucket_iam_binding":
        return res.get("members")
    if res.type == "google_storage_bucket_iam_member":
        member = res.get("member")
        return member if member is UNKNOWN else [member]
    if res.type == "google_storage_bucket_acl":
        entities = res.get("role_entity")
        return entities if entities is UNKNOWN else [str(e).split(":", 1)[-1] for e in entities or []]
    text = res.get("policy_data")
    if text is UNKNOWN:
        return UNKNOWN
    doc = parse_document(text) or {}
    return [m for b in doc.get("bindings", []) if isinstance(b, dict) for m in b.get("members", []) if isinstance(m, str)]


def storage_bucket(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "storage.bucket").set("default_encryption", True)
    enc = res.planned.first("encryption")
    c.set("key_type", UNKNOWN if enc.unknown else _key_type(enc, "default_kms_key_name"))
    uniform = res.declared("uniform_bucket_level_access")
    c.set("uniform_access", uniform if uniform is not None else res.declared("bucket_policy_only"))
    prevention = res.get("public_access_prevention")
    if prevention == "enforced":
        c.set("public", False).set("public_via", [])
    else:
        via, unknown = [], ctx.uncertain(res.address, "bucket_iam")
        for grant in ctx.attached(res.address, "bucket_iam"):
            members = _iam_members(grant)
            if members is UNKNOWN:
                unknown = True
                continue
            via += [f"{grant.type.removeprefix('google_storage_')} grants access to {m}" for m in members or [] if m in PUBLIC_MEMBERS]
        if via:
            c.set("public", True).set("public_via", via)
        elif unknown or prevention is UNKNOWN:
            c.set("public", UNKNOWN)
    for attr, value in _bucket_copies_and_versions(res).items():
        c.set(attr, value)
    return [describe(c, res, ctx, tags_attr="labels").build()]


# Cloud Storage multi-regions and predefined dual-regions, by location name.
GCS_MULTI_REGIONS = frozenset({"US", "EU", "ASIA"})
GCS_DUAL_REGIONS = frozenset({"ASIA1", "EUR4", "EUR5", "EUR7", "EUR8", "NAM4"})
GCS_WHOLE_BUCKET = frozenset({"age", "days_since_noncurrent_time", "with_state", "num_newer_versions", "created_before",
                              "noncurrent_time_before", "days_since_custom_time", "custom_time_before"})


def _bucket_copies_and_versions(res: PlannedResource) -> dict:
    """As the live normaliser reads the asset: a multi-region or (predefined or custom)
    dual-region location keeps the data in several regions; versioning; Delete lifecycle
    rules over the whole bucket that reach noncurrent versions; soft delete (the
    provider's default, 7 days, when the block is not written)."""
    location = res.get("location")
    placement = res.planned.first("custom_placement_config")
    if location is UNKNOWN or placement.unknown:
        multi, where = UNKNOWN, UNKNOWN
    else:
        name = str(location or "").upper()
        regions = placement.get("data_locations") if placement.value is not None else None
        multi = bool(name) and (name in GCS_MULTI_REGIONS or name in GCS_DUAL_REGIONS or bool(regions)) if location else None
        where = None if multi is None else (sorted(str(r).lower() for r in regions) if regions else [name.lower()]) if multi else []
    versioning = res.planned.first("versioning")
    enabled = UNKNOWN if versioning.unknown else (versioning.get("enabled") is True if versioning.value is not None else False)
    rules = res.planned["lifecycle_rule"].items()
    if rules is not UNKNOWN:
        out = []
        for rule in rules:
            action, cond = rule.first("action").get("type"), rule.first("condition")
            if not known(action, cond.value):
                out.append((UNKNOWN, UNKNOWN, UNKNOWN))
                continue
            written = {k for k, v in (cond.value or {}).items() if v not in (None, [], "", 0)}
            live_only = cond.get("with_state") == "LIVE"
            days = cond.get("days_since_noncurrent_time") or cond.get("age")
            out.append((action == "Delete" and not live_only, written <= GCS_WHOLE_BUCKET, days or None))
        rules = out
    expire, days = copies.expiry(rules)
    soft = res.planned.first("soft_delete_policy")
    seconds = UNKNOWN if soft.unknown else (soft.get("retention_duration_seconds") if soft.value is not None else 604800)
    return {"cross_region_copy": multi, "copy_regions": where, "versioning": enabled, "versions_expire": expire,
            "noncurrent_expiry_days": days,
            "soft_delete_days": seconds if seconds is UNKNOWN or seconds is None else int(seconds) // 86400}


# --- Cloud SQL -------------------------------------------------------------------------------

def sql_instance(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "db.instance").set("storage_encrypted", True)
    c.set("engine", res.get("database_version"))
    settings = res.planned.first("settings")
    ip = settings.first("ip_configuration")
    c.set("public", ip.get("ipv4_enabled"))
    backup = settings.first("backup_configuration")
    enabled = backup.get("enabled")
    retained = backup.first("backup_retention_settings").get("retained_backups")
    if enabled is False:
        c.set("backup_retention_days", 0)
    elif enabled is True:
        c.set("backup_retention_days", retained)
    else:
        c.set("backup_retention_days", enabled)
    mode, require = ip.get("ssl_mode"), ip.get("require_ssl")
    if isinstance(mode, str) and mode:
        c.set("tls.enforced", mode != "ALLOW_UNENCRYPTED_AND_ENCRYPTED")
    else:
        c.set("tls.enforced", require if require is not None else mode)
    availability = settings.get("availability_type")
    c.set("multi_az", availability if availability is UNKNOWN else (availability == "REGIONAL" if availability else None))
    # A REGIONAL instance fails over to its standby; the provider's default is ZONAL.
    c.set("automatic_failover", availability if availability is UNKNOWN else availability == "REGIONAL")
    zone = settings.first("location_preference").get("zone")
    if availability == "ZONAL" or availability is None:
        c.top("zones", [zone] if isinstance(zone, str) and zone else UNKNOWN)
    else:
        c.top("zones", UNKNOWN)   # regional: its two zones are chosen at apply
    return [describe(c, res, ctx, tags_attr="labels").build()]


# --- GKE -------------------------------------------------------------------------------------

def container_cluster(res: PlannedResource, ctx: Context) -> list[dict]:
    private = res.planned.first("private_cluster_config").get("enable_private_endpoint")
    c = Canonical(res, "k8s.cluster").set("endpoint_public", private if private is UNKNOWN else private is not True)
    if private is not True:
        networks = res.planned.first("master_authorized_networks_config")
        blocks = networks["cidr_blocks"].items() if not networks.unknown else UNKNOWN
        if blocks is UNKNOWN:
            c.set("authorized_cidrs", UNKNOWN)
        else:
            cidrs = [b.get("cidr_block") for b in blocks]
            c.set("authorized_cidrs", UNKNOWN if any(x is UNKNOWN for x in cidrs) else [x for x in cidrs if x])
    location, nodes = res.get("location"), res.get("node_locations")
    multi_zone = location if location is UNKNOWN else control_plane.gke_multi_zone(location)
    if multi_zone is not None:
        c.set("control_plane_multi_zone", multi_zone)   # a region: replicated; a zone: one replica
    if isinstance(location, str) and location.count("-") >= 2 and known(nodes):   # a zone such as asia-northeast1-a
        c.top("zones", sorted({location, *(nodes or [])}))
    elif isinstance(nodes, list) and nodes:
        c.top("zones", sorted(nodes))
    else:
        c.top("zones", UNKNOWN)
    return [describe(c, res, ctx, tags_attr="labels").build()]


# --- networks ---------------------------------------------------------------------------

PROXY_ONLY_PURPOSES = {"REGIONAL_MANAGED_PROXY", "GLOBAL_MANAGED_PROXY", "INTERNAL_HTTPS_LOAD_BALANCER", "PRIVATE_SERVICE_CONNECT"}


def _subnet_flow_logs(subnet: PlannedResource):
    """A subnetwork records flows when it has a log_config block (enable_flow_logs on older
    providers); UNKNOWN while either is known only after apply."""
    configs = subnet.planned["log_config"].items()
    if configs is UNKNOWN:
        return UNKNOWN
    if configs:
        return True
    legacy = subnet.get("enable_flow_logs")
    return legacy if legacy is UNKNOWN else legacy is True


def network(res: PlannedResource, ctx: Context) -> list[dict]:
    """A VPC network as the live collector reads it: flow logs recorded when every subnet
    that carries VM traffic logs them. A network the plan creates in custom mode holds the
    subnetworks the plan attaches; in auto mode Google adds one subnetwork per region,
    without flow logs; the subnets of a network the plan does not create are not all in it."""
    c = Canonical(res, "network.vpc")
    auto = res.get("auto_create_subnetworks")
    c.set("mode", auto if auto is UNKNOWN else ("auto" if auto is not False else "custom"))
    subnets = [s for s in ctx.attached(res.address, "subnetwork") if s.get("purpose") not in PROXY_ONLY_PURPOSES]
    logs = [_subnet_flow_logs(s) for s in subnets]
    c.set("subnets", sorted(s.address for s in ctx.attached(res.address, "subnetwork")))
    if any(v is False for v in logs) or auto is True or (auto is None and res.creating):
        enabled = False
    elif any(v is UNKNOWN for v in logs) or auto is UNKNOWN or ctx.uncertain(res.address, "subnetwork"):
        enabled = UNKNOWN
    elif res.creating:
        enabled = True
    else:
        enabled = None
    c.set("flow_logs_enabled", enabled)
    c.set("subnets_without_flow_logs", sorted(s.address for s, v in zip(subnets, logs) if v is False))
    return [describe(c, res, ctx, tags_attr="labels").top("region", "global").build()]


# --- keys and proxies -----------------------------------------------------------------------

def crypto_key(res: PlannedResource, ctx: Context) -> list[dict]:
    """As the live collector reads a CryptoKey asset: rotation is a rotation period, and
    Cloud KMS rotates only symmetric ENCRYPT_DECRYPT keys (collectors/canonical/keys.py).
    version_template is computed: a configuration that does not write it gets Cloud KMS's
    default template (GOOGLE_SYMMETRIC_ENCRYPTION, protection level SOFTWARE), as the live
    asset without a versionTemplate does, not a template known only after apply."""
    period, purpose = res.get("rotation_period"), res.declared("purpose")
    template = res.planned.first("version_template") if res.declared("version_template") is not None else Planned(None)
    level, algorithm = template.get("protection_level"), template.get("algorithm")
    days = None
    if isinstance(period, str) and period:
        seconds = period.removesuffix("s")
        days = int(float(seconds)) // 86400 if seconds.replace(".", "", 1).isdigit() else None
    c = Canonical(res, "kms.key")
    for attr, value in keys.kms_key(
            managed_by="customer", rotation_enabled=period if period is UNKNOWN else bool(period), rotation_period_days=days,
            rotation_supported=keys.gcp_rotation_supported(purpose, level), key_spec=algorithm, key_usage=purpose,
            purpose=purpose, protection_level=level).items():
        c.set(attr, value)
    return [describe(c, res, ctx, tags_attr="labels").build()]


def _proxy_min_tls(res: PlannedResource, ctx: Context):
    policy = ctx.lookup_one(res, "ssl_policy", SSL_POLICY, ("self_link",))
    if policy is UNKNOWN:
        return UNKNOWN, None
    if policy is not None:
        floor = policy.get("min_tls_version")
        return (UNKNOWN if floor is UNKNOWN else canonical_tls.version(floor or "TLS_1_0")), policy.address
    if res.get("ssl_policy") is None:
        return "1.0", "Google default SSL policy (COMPATIBLE, TLS 1.0)"
    return None, res.get("ssl_policy")   # a policy outside the plan


def tls_proxy(res: PlannedResource, ctx: Context) -> list[dict]:
    protocol = "HTTPS" if "https" in res.type else "TLS"
    c = Canonical(res, "lb.listener").set("protocol", protocol).set("tls.enforced", True)
    minimum, policy = _proxy_min_tls(res, ctx)
    c.set("tls.min_version", minimum).set("tls.policy", policy)
    return [describe(c, res, ctx, tags_attr="labels").build()]


def http_proxy(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "lb.listener").set("protocol", "HTTP")
    url_map = ctx.lookup_one(res, "url_map", URL_MAP, ("self_link",))
    if url_map is UNKNOWN:
        c.set("tls.enforced", UNKNOWN)
    elif url_map is None:
        c.set("tls.enforced", None if res.get("url_map") else False)
    else:
        redirect = url_map.planned.first("default_url_redirect").get("https_redirect")
        c.set("tls.enforced", redirect if redirect is UNKNOWN else redirect is True)
    return [describe(c, res, ctx, tags_attr="labels").build()]


# --- site-to-site VPN (GM-VPN-001) ----------------------------------------------------------

def ha_vpn_gateway(res: PlannedResource, ctx: Context) -> list[dict]:
    """Two interfaces; whether a tunnel is up on each is runtime state, not in a plan."""
    c = Canonical(res, "network.vpn").set("vpn_kind", "gcp_ha_vpn").set("gateway_interfaces", 2)
    c.set("not_collected", {"tunnels_up": "a plan does not hold the tunnels' state"})
    return [describe(c, res, ctx, tags_attr="labels").build()]


def classic_vpn_gateway(res: PlannedResource, ctx: Context) -> list[dict]:
    """A Classic VPN gateway: one interface, whatever its tunnels; whether it is in use, and
    whether another link is its alternative path, are not in a plan."""
    c = Canonical(res, "network.vpn").set("vpn_kind", "gcp_classic_vpn").set("gateway_interfaces", 1)
    c.set("not_collected", {"tunnels_up": "a plan does not hold the tunnels' state"})
    return [describe(c, res, ctx, tags_attr="labels").build()]


NORMALISERS = {
    "google_compute_firewall": firewall,
    "google_compute_disk": disk,
    "google_compute_region_disk": disk,
    "google_compute_instance": instance,
    "google_storage_bucket": storage_bucket,
    "google_sql_database_instance": sql_instance,
    "google_container_cluster": container_cluster,
    "google_compute_ha_vpn_gateway": ha_vpn_gateway,
    "google_compute_vpn_gateway": classic_vpn_gateway,
    "google_kms_crypto_key": crypto_key,
    "google_compute_network": network,
    "google_compute_target_https_proxy": tls_proxy,
    "google_compute_region_target_https_proxy": tls_proxy,
    "google_compute_target_ssl_proxy": tls_proxy,
    "google_compute_target_http_proxy": http_proxy,
    "google_compute_region_target_http_proxy": http_proxy,
}
SUPPORTING = frozenset(SSL_POLICY | URL_MAP)
LONE: dict = {}
