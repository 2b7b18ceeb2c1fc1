"""AWS provider resources of a plan → canonical resources (mappings/resource-types.yaml).

Facts of the platform that the plan does not spell out, and that are used here:
- A new security group starts with no inbound rule, and the provider revokes AWS's
  default egress rule at creation; so a group being created whose inline rules are
  "known after apply" only because none are written holds exactly the separate rule
  resources attached to it.
- A security group has no deny rule, so a separate rule whose group is outside the plan
  is judged on its own (as a one-rule firewall named by the rule's address).
Everything else the plan does not show (a bucket policy written elsewhere, a parameter
group outside the plan) stays absent: NOT_EVALUATED, never PASS.
"""

import re

from . import policy_documents as pd
from .common import describe, lone_firewall, tls_floor
from .context import Attach, Canonical, Context
from .plan import PlannedResource
from .values import UNKNOWN, Planned, known

SG_TYPES = frozenset({"aws_security_group", "aws_default_security_group"})
BUCKET = frozenset({"aws_s3_bucket"})
SUBNET = frozenset({"aws_subnet"})
LB = frozenset({"aws_lb", "aws_alb"})

ATTACHMENTS = [
    Attach("aws_security_group_rule", "sg_rule", "security_group_id", SG_TYPES, ("id",)),
    Attach("aws_vpc_security_group_ingress_rule", "sg_rule", "security_group_id", SG_TYPES, ("id",)),
    Attach("aws_vpc_security_group_egress_rule", "sg_rule", "security_group_id", SG_TYPES, ("id",)),
    Attach("aws_s3_bucket_server_side_encryption_configuration", "s3_sse", "bucket", BUCKET, ("bucket",)),
    Attach("aws_s3_bucket_public_access_block", "s3_pab", "bucket", BUCKET, ("bucket",)),
    Attach("aws_s3_bucket_policy", "s3_policy", "bucket", BUCKET, ("bucket",)),
    Attach("aws_s3_bucket_acl", "s3_acl", "bucket", BUCKET, ("bucket",)),
]

PROTOCOLS = {"-1": "all", "all": "all", "6": "tcp", "tcp": "tcp", "17": "udp", "udp": "udp",
             "1": "icmp", "icmp": "icmp", "58": "icmpv6", "icmpv6": "icmpv6"}
PUBLIC_ACLS = {"public-read": "ACL public-read", "public-read-write": "ACL public-read-write",
               "authenticated-read": "ACL authenticated-read (any AWS account)"}
PUBLIC_GRANTEES = ("http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")
SG_PLACEHOLDER = "security-group (known after apply)"


# --- security groups -------------------------------------------------------------

def _protocol(value):
    text = str(value).lower()
    return PROTOCOLS.get(text, text)


def _ports(protocol: str, lo, hi) -> list:
    if protocol in ("all", "icmp", "icmpv6") or lo is None or hi is None:
        return []
    if lo == -1 and hi == -1:
        return []
    return [{"from": int(lo), "to": int(hi)}]


def _rule(direction, protocol, lo, hi, sources) -> dict:
    proto = _protocol(protocol)
    return {"direction": direction, "action": "allow", "protocol": proto,
            "port_ranges": _ports(proto, lo, hi), "sources": sources}


def _group_refs(*values) -> list[str]:
    """Source security groups and prefix lists: never a world CIDR, so an unknown id is
    kept as a placeholder rather than making the rule unknown."""
    out = []
    for v in values:
        if v is UNKNOWN:
            out.append(SG_PLACEHOLDER)
        elif isinstance(v, list):
            out.extend(str(x) for x in v if x)
        elif isinstance(v, str) and v:
            out.append(v)
    return out


def inline_rule(p: Planned, direction: str):
    proto, lo, hi = p.get("protocol"), p.get("from_port"), p.get("to_port")
    cidrs, v6, self_ = p.get("cidr_blocks"), p.get("ipv6_cidr_blocks"), p.get("self")
    if not known(proto, lo, hi, cidrs, v6, self_):
        return UNKNOWN
    sources = [*(cidrs or []), *(v6 or []), *_group_refs(p.get("prefix_list_ids"), p.get("security_groups"))]
    if self_ is True:
        sources.append("self")
    return _rule(direction, proto, lo, hi, sources)


def separate_rule(res: PlannedResource):
    p = res.planned
    if res.type == "aws_security_group_rule":
        direction = p.get("type")
        if direction is UNKNOWN:
            return UNKNOWN
        rule = inline_rule(p, direction)
        if rule is not UNKNOWN:
            rule["sources"] += _group_refs(res.declared("source_security_group_id"))
        return rule
    direction = "ingress" if res.type.endswith("ingress_rule") else "egress"
    proto, lo, hi = p.get("ip_protocol"), p.get("from_port"), p.get("to_port")
    v4, v6 = p.get("cidr_ipv4"), p.get("cidr_ipv6")
    if not known(proto, lo, hi, v4, v6):
        return UNKNOWN
    sources = [c for c in (v4, v6) if c] + _group_refs(p.get("prefix_list_id"), p.get("referenced_security_group_id"))
    return _rule(direction, proto, lo, hi, sources)


def security_group(res: PlannedResource, ctx: Context) -> list[dict]:
    rules, unknown = [], False
    for direction in ("ingress", "egress"):
        items = res.planned[direction].items()
        if items is UNKNOWN:
            unknown = unknown or not res.creating
            continue
        for item in items:
            rule = inline_rule(item, direction)
            unknown = unknown or rule is UNKNOWN
            if rule is not UNKNOWN:
                rules.append(rule)
    for rule_res in ctx.attached(res.address, "sg_rule"):
        rule = separate_rule(rule_res)
        unknown = unknown or rule is UNKNOWN
        if rule is not UNKNOWN:
            rules.append(rule)
    unknown = unknown or ctx.uncertain(res.address, "sg_rule")
    c = Canonical(res, "network.firewall").set("rules", UNKNOWN if unknown else rules)
    return [describe(c, res, ctx, "name").build()]


def lone_rule(res: PlannedResource, ctx: Context) -> list[dict]:
    return lone_firewall(res, ctx, separate_rule(res), res.get("security_group_id"))


# --- disks, instances -------------------------------------------------------------

def _key_type(encrypted, kms_key):
    if encrypted is not True:
        return None
    if kms_key is UNKNOWN:
        return UNKNOWN
    if isinstance(kms_key, str) and kms_key and not kms_key.endswith("alias/aws/ebs"):
        return "customer"
    return "provider"


def ebs_volume(res: PlannedResource, ctx: Context) -> list[dict]:
    encrypted = res.get("encrypted")
    c = Canonical(res, "compute.disk").set("encrypted", encrypted).set("key_type", _key_type(encrypted, res.get("kms_key_id")))
    az = res.get("availability_zone")
    c.top("zones", [az] if isinstance(az, str) else az)
    return [describe(c, res, ctx, None).build()]


def _block_disk(res: PlannedResource, ctx: Context, block: Planned, label: str) -> dict:
    c = Canonical(res, "compute.disk", id_=f"{res.address}.{label}", native_type=f"{res.type}.{label.split('[')[0]}")
    if block.value is None and not block.unknown:
        encrypted = UNKNOWN   # the volume comes from the image: its encryption is settled at apply
    else:
        encrypted = block.get("encrypted")
    c.set("encrypted", encrypted).set("key_type", _key_type(encrypted, block.get("kms_key_id")))
    c.top("name", f"{res.addr.name} {label}")
    c.top("region", ctx.region(res))
    return c.build()


def instance(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "compute.instance")
    c.set("anti_spoofing", res.get("source_dest_check"))
    tokens = res.planned.first("metadata_options").get("http_tokens")
    c.set("imds_v2_required", tokens if tokens is UNKNOWN else (tokens == "required" if tokens else None))
    public = res.get("associate_public_ip_address")
    c.set("public_ips", [] if public is False else UNKNOWN)
    c.set("firewalls", firewall_ids(res, ctx, "vpc_security_group_ids"))
    subnet = res.get("subnet_id")
    c.set("subnet", subnet)
    az = res.get("availability_zone")
    c.top("zones", [az] if isinstance(az, str) else az)
    out = [describe(c, res, ctx, None).build()]
    out.append(_block_disk(res, ctx, res.planned.first("root_block_device"), "root_block_device"))
    devices = res.planned["ebs_block_device"].items()
    if devices is UNKNOWN:
        # Devices written in the configuration but settled at apply; none written, none added.
        if res.config is None or res.expression("ebs_block_device"):
            out.append(_block_disk(res, ctx, Planned(None, True), "ebs_block_device"))
    else:
        for i, dev in enumerate(devices):
            name = dev.get("device_name")
            out.append(_block_disk(res, ctx, dev, f"ebs_block_device[{name if isinstance(name, str) else i}]"))
    return out


def firewall_ids(res: PlannedResource, ctx: Context, attr: str):
    """Canonical ids of the security groups named by `attr`: plan addresses for groups in
    the plan, the literal id for groups outside it."""
    value = res.get(attr)
    found = ctx.resolve(res, SG_TYPES, attr)
    if value is UNKNOWN:
        return sorted(found) if found else UNKNOWN
    ids = set(found)
    for v in value or []:
        in_plan = ctx.find(SG_TYPES, ("id",), (str(v),))
        ids.add(in_plan[0].address if len(in_plan) == 1 else str(v))
    return sorted(ids)


# --- buckets ----------------------------------------------------------------------

def _sse(rule: Planned):
    """(default_encryption, key_type) from a server-side encryption rule block."""
    default = rule.first("apply_server_side_encryption_by_default")
    algorithm, key = default.get("sse_algorithm"), default.get("kms_master_key_id")
    if algorithm is UNKNOWN:
        return UNKNOWN, UNKNOWN
    if not algorithm:
        return False, None
    if key is UNKNOWN:
        return True, UNKNOWN
    return True, "customer" if key and not str(key).endswith("alias/aws/s3") else "provider"


def _bucket_encryption(res: PlannedResource, ctx: Context):
    separate = ctx.attached(res.address, "s3_sse")
    if len(separate) > 1 or ctx.uncertain(res.address, "s3_sse"):
        return UNKNOWN, UNKNOWN
    if separate:
        rules = separate[0].planned["rule"].items()
    else:
        configs = res.planned["server_side_encryption_configuration"].items()
        if configs is UNKNOWN:
            return UNKNOWN, UNKNOWN
        if not configs:
            return False, None
        rules = configs[0]["rule"].items()
    if rules is UNKNOWN:
        return UNKNOWN, UNKNOWN
    results = [_sse(r) for r in rules] or [(False, None)]
    if any(enc is True for enc, _ in results):
        return True, next(k for enc, k in results if enc is True)
    if any(enc is UNKNOWN for enc, _ in results):
        return UNKNOWN, UNKNOWN
    return False, None


def _acl_grants(acl, grants) -> tuple[list[str], bool]:
    """(what makes it public, whether something relevant is unknown)."""
    via, unknown = [], False
    if acl is UNKNOWN:
        unknown = True
    elif acl in PUBLIC_ACLS:
        via.append(PUBLIC_ACLS[acl])
    if grants is UNKNOWN:
        return via, True
    for g in grants:
        uri = g.get("uri")
        if uri is None:
            uri = g.get("grantee", 0, "uri")
        if uri is UNKNOWN:
            unknown = True
        elif uri in PUBLIC_GRANTEES:
            via.append(f"ACL grant to {uri.rsplit('/', 1)[-1]}")
    return via, unknown


def _bucket_acls(res: PlannedResource, ctx: Context) -> tuple[list[str], bool]:
    grants = res.planned["grant"].items()
    if grants is UNKNOWN and res.declared("grant") is None:
        grants = []   # computed by provider v4+, written in no configuration
    via, unknown = _acl_grants(res.declared("acl"), grants)
    for acl_res in ctx.attached(res.address, "s3_acl"):
        policy = acl_res.planned.first("access_control_policy")
        v, u = _acl_grants(acl_res.get("acl"), policy["grant"].items())
        via, unknown = via + v, unknown or u
    return via, unknown or ctx.uncertain(res.address, "s3_acl")


def _bucket_policies(res: PlannedResource, ctx: Context) -> tuple[list, bool]:
    """(policy documents the plan sets on the bucket, whether one is unknown)."""
    texts = [res.declared("policy")] + [p.get("policy") for p in ctx.attached(res.address, "s3_policy")]
    unknown = any(t is UNKNOWN for t in texts) or ctx.uncertain(res.address, "s3_policy")
    docs = [pd.parse_document(t) for t in texts if t is not UNKNOWN and t]
    return [d for d in docs if d is not None], unknown


def _bucket_public(res: PlannedResource, ctx: Context, docs: list, policy_unknown: bool):
    acl_via, acl_unknown = _bucket_acls(res, ctx)
    policy_via = [g for d in docs for g in pd.public_grants(d)]
    blocks = ctx.attached(res.address, "s3_pab")
    block = blocks[0] if len(blocks) == 1 and not ctx.uncertain(res.address, "s3_pab") else None
    ignore_acls = block.get("ignore_public_acls") if block else (UNKNOWN if blocks or ctx.uncertain(res.address, "s3_pab") else None)
    restrict = block.get("restrict_public_buckets") if block else ignore_acls
    effective, unknown = [], False
    for via, blocker, unknown_grants in ((acl_via, ignore_acls, acl_unknown), (policy_via, restrict, policy_unknown)):
        if blocker is True:
            continue
        effective += via
        unknown = unknown or (blocker is UNKNOWN and bool(via)) or unknown_grants
    if effective:
        return True, effective
    if ignore_acls is True and restrict is True:
        return False, []
    return (UNKNOWN if unknown else None), None


def _bucket_tls(docs: list, policy_unknown: bool):
    if policy_unknown:
        return UNKNOWN, None
    if not docs:
        return None, None   # no policy in the plan: one set elsewhere cannot be ruled out
    enforced = any(pd.denies_insecure_transport(d) for d in docs)
    return enforced, (min((v for d in docs if (v := pd.minimum_tls(d))), default=None) if enforced else None)


def s3_bucket(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "storage.bucket")
    encrypted, key_type = _bucket_encryption(res, ctx)
    c.set("default_encryption", encrypted).set("key_type", key_type)
    docs, policy_unknown = _bucket_policies(res, ctx)
    public, via = _bucket_public(res, ctx, docs, policy_unknown)
    c.set("public", public).set("public_via", via)
    enforced, minimum = _bucket_tls(docs, policy_unknown)
    c.set("tls.enforced", enforced).set("tls.min_version", minimum)
    if enforced is True:
        c.set("tls.policy", "aws:SecureTransport deny")
    return [describe(c, res, ctx, "bucket").build()]


# --- databases ----------------------------------------------------------------------

PARAMETER_GROUPS = frozenset({"aws_db_parameter_group"})
CLUSTER_PARAMETER_GROUPS = frozenset({"aws_rds_cluster_parameter_group"})
FORCE_TLS = ("rds.force_ssl", "require_secure_transport")
TLS_FLOOR = ("ssl_min_protocol_version", "tls_version")


def _db_tls(res: PlannedResource, ctx: Context, attr: str, types: frozenset):
    """TLS from the parameter group the plan creates; absent when the group is outside it."""
    group = ctx.lookup_one(res, attr, types, ("name",))
    if group is None:
        return None, None
    if group is UNKNOWN:
        return UNKNOWN, UNKNOWN
    params = group.planned["parameter"].items()
    if params is UNKNOWN:
        return UNKNOWN, UNKNOWN
    enforced = minimum = None
    for p in params:
        name, value = p.get("name"), p.get("value")
        if name in FORCE_TLS:
            enforced = value if value is UNKNOWN else str(value).lower() in ("1", "on", "true")
        elif name in TLS_FLOOR:
            minimum = value if value is UNKNOWN else tls_floor(str(value))
    return enforced, (minimum if enforced is True else None)


def db_instance(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "db.instance")
    c.set("engine", res.get("engine"))
    c.set("storage_encrypted", res.get("storage_encrypted"))
    c.set("public", res.get("publicly_accessible"))
    multi_az = res.get("multi_az")
    c.set("multi_az", multi_az)
    c.set("backup_retention_days", res.get("backup_retention_period"))
    enforced, minimum = _db_tls(res, ctx, "parameter_group_name", PARAMETER_GROUPS)
    c.set("tls.enforced", enforced).set("tls.min_version", minimum)
    # The zone names may be chosen at apply, but how many zones there are is known from
    # multi_az: one, or a primary and a standby in another zone.
    az = res.get("availability_zone")
    primary = az if isinstance(az, str) and az else "zone chosen at apply"
    if multi_az is False:
        c.top("zones", [primary])
    elif multi_az is True:
        c.top("zones", [primary, "standby zone chosen at apply"])
    else:
        c.top("zones", UNKNOWN)
    return [describe(c, res, ctx, "identifier").build()]


def rds_cluster(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "db.instance")
    c.set("engine", res.get("engine"))
    c.set("storage_encrypted", res.get("storage_encrypted"))
    c.set("backup_retention_days", res.get("backup_retention_period"))
    enforced, minimum = _db_tls(res, ctx, "db_cluster_parameter_group_name", CLUSTER_PARAMETER_GROUPS)
    c.set("tls.enforced", enforced).set("tls.min_version", minimum)
    zones = res.get("availability_zones")
    c.top("zones", sorted(zones) if isinstance(zones, list) and zones else UNKNOWN)
    return [describe(c, res, ctx, "cluster_identifier").build()]


# --- keys ---------------------------------------------------------------------------

def kms_key(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "kms.key").set("managed_by", "customer")
    c.set("enabled", res.get("is_enabled"))
    c.set("rotation_enabled", res.get("enable_key_rotation"))
    c.set("rotation_period_days", res.get("rotation_period_in_days"))
    return [describe(c, res, ctx, "description").build()]


# --- load balancers -------------------------------------------------------------------

def elb_policy_min_tls(name: str) -> str | None:
    """The minimum TLS version of an ELB predefined security policy, by its name."""
    for pattern in (r"TLS13-1-([0-3])", r"TLS-1-([0-3])", r"FS-1-([0-3])"):
        m = re.search(pattern, name)
        if m:
            return f"1.{m.group(1)}"
    if re.fullmatch(r"ELBSecurityPolicy-(2016-08|2015-05|FS-2018-06)", name):
        return "1.0"
    return None


def _listener_tls(protocol, policy):
    if protocol is UNKNOWN:
        return UNKNOWN, UNKNOWN, None
    if str(protocol).upper() not in ("HTTPS", "TLS", "SSL"):
        return False, None, None
    if policy is UNKNOWN:
        return True, UNKNOWN, None
    return True, (elb_policy_min_tls(policy) if isinstance(policy, str) else None), policy


def _redirects_to_https(res: PlannedResource):
    actions = res.planned["default_action"].items()
    if actions is UNKNOWN:
        return UNKNOWN
    for a in actions:
        if a.get("type") == "redirect" and str(a.first("redirect").get("protocol")).upper() == "HTTPS":
            return True
    return False


def lb_listener(res: PlannedResource, ctx: Context) -> list[dict]:
    protocol, port = res.get("protocol"), res.get("port")
    c = Canonical(res, "lb.listener").set("protocol", protocol if protocol is UNKNOWN else (str(protocol).upper() if protocol else None))
    c.set("port", port)
    enforced, minimum, policy = _listener_tls(protocol, res.get("ssl_policy"))
    if enforced is False and str(protocol).upper() == "HTTP":
        enforced = _redirects_to_https(res)
        if enforced is True:
            minimum = _sibling_tls(res, ctx)
    c.set("tls.enforced", enforced).set("tls.min_version", minimum).set("tls.policy", policy)
    return [describe(c, res, ctx, None).build()]


def _sibling_tls(res: PlannedResource, ctx: Context):
    """An HTTP listener that only redirects: the lowest TLS of its load balancer's HTTPS
    listeners in the plan (absent when there is none to read)."""
    lb = ctx.lookup_one(res, "load_balancer_arn", LB, ("arn",))
    if lb is None or lb is UNKNOWN:
        return None
    port = next((a.first("redirect").get("port") for a in res.planned["default_action"].items() if a.get("type") == "redirect"), None)
    siblings = _listeners_by_lb(ctx).get(lb.address, [])
    if isinstance(port, str) and port.isdigit():   # "#{port}" keeps the port: every sibling may serve it
        siblings = [s for s in siblings if s.get("port") == int(port)]
    versions = []
    for other in siblings:
        enforced, minimum, _ = _listener_tls(other.get("protocol"), other.get("ssl_policy"))
        if enforced is True:
            versions.append(minimum)
    if not versions or any(v is None for v in versions):
        return None
    return UNKNOWN if any(v is UNKNOWN for v in versions) else min(versions)


def _listeners_by_lb(ctx: Context) -> dict[str, list]:
    """Listeners grouped by the load balancer they belong to, built once per plan."""
    if "aws_listeners_by_lb" not in ctx.memo:
        groups: dict[str, list] = {}
        for t in ("aws_lb_listener", "aws_alb_listener"):
            for listener in ctx.by_type.get(t, []):
                lb = ctx.lookup_one(listener, "load_balancer_arn", LB, ("arn",))
                if lb is not None and lb is not UNKNOWN:
                    groups.setdefault(lb.address, []).append(listener)
        ctx.memo["aws_listeners_by_lb"] = groups
    return ctx.memo["aws_listeners_by_lb"]


def classic_elb(res: PlannedResource, ctx: Context) -> list[dict]:
    listeners = res.planned["listener"].items()
    if listeners is UNKNOWN:
        c = Canonical(res, "lb.listener", id_=f"{res.address}.listener").set("tls.enforced", UNKNOWN)
        return [describe(c, res, ctx, "name").build()]
    out = []
    for i, item in enumerate(listeners):
        port, protocol = item.get("lb_port"), item.get("lb_protocol")
        c = Canonical(res, "lb.listener", id_=f"{res.address}.listener[{port if isinstance(port, int) else i}]",
                      native_type="aws_elb.listener")
        c.set("protocol", protocol if protocol is UNKNOWN else str(protocol).upper()).set("port", port)
        enforced, _, _ = _listener_tls(protocol, None)
        c.set("tls.enforced", enforced)   # the minimum TLS is set by policies outside the listener
        out.append(describe(c, res, ctx, "name").build())
    return out


def subnet_zones(res: PlannedResource, ctx: Context, *path):
    """Zones of the subnets an expression names, when every one is in the plan with a known
    availability zone."""
    addresses = ctx.resolve(res, SUBNET, *path)
    if not addresses:
        return UNKNOWN
    zones = {ctx.by_address[a].get("availability_zone") for a in addresses}
    if any(not isinstance(z, str) for z in zones):
        return UNKNOWN
    return sorted(zones)


def load_balancer(res: PlannedResource, ctx: Context) -> list[dict]:
    internal = res.get("internal")
    c = Canonical(res, "lb.load_balancer").set("scheme", internal if internal is UNKNOWN else ("internal" if internal else "internet-facing"))
    zones = subnet_zones(res, ctx, "subnets")
    if zones is UNKNOWN:
        mappings = ctx.resolve(res, SUBNET, "subnet_mapping", 0, "subnet_id")
        zones = sorted({ctx.by_address[a].get("availability_zone") for a in mappings}) if mappings else UNKNOWN
        if zones is not UNKNOWN and not all(isinstance(z, str) for z in zones):
            zones = UNKNOWN
    c.top("zones", zones)
    return [describe(c, res, ctx, "name").build()]


# --- Kubernetes -------------------------------------------------------------------------

def eks_cluster(res: PlannedResource, ctx: Context) -> list[dict]:
    vpc = res.planned.first("vpc_config")
    public = vpc.get("endpoint_public_access")
    c = Canonical(res, "k8s.cluster").set("endpoint_public", public)
    if public is not False:
        cidrs = vpc.get("public_access_cidrs")
        if cidrs is UNKNOWN and res.config is not None and not _expression_at(res, "vpc_config", "public_access_cidrs"):
            cidrs = ["0.0.0.0/0"]   # EKS's default for a public endpoint
        c.set("authorized_cidrs", cidrs)
    c.top("zones", subnet_zones(res, ctx, "vpc_config", 0, "subnet_ids"))
    return [describe(c, res, ctx, "name").build()]


def _expression_at(res: PlannedResource, block: str, attr: str) -> bool:
    blocks = res.expression(block)
    return any(isinstance(b, dict) and b.get(attr) for b in (blocks if isinstance(blocks, list) else [blocks]))


NORMALISERS = {
    "aws_security_group": security_group,
    "aws_default_security_group": security_group,
    "aws_ebs_volume": ebs_volume,
    "aws_instance": instance,
    "aws_s3_bucket": s3_bucket,
    "aws_db_instance": db_instance,
    "aws_rds_cluster": rds_cluster,
    "aws_kms_key": kms_key,
    "aws_lb_listener": lb_listener,
    "aws_alb_listener": lb_listener,
    "aws_elb": classic_elb,
    "aws_lb": load_balancer,
    "aws_alb": load_balancer,
    "aws_eks_cluster": eks_cluster,
}
# Read by the normalisers above through lookups, never judged alone.
SUPPORTING = frozenset({"aws_db_parameter_group", "aws_rds_cluster_parameter_group", "aws_subnet"})
# Separate rules whose group is outside the plan are judged alone.
LONE = {"sg_rule": lone_rule}
