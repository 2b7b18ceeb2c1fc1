"""AWS provider resources of a plan → canonical resources (mappings/resource-types.yaml),
through the builders the live collector uses (collectors/canonical).

Facts of the platform that the plan does not spell out, and that are used here:
- A new security group starts with no inbound rule, and the provider revokes AWS's
  default egress rule at creation; so a group being created whose inline rules are
  "known after apply" only because none are written in its configuration holds exactly
  the separate rule resources attached to it. Written configuration beats
  `after_unknown`: inline rules the configuration writes as constants are judged as
  written, and rules it writes from values known only after apply leave the rules
  unknown — never "no rules". (Terraform writes a dynamic block whose for_each is
  unknown as one block of unknown values, not as an unknown list.)
- A security group has no deny rule, so a separate rule whose group is outside the plan
  is judged on its own (as a one-rule firewall named by the rule's address).
- A bucket, VPC or group the plan creates has nothing attached to it outside the plan
  yet: no policy, public access block, flow log or subnet the plan does not show.
- S3 encrypts every bucket with SSE-S3 at least (collectors/canonical/s3.py); RDS
  creates an unencrypted instance when storage_encrypted is not set, unless it is
  restored from a snapshot, a replica or an Aurora instance
  (collectors/canonical/keys.py).
Everything else the plan does not show (a bucket policy written elsewhere, a parameter
group outside the plan) stays absent: NOT_EVALUATED, never PASS.
"""

from genmei.collectors.canonical import control_plane, copies, firewall, keys, node_groups, s3 as canonical_s3, tls as canonical_tls, zones as zone_names

from .common import backups_not_in_plan, describe, firewall_rules, lone_firewall, planned_or_written, written_blocks
from .context import Attach, Canonical, Context
from .plan import PlannedResource
from .values import UNKNOWN, Planned, known

SG_TYPES = frozenset({"aws_security_group", "aws_default_security_group"})
NACL_TYPES = frozenset({"aws_network_acl", "aws_default_network_acl"})
BUCKET = frozenset({"aws_s3_bucket"})
SUBNET = frozenset({"aws_subnet"})
VPC = frozenset({"aws_vpc", "aws_default_vpc"})
LB = frozenset({"aws_lb", "aws_alb"})
ASG = frozenset({"aws_autoscaling_group"})
DEFAULT_SG = frozenset({"aws_default_security_group"})
WEB_ACL = frozenset({"aws_wafv2_web_acl"})

ATTACHMENTS = [
    Attach("aws_security_group_rule", "sg_rule", "security_group_id", SG_TYPES, ("id",)),
    Attach("aws_vpc_security_group_ingress_rule", "sg_rule", "security_group_id", SG_TYPES, ("id",)),
    Attach("aws_vpc_security_group_egress_rule", "sg_rule", "security_group_id", SG_TYPES, ("id",)),
    Attach("aws_network_acl_rule", "nacl_rule", "network_acl_id", NACL_TYPES, ("id",)),
    Attach("aws_s3_bucket_server_side_encryption_configuration", "s3_sse", "bucket", BUCKET, ("bucket",)),
    Attach("aws_s3_bucket_public_access_block", "s3_pab", "bucket", BUCKET, ("bucket",)),
    Attach("aws_s3_bucket_policy", "s3_policy", "bucket", BUCKET, ("bucket",)),
    Attach("aws_s3_bucket_acl", "s3_acl", "bucket", BUCKET, ("bucket",)),
    Attach("aws_autoscaling_policy", "asg_policy", "autoscaling_group_name", ASG, ("name",)),
    # load distribution (res2: GM-RES-003): a group's load balancers attached beside it
    Attach("aws_autoscaling_attachment", "asg_lb", "autoscaling_group_name", ASG, ("name",)),
    Attach("aws_autoscaling_traffic_source_attachment", "asg_lb", "autoscaling_group_name", ASG, ("name",)),
    # resilience: versioning, lifecycle expiry, replication (GM-DEL-001, GM-DR-001)
    Attach("aws_s3_bucket_versioning", "s3_versioning", "bucket", BUCKET, ("bucket",)),
    Attach("aws_s3_bucket_lifecycle_configuration", "s3_lifecycle", "bucket", BUCKET, ("bucket",)),
    Attach("aws_s3_bucket_replication_configuration", "s3_replication", "bucket", BUCKET, ("bucket",)),
    # ops2: the web ACL in front of a load balancer, and where a web ACL logs (GM-NET-005, GM-LOG-003)
    Attach("aws_wafv2_web_acl_association", "waf_association", "resource_arn", LB, ("arn",)),
    Attach("aws_wafv2_web_acl_association", "waf_associated", "web_acl_arn", WEB_ACL, ("arn",)),
    Attach("aws_wafv2_web_acl_logging_configuration", "waf_logging", "resource_arn", WEB_ACL, ("arn",)),
]

SG_PLACEHOLDER = "security-group (known after apply)"


# --- security groups -------------------------------------------------------------

def _rule(direction, protocol, lo, hi, sources) -> dict:
    proto = firewall.protocol(protocol)
    ranges = None
    if firewall.has_ports(proto) and lo is not None and hi is not None and not (lo == -1 and hi == -1):
        ranges = [firewall.port_range(lo, hi)]
    return firewall.rule(direction, "allow", proto, ranges, sources)


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


def inline_rules(res: PlannedResource, direction: str, build):
    """The inline rules of one direction: as planned; else, when the planned list is known
    only after apply, as the configuration writes them (constants), none when it writes
    none on a new group, UNKNOWN otherwise."""
    items = planned_or_written(res, direction)
    return UNKNOWN if items is UNKNOWN else [build(item, direction) for item in items]


def security_group(res: PlannedResource, ctx: Context) -> list[dict]:
    inline = [inline_rules(res, d, inline_rule) for d in ("ingress", "egress")]
    c = Canonical(res, "network.firewall").set("rules", firewall_rules(res, ctx, "sg_rule", inline, separate_rule))
    return [describe(c, res, ctx, "name").build()]


def lone_rule(res: PlannedResource, ctx: Context) -> list[dict]:
    return lone_firewall(res, ctx, separate_rule(res), res.get("security_group_id"))


# --- network ACLs ----------------------------------------------------------------------

def nacl_entry(p: Planned, direction=None):
    """One network ACL entry (an inline block or an aws_network_acl_rule), read as the live
    collector reads DescribeNetworkAcls: the rule number is the priority."""
    if direction is None:
        egress = p.get("egress")
        direction = egress if egress is UNKNOWN else ("egress" if egress else "ingress")
    action = p.get("action") if p.get("action") is not None else p.get("rule_action")
    number = p.get("rule_no") if p.get("rule_no") is not None else p.get("rule_number")
    proto, lo, hi, v4, v6 = (p.get(a) for a in ("protocol", "from_port", "to_port", "cidr_block", "ipv6_cidr_block"))
    if not known(direction, action, number, proto, lo, hi, v4, v6):
        return UNKNOWN
    rule = _rule(direction, proto, lo, hi, [c for c in (v4, v6) if c])
    return firewall.rule(direction, action, rule["protocol"], [(r["from"], r["to"]) for r in rule["port_ranges"]] or None,
                         rule["sources"], number)


def network_acl(res: PlannedResource, ctx: Context) -> list[dict]:
    inline = [inline_rules(res, d, nacl_entry) for d in ("ingress", "egress")]
    rules = firewall_rules(res, ctx, "nacl_rule", inline, lambda r: nacl_entry(r.planned))
    c = Canonical(res, "network.firewall").set("rules", rules if rules is UNKNOWN else sorted(rules, key=_rule_order))
    return [describe(c, res, ctx, None).build()]


def _rule_order(rule: dict):
    return rule["direction"], rule.get("priority", 0)


def lone_nacl_rule(res: PlannedResource, ctx: Context) -> list[dict]:
    """An aws_network_acl_rule of an ACL outside the plan: an earlier deny of that ACL, which
    the plan does not show, may stop what it allows, so it is not judged (NOT_EVALUATED,
    saying so) rather than guessed either way."""
    return lone_firewall(res, ctx, nacl_entry(res.planned), res.get("network_acl_id"), ordered=True)


# --- disks, instances -------------------------------------------------------------

def _key_type(encrypted, kms_key):
    if encrypted is not True:
        return None
    return keys.aws_key_ref_type(kms_key)


def ebs_volume(res: PlannedResource, ctx: Context) -> list[dict]:
    encrypted = res.get("encrypted")
    c = Canonical(res, "compute.disk").set("encrypted", encrypted).set("key_type", _key_type(encrypted, res.get("kms_key_id")))
    c.top("zones", zone_names.zones(res.get("availability_zone")))
    return [describe(backups_not_in_plan(c), res, ctx, None).build()]


def _block_disk(res: PlannedResource, ctx: Context, block: Planned, label: str) -> dict:
    c = Canonical(res, "compute.disk", id_=f"{res.address}.{label}", native_type=f"{res.type}.{label.split('[')[0]}")
    if block.value is None and not block.unknown:
        encrypted = UNKNOWN   # the volume comes from the image: its encryption is settled at apply
    else:
        encrypted = block.get("encrypted")
    c.set("encrypted", encrypted).set("key_type", _key_type(encrypted, block.get("kms_key_id")))
    backups_not_in_plan(c)
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
    c.top("zones", zone_names.zones(res.get("availability_zone")))
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

def _encryption_rules(res: PlannedResource, ctx: Context):
    """[(algorithm, key)] of the encryption configuration the plan writes ([] for none),
    UNKNOWN when it cannot be told."""
    separate = ctx.attached(res.address, "s3_sse")
    if len(separate) > 1 or ctx.uncertain(res.address, "s3_sse"):
        return UNKNOWN
    if separate:
        rules = separate[0].planned["rule"].items()
    else:
        configs = res.planned["server_side_encryption_configuration"].items()
        if configs is UNKNOWN:
            # Computed by provider 4 and later: written in the configuration or not at all.
            configs = written_blocks(res, "server_side_encryption_configuration")
        if configs is UNKNOWN:
            return UNKNOWN
        if not configs:
            return []
        rules = configs[0]["rule"].items()
    if rules is UNKNOWN:
        return UNKNOWN
    out = []
    for r in rules:
        default = r.first("apply_server_side_encryption_by_default")
        out.append((default.get("sse_algorithm"), default.get("kms_master_key_id")))
    return out


def _grantee_uris(grants):
    if grants is UNKNOWN:
        return UNKNOWN
    uris = []
    for g in grants:
        uri = g.get("uri")
        if uri is None:
            uri = g.get("grantee", 0, "uri")
        uris.append(uri)
    return uris


def _bucket_acl(res: PlannedResource, ctx: Context):
    """(public through ACLs, what makes it so): the bucket's own ACL and grants, and those of
    aws_s3_bucket_acl resources."""
    grants = res.planned["grant"].items()
    if grants is UNKNOWN and res.declared("grant") is None:
        grants = []   # computed by provider v4+, written in no configuration
    channels = [canonical_s3.acl_exposure(res.declared("acl"), _grantee_uris(grants))]
    for acl_res in ctx.attached(res.address, "s3_acl"):
        policy = acl_res.planned.first("access_control_policy")
        channels.append(canonical_s3.acl_exposure(acl_res.get("acl"), _grantee_uris(policy["grant"].items())))
    if ctx.uncertain(res.address, "s3_acl"):
        channels.append((UNKNOWN, []))
    via = [x for _, v in channels for x in v]
    if via:
        return True, via
    values = [v for v, _ in channels]
    return (UNKNOWN if UNKNOWN in values else None if None in values else False), []


def _bucket_policies(res: PlannedResource, ctx: Context) -> tuple[list | None, bool]:
    """(policy documents the plan sets on the bucket — None when a policy set outside the
    plan cannot be ruled out —, whether one is known only after apply)."""
    texts = [res.declared("policy")] + [p.get("policy") for p in ctx.attached(res.address, "s3_policy")]
    unknown = any(t is UNKNOWN for t in texts) or ctx.uncertain(res.address, "s3_policy")
    docs = [d for t in texts if t is not UNKNOWN and t for d in [canonical_s3.parse(t)] if d is not None]
    if not docs and not unknown and not res.creating:
        return None, False
    return docs, unknown


def _public_access_block(res: PlannedResource, ctx: Context) -> tuple:
    """(restrict_public_buckets, ignore_public_acls) of the bucket's aws_s3_bucket_public_access_block;
    (False, False) when the plan attaches none."""
    blocks = ctx.attached(res.address, "s3_pab")
    if ctx.uncertain(res.address, "s3_pab") or len(blocks) > 1:
        return UNKNOWN, UNKNOWN
    if not blocks:
        return False, False
    return blocks[0].get("restrict_public_buckets"), blocks[0].get("ignore_public_acls")


def s3_bucket(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "storage.bucket")
    encrypted, key_type = canonical_s3.default_encryption(_encryption_rules(res, ctx), keys.aws_key_ref_type)
    c.set("default_encryption", encrypted).set("key_type", key_type)
    docs, policy_unknown = _bucket_policies(res, ctx)
    restrict, ignore = _public_access_block(res, ctx)
    public, via = canonical_s3.public(canonical_s3.policy_exposure(docs, policy_unknown), _bucket_acl(res, ctx), restrict, ignore)
    c.set("public", public).set("public_via", via)
    c.set("tls", canonical_s3.bucket_tls(docs, policy_unknown))
    for attr, value in _bucket_copies_and_versions(res, ctx).items():
        c.set(attr, value)
    return [describe(c, res, ctx, "bucket").build()]


def _one_attached(res: PlannedResource, ctx: Context, kind: str):
    """The one separate resource of `kind` configuring the bucket; UNKNOWN when that cannot
    be told; None when the plan has none."""
    found = ctx.attached(res.address, kind)
    if ctx.uncertain(res.address, kind) or len(found) > 1:
        return UNKNOWN
    return found[0] if found else None


def _whole_bucket(rule: Planned):
    """A rule without a filter, or whose filter is only an empty prefix, covers every object."""
    prefix = rule.get("prefix")
    flt = rule.first("filter")
    if flt.value is None and not flt.unknown:
        return prefix if prefix is UNKNOWN else not prefix
    if flt.unknown:
        return UNKNOWN
    others = [flt.get(k) for k in ("tag", "and", "object_size_greater_than", "object_size_less_than")]
    if any(v is UNKNOWN for v in others) or flt.get("prefix") is UNKNOWN:
        return UNKNOWN
    return not any(v not in (None, [], 0) for v in others) and not flt.get("prefix")


def _replicated_from(ctx: Context) -> dict:
    """Destination bucket address → regions of the plan's buckets replicating into it
    (whole bucket, enabled), as the live collector reads it: a replica in another region
    is the copy of its source's data."""
    if "aws_replicated_from" not in ctx.memo:
        sources: dict = {}
        for rc in ctx.by_type.get("aws_s3_bucket_replication_configuration", []):
            source = ctx.lookup_one(rc, "bucket", BUCKET, ("bucket",))
            rules = rc.planned["rule"].items()
            if source is None or source is UNKNOWN or rules is UNKNOWN:
                continue
            for i, rule in enumerate(rules):
                if rule.get("status") == "Enabled" and _whole_bucket(rule) is True:
                    for target in ctx.resolve(rc, BUCKET, "rule", i, "destination", 0, "bucket"):
                        sources.setdefault(target, []).append(ctx.region(source))
        ctx.memo["aws_replicated_from"] = sources
    return ctx.memo["aws_replicated_from"]


def _bucket_copies_and_versions(res: PlannedResource, ctx: Context) -> dict:
    """Versioning, lifecycle expiry of previous versions and replication from the separate
    resources (provider 4 and later) — as the live collector reads the Get APIs. A bucket the
    plan creates with none of them attached has none; another bucket's are not collected."""
    none = False if res.creating else None
    versioning = _one_attached(res, ctx, "s3_versioning")
    if versioning is None:
        versioned = none
    elif versioning is UNKNOWN:
        versioned = UNKNOWN
    else:
        status = versioning.planned.first("versioning_configuration").get("status")
        versioned = status if status is UNKNOWN else status in ("Enabled", "Suspended")
    lifecycle = _one_attached(res, ctx, "s3_lifecycle")
    if lifecycle is None:
        rules = [] if res.creating else None
    elif lifecycle is UNKNOWN or lifecycle.planned["rule"].items() is UNKNOWN:
        rules = UNKNOWN
    else:
        rules = [(r.get("status") if r.get("status") is UNKNOWN else r.get("status") == "Enabled", _whole_bucket(r),
                  r.first("noncurrent_version_expiration").get("noncurrent_days"))
                 for r in lifecycle.planned["rule"].items()]
    expire, days = copies.expiry(rules)
    replication = _one_attached(res, ctx, "s3_replication")
    if replication is None:
        destinations = [] if res.creating else None
    elif replication is UNKNOWN or replication.planned["rule"].items() is UNKNOWN:
        destinations = UNKNOWN
    else:
        destinations = []
        for i, rule in enumerate(replication.planned["rule"].items()):
            status, whole = rule.get("status"), _whole_bucket(rule)
            if status is UNKNOWN or whole is UNKNOWN:
                destinations.append(UNKNOWN)
            elif status == "Enabled" and whole:
                target = ctx.resolve(replication, BUCKET, "rule", i, "destination", 0, "bucket")
                destinations.append(ctx.region(ctx.by_address[target[0]]) if len(target) == 1 else None)
    sources = _replicated_from(ctx).get(res.address, [])
    cross, where = copies.cross_region(ctx.region(res), destinations if destinations in (None, UNKNOWN) else destinations + sources)
    return {"versioning": versioned, "versions_expire": expire, "noncurrent_expiry_days": days,
            "cross_region_copy": cross, "copy_regions": where}


# --- networks -----------------------------------------------------------------------

def _subnets_of(ctx: Context, vpc: PlannedResource) -> list[PlannedResource]:
    """The plan's aws_subnet resources in a VPC (by reference, else by id), indexed once."""
    if "aws_subnets_by_vpc" not in ctx.memo:
        groups: dict[str, list] = {}
        for subnet in ctx.by_type.get("aws_subnet", []):
            target = ctx.lookup_one(subnet, "vpc_id", VPC, ("id",))
            if target is not None and target is not UNKNOWN:
                groups.setdefault(target.address, []).append(subnet)
        ctx.memo["aws_subnets_by_vpc"] = groups
    return ctx.memo["aws_subnets_by_vpc"].get(vpc.address, [])


def _flow_logs_enabled(res: PlannedResource, ctx: Context, subnets: list[PlannedResource]):
    """A flow log on the VPC, or on every one of its subnets (as the live collector reads
    it); none on a VPC the plan creates is false, on another VPC not collected (a flow log
    outside the plan may record it); unknown while a flow log's target is."""
    targets, unsettled = _flow_log_targets(ctx)
    if res.address in targets or (subnets and all(s.address in targets for s in subnets)):
        return True
    if unsettled:
        return UNKNOWN
    return False if res.creating else None


def _flow_log_targets(ctx: Context) -> tuple[set[str], bool]:
    """(addresses of the VPCs and subnets the plan's flow logs record, whether a flow log's
    target is known only after apply and in no resource of the plan), built once."""
    if "aws_flow_log_targets" not in ctx.memo:
        targets, unsettled = set(), False
        for log in ctx.by_type.get("aws_flow_log", []):
            found = ctx.resolve(log, VPC, "vpc_id") + ctx.resolve(log, SUBNET, "subnet_id")
            if not found:
                for attr, types in (("vpc_id", VPC), ("subnet_id", SUBNET)):
                    value = log.get(attr)
                    if isinstance(value, str) and value:
                        found += [r.address for r in ctx.find(types, ("id",), (value,))]
            targets.update(found)
            unsettled = unsettled or (not found and UNKNOWN in (log.get("vpc_id"), log.get("subnet_id")))
        ctx.memo["aws_flow_log_targets"] = (targets, unsettled)
    return ctx.memo["aws_flow_log_targets"]


# AWS gives every new VPC a default security group that admits all traffic from its own
# members and all outbound traffic; aws_default_security_group adopts it and keeps only the
# rules it writes.
AWS_DEFAULT_SG_RULES = (firewall.rule("ingress", "allow", "all", None, ["self"]),
                        firewall.rule("egress", "allow", "all", None, ["0.0.0.0/0", "::/0"]))


def _default_groups(ctx: Context) -> dict[str, object]:
    """{VPC address: the aws_default_security_group adopting its default group, or UNKNOWN
    when which VPC it adopts cannot be told}, built once."""
    if "aws_default_groups" not in ctx.memo:
        found: dict[str, object] = {}
        for sg in ctx.by_type.get("aws_default_security_group", []):
            target = ctx.lookup_one(sg, "vpc_id", VPC, ("id",))
            if target is UNKNOWN:
                found["*"] = UNKNOWN
            elif target is not None:
                found[target.address] = UNKNOWN if target.address in found else sg
        ctx.memo["aws_default_groups"] = found
    return ctx.memo["aws_default_groups"]


def _default_firewall(c: Canonical, res: PlannedResource, ctx: Context) -> None:
    """The VPC's default security group and its rules (GM-NET-004): as the plan's
    aws_default_security_group writes them; AWS's own rules on a VPC the plan creates
    without one; not collected otherwise (it may be managed outside the plan)."""
    groups = _default_groups(ctx)
    sg = groups.get(res.address, groups.get("*"))
    if sg is UNKNOWN:
        c.set("default_firewall_rules", UNKNOWN)
    elif sg is not None:
        inline = [inline_rules(sg, d, inline_rule) for d in ("ingress", "egress")]
        c.set("default_firewall", sg.address)
        c.set("default_firewall_rules", firewall_rules(sg, ctx, "sg_rule", inline, separate_rule))
    elif res.creating and res.type == "aws_vpc":
        c.set("default_firewall_rules", [dict(r) for r in AWS_DEFAULT_SG_RULES])
    else:
        c.set("not_collected", {"default_firewall_rules": "the plan does not manage this VPC's default security group "
                                                          "(aws_default_security_group)"})


def vpc(res: PlannedResource, ctx: Context) -> list[dict]:
    subnets = _subnets_of(ctx, res)
    c = Canonical(res, "network.vpc").set("cidr", res.get("cidr_block"))
    c.set("flow_logs_enabled", _flow_logs_enabled(res, ctx, subnets))
    _default_firewall(c, res, ctx)
    if res.creating:
        c.set("subnets", sorted(s.address for s in subnets))
        c.top("zones", zone_names.zones([s.get("availability_zone") for s in subnets]))
    return [describe(c, res, ctx, None).build()]


# --- databases ----------------------------------------------------------------------

PARAMETER_GROUPS = frozenset({"aws_db_parameter_group"})
CLUSTER_PARAMETER_GROUPS = frozenset({"aws_rds_cluster_parameter_group"})


def _db_tls(res: PlannedResource, ctx: Context, attr: str, types: frozenset, engine):
    """TLS from the parameter group the plan creates, read per engine family as the live
    collector reads DescribeDBParameters; absent when the group is outside the plan."""
    group = ctx.lookup_one(res, attr, types, ("name",))
    if group is None:
        return None
    if group is UNKNOWN:
        return canonical_tls.tls(UNKNOWN)
    params = group.planned["parameter"].items()
    if params is UNKNOWN:
        return canonical_tls.tls(UNKNOWN)
    values = {}
    for p in params:
        name = p.get("name")
        if isinstance(name, str):
            values[name] = p.get("value")
    return canonical_tls.rds_tls(engine if isinstance(engine, str) and engine else group.get("family"), values)


def db_instance(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "db.instance")
    engine = res.get("engine")
    c.set("engine", engine)
    # snapshot_identifier is computed: unknown in every plan unless the configuration writes it.
    c.set("storage_encrypted", keys.rds_storage_encrypted(
        res.get("storage_encrypted"), engine=engine, snapshot_identifier=res.declared("snapshot_identifier"),
        replicate_source_db=res.declared("replicate_source_db")))
    c.set("public", res.get("publicly_accessible"))
    multi_az = res.get("multi_az")
    c.set("multi_az", multi_az)
    # A Multi-AZ instance fails over to its standby; an Aurora instance's failover is its cluster's.
    if engine is UNKNOWN:
        c.set("automatic_failover", UNKNOWN)
    elif not (isinstance(engine, str) and engine.startswith("aurora")):
        c.set("automatic_failover", multi_az)
    c.set("backup_retention_days", res.get("backup_retention_period"))
    c.set("tls", _db_tls(res, ctx, "parameter_group_name", PARAMETER_GROUPS, engine))
    # The zone names may be chosen at apply, but how many zones there are is known from
    # multi_az: one, or a primary and a standby in another zone.
    az = res.get("availability_zone")
    c.top("zones", zone_names.database(az if isinstance(az, str) else None, multi_az, planned=True))
    return [describe(c, res, ctx, "identifier").build()]


def rds_cluster(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "db.instance", native_type="aws_rds_cluster")
    engine = res.get("engine")
    c.set("engine", engine)
    c.set("storage_encrypted", res.get("storage_encrypted"))
    c.set("backup_retention_days", res.get("backup_retention_period"))
    c.set("tls", _db_tls(res, ctx, "db_cluster_parameter_group_name", CLUSTER_PARAMETER_GROUPS, engine))
    zones = res.get("availability_zones")
    c.top("zones", zone_names.zones(zones) if isinstance(zones, list) and zones else UNKNOWN)
    return [describe(c, res, ctx, "cluster_identifier").build()]


# --- NAT gateways (resilience) ----------------------------------------------------------

def _nat_placement(ctx: Context, nat: PlannedResource) -> tuple:
    """(VPC address or id, zone) of a NAT gateway from its subnet in the plan; UNKNOWN
    where the subnet or its zone is known only after apply; None where it is outside the plan."""
    subnet = ctx.lookup_one(nat, "subnet_id", SUBNET, ("id",))
    if subnet is None or subnet is UNKNOWN:
        return subnet, subnet
    vpc = ctx.lookup_one(subnet, "vpc_id", VPC, ("id",))
    network = vpc.address if isinstance(vpc, PlannedResource) else (vpc if vpc is UNKNOWN else subnet.get("vpc_id"))
    return network, subnet.get("availability_zone")


def nat_gateway(res: PlannedResource, ctx: Context) -> list[dict]:
    """As the live collector reads it: the zones of every NAT gateway of the same VPC in the
    plan. A gateway whose subnet is outside the plan has its zones not collected (others of
    its VPC may exist outside the plan too)."""
    if "aws_nat_placement" not in ctx.memo:
        ctx.memo["aws_nat_placement"] = {n.address: _nat_placement(ctx, n) for n in ctx.by_type.get("aws_nat_gateway", [])}
    placement = ctx.memo["aws_nat_placement"]
    network, zone = placement[res.address]
    c = Canonical(res, "network.gateway").set("kind", "nat")
    if network is None or network is UNKNOWN:
        c.set("network_zones", network)
    else:
        c.set("network", network if isinstance(network, str) else None)
        peers = [z for n, z in placement.values() if n == network]
        c.set("network_zones", UNKNOWN if any(not isinstance(z, str) for z in peers) else zone_names.zones(peers))
    c.top("zones", [zone] if isinstance(zone, str) else (UNKNOWN if zone is UNKNOWN else None))
    return [describe(c, res, ctx).build()]


# --- keys ---------------------------------------------------------------------------

def kms_key(res: PlannedResource, ctx: Context) -> list[dict]:
    # Computed when not written (older providers): then AWS's defaults apply.
    spec, usage, store = (res.declared(a) for a in ("customer_master_key_spec", "key_usage", "custom_key_store_id"))
    external = res.type == "aws_kms_external_key"
    c = Canonical(res, "kms.key")
    for attr, value in keys.kms_key(
            managed_by="customer", enabled=res.get("is_enabled") if not external else res.get("enabled"),
            rotation_enabled=res.get("enable_key_rotation"), rotation_period_days=res.get("rotation_period_in_days"),
            rotation_supported=keys.aws_rotation_supported(spec, usage, "EXTERNAL" if external else None, store),
            key_spec=spec, key_usage=usage, origin="EXTERNAL" if external else ("AWS_KMS" if not store else None)).items():
        c.set(attr, value)
    return [describe(c, res, ctx, "description").build()]


# --- load balancers -------------------------------------------------------------------

def _listener_tls(protocol, policy):
    if protocol is UNKNOWN:
        return UNKNOWN, UNKNOWN, None
    if str(protocol).upper() not in ("HTTPS", "TLS", "SSL"):
        return False, None, None
    if policy is UNKNOWN:
        return True, UNKNOWN, None
    return True, canonical_tls.elb_policy_min_tls(policy), policy


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
    for attr, value in _web_acl_in_front(res, ctx).items():
        c.set(attr, value)
    return [describe(c, res, ctx, "name").build()]


def _web_acl_in_front(res: PlannedResource, ctx: Context) -> dict:
    """{kind, waf} of a load balancer: an Application Load Balancer is behind a web ACL when the
    plan associates one with it; a new one the plan associates none with has none; on an
    existing one an association outside the plan may apply (ops2, GM-NET-005)."""
    kind = res.get("load_balancer_type")
    if kind is UNKNOWN:
        return {"kind": UNKNOWN, "waf": UNKNOWN}
    if kind not in (None, "application"):
        return {"kind": kind, "not_collected": {"waf": f"a {str(kind).capitalize()} Load Balancer cannot carry an AWS WAF web "
                                                       "ACL, and whether an AWS Network Firewall filters its traffic is not read"}}
    association = _one_attached(res, ctx, "waf_association")
    if association is UNKNOWN:
        return {"kind": "application", "waf": UNKNOWN}
    if association is not None or res.creating:
        return {"kind": "application", "waf": association is not None}
    return {"kind": "application",
            "not_collected": {"waf": "the load balancer exists already: a web ACL associated outside the plan may apply"}}


def web_acl(res: PlannedResource, ctx: Context) -> list[dict]:
    """A regional web ACL and whether it logs (GM-LOG-003): the plan's logging configuration
    for it; none on a web ACL the plan creates without one; on an existing one a logging
    configuration outside the plan may apply. CloudFront's web ACLs are read the same way."""
    c = Canonical(res, "network.waf")
    _associated(c, res, ctx)
    logging = _one_attached(res, ctx, "waf_logging")
    if logging is UNKNOWN:
        c.set("logging_enabled", UNKNOWN)
    elif logging is not None:
        # AWS requires one to 100 destinations of a logging configuration (the provider's
        # log_destination_configs is required, at least one), so one in the plan logs, even
        # while the destinations' ARNs are known only after apply.
        c.set("logging_enabled", True)
        destinations = logging.get("log_destination_configs")
        if isinstance(destinations, list) and destinations and all(isinstance(d, str) for d in destinations):
            c.set("log_destinations", sorted(destinations))
    elif res.creating:
        c.set("logging_enabled", False).set("log_destinations", [])
    else:
        c.set("not_collected.logging_enabled", "the web ACL exists already: a logging configuration outside the plan may apply")
    return [describe(c, res, ctx, "name").build()]


def _associated(c: Canonical, res: PlannedResource, ctx: Context) -> None:
    """Whether the web ACL inspects anything: the plan associates it with a resource (of any
    kind); a new one the plan associates with none inspects nothing; on an existing one an
    association outside the plan may apply (GM-LOG-003 judges only an associated ACL)."""
    if ctx.attached(res.address, "waf_associated"):
        c.set("associated", True)
    elif ctx.uncertain(res.address, "waf_associated"):
        c.set("associated", UNKNOWN)
    elif res.creating:
        c.set("associated", False)
    else:
        c.set("not_collected.associated", "the web ACL exists already: an association outside the plan may apply")


# --- Kubernetes -------------------------------------------------------------------------

def eks_cluster(res: PlannedResource, ctx: Context) -> list[dict]:
    vpc = res.planned.first("vpc_config")
    public = vpc.get("endpoint_public_access")
    c = Canonical(res, "k8s.cluster").set("endpoint_public", public).set("control_plane_multi_zone", control_plane.EKS)
    if public is not False:
        cidrs = vpc.get("public_access_cidrs")
        if cidrs is UNKNOWN and res.config is not None and not _written_at(res, "vpc_config", "public_access_cidrs"):
            cidrs = ["0.0.0.0/0"]   # EKS's default for a public endpoint, unset or written as []
        c.set("authorized_cidrs", cidrs)
    c.top("zones", subnet_zones(res, ctx, "vpc_config", 0, "subnet_ids"))
    return [describe(c, res, ctx, "name").build()]


# --- capacity and monitoring (GM-CAP-001, GM-MON-001) ------------------------------------

def autoscaling_group(res: PlannedResource, ctx: Context) -> list[dict]:
    """A group's limits, and its scaling policies: those of the plan attached to it; none
    but those on a group the plan creates; otherwise policies outside the plan may exist.
    A Kubernetes cluster's nodes without a policy: the cluster autoscaler sizes them."""
    c = Canonical(res, "compute.instance_group")
    for attr, key in (("min_size", "min_size"), ("max_size", "max_size"), ("desired_capacity", "desired_capacity")):
        c.set(attr, res.get(key))
    policies = [p for p in ctx.attached(res.address, "asg_policy") if p.get("enabled") is not False]
    tag_blocks = res.get("tag")
    tag_keys = [t.get("key") for t in tag_blocks if isinstance(t, dict) and isinstance(t.get("key"), str)] if isinstance(tag_blocks, list) else []
    if ctx.uncertain(res.address, "asg_policy"):
        c.set("autoscaling", UNKNOWN)
    elif not policies and node_groups.aws_kubernetes_nodes(tag_keys):
        c.set("scaling_policies", [])
        c.set("not_collected.autoscaling", node_groups.SCALED_BY_CLUSTER)
    elif policies or res.creating:
        c.set("autoscaling", bool(policies))
        c.set("scaling_policies", sorted(p.get("name") if isinstance(p.get("name"), str) else p.address for p in policies))
    else:
        c.set("not_collected", {"autoscaling": "the group exists already: scaling policies outside the plan may apply"})
    zones = res.get("availability_zones")
    if not (isinstance(zones, list) and zones and all(isinstance(z, str) for z in zones)):
        zones = subnet_zones(res, ctx, "vpc_zone_identifier")
    c.top("zones", zones if zones is UNKNOWN else zone_names.zones(zones))
    balancers = group_load_balancers(res, ctx)
    if node_groups.aws_kubernetes_nodes(tag_keys):
        c.set("not_collected.load_balancers", node_groups.NOT_JUDGED)
    elif balancers is None:
        c.set("not_collected.load_balancers", "the group exists already and its load balancers are known only after apply")
    else:
        c.set("load_balancers", balancers)
    return [describe(c, res, ctx, "name").build()]


LB_TARGETS = frozenset({"aws_lb_target_group", "aws_alb_target_group", "aws_elb", "aws_vpclattice_target_group"})
PLACEHOLDER_LB = "load balancer (known after apply)"


def _attached_by(res: PlannedResource, ctx: Context, attr: str) -> set[str]:
    """What one attachment's `attr` attaches: its planned value, else the plan's resource
    it refers to, else a placeholder (an attachment declared attaches something)."""
    value = res.get(attr)
    if isinstance(value, str) and value:
        return {value}
    if value is UNKNOWN or res.expression(attr):
        return set(ctx.resolve(res, LB_TARGETS, attr)) or {PLACEHOLDER_LB}
    return set()


def group_load_balancers(res: PlannedResource, ctx: Context):
    """GM-RES-003: the target groups, classic load balancers and traffic sources the group
    names and those the plan attaches to it (aws_autoscaling_attachment,
    aws_autoscaling_traffic_source_attachment). The provider computes target_group_arns
    and load_balancers when they are not set, from every attachment: a group the plan
    creates has only what the plan gives it; an existing group's lists are its refreshed
    state, else None (unknown, said with the reason). UNKNOWN when the group names a list
    known only after apply that refers to nothing in the plan."""
    found: set[str] = set()
    unsettled, outside = ctx.uncertain(res.address, "asg_lb"), False
    for attr in ("target_group_arns", "load_balancers"):
        value = res.get(attr)
        if isinstance(value, list):
            found |= {v for v in value if isinstance(v, str) and v}
            if any(not isinstance(v, str) for v in value):
                found |= set(ctx.resolve(res, LB_TARGETS, attr)) or {PLACEHOLDER_LB}
        elif value is UNKNOWN and res.expression(attr):
            refs = set(ctx.resolve(res, LB_TARGETS, attr))
            found |= refs
            unsettled = unsettled or not refs
        elif value is UNKNOWN and not res.creating:
            outside = True
    sources = res.expression("traffic_source")
    for block in sources if isinstance(sources, list) else [sources] if sources else []:
        ident = (block.get("identifier") or {}) if isinstance(block, dict) else {}
        found.add(str(ident.get("constant_value") or PLACEHOLDER_LB))
    for att in ctx.attached(res.address, "asg_lb"):
        found |= _attached_by(att, ctx, "lb_target_group_arn") | _attached_by(att, ctx, "elb")
        if att.type == "aws_autoscaling_traffic_source_attachment":
            found.add(PLACEHOLDER_LB)
    if found:
        return sorted(found)
    if unsettled:
        return UNKNOWN
    return None if outside else []


SNS, LAMBDA, SCALING_POLICIES = frozenset({"aws_sns_topic"}), frozenset({"aws_lambda_function"}), frozenset(
    {"aws_autoscaling_policy", "aws_appautoscaling_policy"})
ALARM_ACTIONS = ("alarm_actions", "ok_actions", "insufficient_data_actions")


def _alarm_actions(res: PlannedResource, ctx: Context):
    """(notification targets, scaling-only) of an alarm: ARNs as planned, and the topics,
    functions and scaling policies its actions refer to in the plan; UNKNOWN targets when
    an action is known only after apply and refers to nothing the plan holds."""
    from genmei.collectors.aws.normalise.cloudwatch import ACTING, NOTIFYING

    targets, scaling, others, unsettled = set(), 0, 0, False
    for attr in ALARM_ACTIONS:
        value = res.get(attr)
        notify = ctx.resolve(res, SNS | LAMBDA, attr)
        scale = ctx.resolve(res, SCALING_POLICIES, attr)
        targets.update(notify)
        scaling += len(scale)
        if value is UNKNOWN:
            unsettled = unsettled or not (notify or scale)
            continue
        for arn in value or []:
            if arn is UNKNOWN or not isinstance(arn, str):
                unsettled = unsettled or not (notify or scale)
            elif any(n in arn for n in NOTIFYING):
                targets.add(arn)
            elif any(n in arn for n in ACTING):
                scaling += 1  # a scaling policy or an EC2 action: acts, tells no one
            else:
                others += 1
    if unsettled:
        return UNKNOWN, False
    return sorted(targets), bool(scaling) and not targets and not others


def metric_alarm(res: PlannedResource, ctx: Context) -> list[dict]:
    targets, scaling_only = _alarm_actions(res, ctx)
    if scaling_only:
        ctx.not_judged(res, "its actions only drive scaling policies or EC2 actions (recover, reboot, stop): not a monitoring alarm")
        return []
    enabled = res.get("actions_enabled")
    c = Canonical(res, "monitoring.alarm").set("enabled", True if enabled is None and res.creating else enabled)
    c.set("notification_targets", targets)
    name, namespace = res.get("metric_name"), res.get("namespace")
    c.set("metric", f"{namespace}/{name}" if isinstance(name, str) and isinstance(namespace, str) else None)
    return [describe(c, res, ctx, "alarm_name").build()]


def _written_at(res: PlannedResource, block: str, attr: str) -> bool:
    """Whether the configuration gives `attr` of `block` a value: an expression other than
    the constant empty list or null, which leave the provider's default in place."""
    blocks = res.expression(block)
    return any(isinstance(b, dict) and b.get(attr) and b[attr] not in ({"constant_value": []}, {"constant_value": None})
               for b in (blocks if isinstance(blocks, list) else [blocks]))


# --- site-to-site VPN (GM-VPN-001) ----------------------------------------------------------

def vpn_connection(res: PlannedResource, ctx: Context) -> list[dict]:
    """Two tunnels on two endpoints, as AWS gives every connection; whether both are up is
    runtime state, which a plan does not hold."""
    c = Canonical(res, "network.vpn").set("vpn_kind", "aws_vpn_connection").set("gateway_interfaces", 2)
    c.set("not_collected", {"tunnels_up": "a plan does not hold the tunnels' state"})
    return [describe(c, res, ctx, None).build()]


NORMALISERS = {
    "aws_security_group": security_group,
    "aws_vpn_connection": vpn_connection,
    "aws_default_security_group": security_group,
    "aws_network_acl": network_acl,
    "aws_default_network_acl": network_acl,
    "aws_ebs_volume": ebs_volume,
    "aws_instance": instance,
    "aws_s3_bucket": s3_bucket,
    "aws_db_instance": db_instance,
    "aws_rds_cluster": rds_cluster,
    "aws_kms_key": kms_key,
    "aws_kms_external_key": kms_key,
    "aws_vpc": vpc,
    "aws_default_vpc": vpc,
    "aws_lb_listener": lb_listener,
    "aws_alb_listener": lb_listener,
    "aws_elb": classic_elb,
    "aws_lb": load_balancer,
    "aws_alb": load_balancer,
    "aws_eks_cluster": eks_cluster,
    "aws_autoscaling_group": autoscaling_group,
    "aws_cloudwatch_metric_alarm": metric_alarm,
    "aws_nat_gateway": nat_gateway,
    "aws_wafv2_web_acl": web_acl,
}
# Read by the normalisers above through lookups, never judged alone.
SUPPORTING = frozenset({"aws_db_parameter_group", "aws_rds_cluster_parameter_group", "aws_subnet", "aws_flow_log"})
# Separate rules whose group is outside the plan are judged alone.
LONE = {"sg_rule": lone_rule, "nacl_rule": lone_nacl_rule}
