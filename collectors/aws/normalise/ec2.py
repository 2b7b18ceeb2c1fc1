"""EC2 → network.firewall (security groups and network ACLs), network.vpc, compute.instance,
compute.disk, network.gateway (NAT gateways)."""

import datetime

from genmei.collectors.canonical import firewall, zones as zone_names

from .common import arn, name_tag, resource, tags
from .kms import key_type


def _ports(start, end):
    """AWS's FromPort/ToPort: None or -1 is every port (ICMP type/code for ICMP, ignored
    by the builder for a protocol without ports)."""
    if start is None or start == -1:
        return None
    return [firewall.port_range(start, end if end is not None and end != -1 else None)]


def sg_rules(sg: dict) -> list[dict]:
    rules = []
    for direction, perms in (("ingress", sg.get("IpPermissions")), ("egress", sg.get("IpPermissionsEgress"))):
        for p in perms or []:
            proto = firewall.protocol(p.get("IpProtocol", "-1"))
            sources = ([x["CidrIp"] for x in p.get("IpRanges", []) if "CidrIp" in x]
                       + [x["CidrIpv6"] for x in p.get("Ipv6Ranges", []) if "CidrIpv6" in x]
                       + [x["PrefixListId"] for x in p.get("PrefixListIds", []) if "PrefixListId" in x]
                       + [x["GroupId"] for x in p.get("UserIdGroupPairs", []) if "GroupId" in x])
            ranges = _ports(p.get("FromPort"), p.get("ToPort")) if firewall.has_ports(proto) else None
            rules.append(firewall.rule(direction, "allow", proto, ranges, sources))
    return rules


def nacl_rules(acl: dict) -> list[dict]:
    """A network ACL is a firewall with ordered rules: priority is the rule number."""
    rules = []
    for e in acl.get("Entries", []):
        proto = firewall.protocol(e.get("Protocol", "-1"))
        pr = e.get("PortRange") or {}
        ranges = _ports(pr.get("From"), pr.get("To")) if firewall.has_ports(proto) else None
        rules.append(firewall.rule("egress" if e.get("Egress") else "ingress", e.get("RuleAction"), proto, ranges,
                                   [c for c in (e.get("CidrBlock"), e.get("Ipv6CidrBlock")) if c], e.get("RuleNumber")))
    return rules


def _firewalls(acct, region, raw):
    for sg in raw.get("ec2:DescribeSecurityGroups") or []:
        yield resource(acct, type="network.firewall", native="AWS::EC2::SecurityGroup",
                       id=arn(acct, "ec2", region, f"security-group/{sg['GroupId']}"),
                       name=name_tag(sg, sg.get("GroupName") or sg["GroupId"]), region=region, tags=tags(sg.get("Tags")),
                       attrs={"rules": sg_rules(sg)}, raw=sg, ref="ec2:DescribeSecurityGroups")
    for acl in raw.get("ec2:DescribeNetworkAcls") or []:
        yield resource(acct, type="network.firewall", native="AWS::EC2::NetworkAcl",
                       id=arn(acct, "ec2", region, f"network-acl/{acl['NetworkAclId']}"),
                       name=name_tag(acl, acl["NetworkAclId"]), region=region, tags=tags(acl.get("Tags")),
                       attrs={"rules": nacl_rules(acl)}, raw=acl, ref="ec2:DescribeNetworkAcls")


def flow_logs_enabled(vpc_id: str, subnets: list | None, flow_logs: list | None) -> bool | None:
    """An active flow log on the VPC, or on every one of its subnets."""
    if flow_logs is None:
        return None
    active = {f.get("ResourceId") for f in flow_logs if f.get("FlowLogStatus") == "ACTIVE"}
    if vpc_id in active:
        return True
    if subnets is None:
        return None
    return bool(subnets) and all(s["SubnetId"] in active for s in subnets)


def peerings(acct, region: str, vpc_id: str, connections: list | None) -> list[str] | None:
    """ARNs of the VPCs this one is actively peered with."""
    if connections is None:
        return None
    out = set()
    for c in connections:
        if (c.get("Status") or {}).get("Code") != "active":
            continue
        sides = (c.get("RequesterVpcInfo") or {}, c.get("AccepterVpcInfo") or {})
        for me, other in (sides, sides[::-1]):
            if me.get("VpcId") == vpc_id and other.get("VpcId"):
                out.add(arn(acct, "ec2", other.get("Region") or region, f"vpc/{other['VpcId']}", other.get("OwnerId")))
    return sorted(out)


def _of_vpc(items: list | None, vpc_id: str, match) -> list | None:
    return None if items is None else [x for x in items if match(x, vpc_id)]


def default_groups(groups: list | None) -> dict[str, dict] | None:
    """{VPC id: its default security group} (every VPC has one, named "default"); None when
    the groups were not read."""
    if groups is None:
        return None
    return {sg["VpcId"]: sg for sg in groups if sg.get("GroupName") == "default" and sg.get("VpcId")}


def _vpcs(acct, region, raw):
    subnets = raw.get("ec2:DescribeSubnets")
    defaults = default_groups(raw.get("ec2:DescribeSecurityGroups"))
    for v in raw.get("ec2:DescribeVpcs") or []:
        vid = v["VpcId"]
        mine = _of_vpc(subnets, vid, lambda s, i: s.get("VpcId") == i)
        flows = raw.get("ec2:DescribeFlowLogs")
        evidence = {
            "Vpc": v, "Subnets": mine,
            "RouteTables": _of_vpc(raw.get("ec2:DescribeRouteTables"), vid, lambda t, i: t.get("VpcId") == i),
            "InternetGateways": _of_vpc(raw.get("ec2:DescribeInternetGateways"), vid,
                                        lambda g, i: any(a.get("VpcId") == i for a in g.get("Attachments", []))),
            "NatGateways": _of_vpc(raw.get("ec2:DescribeNatGateways"), vid, lambda g, i: g.get("VpcId") == i),
            "FlowLogs": _of_vpc(flows, vid, lambda f, i: f.get("ResourceId") == i
                                or any(f.get("ResourceId") == s["SubnetId"] for s in mine or [])),
            "VpcPeeringConnections": _of_vpc(raw.get("ec2:DescribeVpcPeeringConnections"), vid, lambda c, i: i in (
                (c.get("RequesterVpcInfo") or {}).get("VpcId"), (c.get("AccepterVpcInfo") or {}).get("VpcId"))),
        }
        yield resource(acct, type="network.vpc", native="AWS::EC2::VPC",
                       id=arn(acct, "ec2", region, f"vpc/{vid}"), name=name_tag(v, vid),
                       region=region, tags=tags(v.get("Tags")),
                       zones=None if mine is None else zone_names.zones([s["AvailabilityZone"] for s in mine]),
                       attrs={"cidr": v.get("CidrBlock"),
                              "subnets": None if mine is None else sorted(s["SubnetId"] for s in mine),
                              "flow_logs_enabled": flow_logs_enabled(vid, mine, flows),
                              "peerings": peerings(acct, region, vid, raw.get("ec2:DescribeVpcPeeringConnections")),
                              **_default_firewall(acct, region, vid, defaults)},
                       raw=evidence, ref="ec2:DescribeVpcs")


def _default_firewall(acct, region: str, vpc_id: str, defaults: dict | None) -> dict:
    """The VPC's default security group and its rules (GM-NET-004), or why they are unknown.
    A rule whose source is the group itself names it "self" (as Terraform's `self = true`):
    GM-NET-004 tells members of the group from anyone outside it."""
    sg = (defaults or {}).get(vpc_id)
    if sg is None:
        why = ("the security groups were not read" if defaults is None
               else "the VPC's default security group is not among the security groups read")
        return {"not_collected": {"default_firewall_rules": why}}
    rules = [{**r, "sources": ["self" if s == sg["GroupId"] else s for s in r["sources"]]} for r in sg_rules(sg)]
    return {"default_firewall": arn(acct, "ec2", region, f"security-group/{sg['GroupId']}"),
            "default_firewall_rules": rules}


def public_ips(i: dict) -> list[str]:
    """Every public address of an instance: its public IPv4 addresses (primary and
    secondary, on every interface) and its IPv6 addresses, which are globally routable."""
    ips = {i.get("PublicIpAddress")}
    for n in i.get("NetworkInterfaces", []):
        ips.add((n.get("Association") or {}).get("PublicIp"))
        ips.update((p.get("Association") or {}).get("PublicIp") for p in n.get("PrivateIpAddresses", []))
        ips.update(a.get("Ipv6Address") for a in n.get("Ipv6Addresses", []))
    return sorted(ip for ip in ips if ip)


def anti_spoofing(i: dict) -> bool | None:
    """Source/destination check on the instance and on every network interface."""
    known = [x.get("SourceDestCheck") for x in [i, *i.get("NetworkInterfaces", [])] if x.get("SourceDestCheck") is not None]
    return all(known) if known else None


def _instances(acct, region, raw):
    for reservation in raw.get("ec2:DescribeInstances") or []:
        for i in reservation.get("Instances", []):
            if (i.get("State") or {}).get("Name") == "terminated":
                continue
            groups = {g["GroupId"] for g in i.get("SecurityGroups", []) if "GroupId" in g}
            groups.update(g["GroupId"] for n in i.get("NetworkInterfaces", []) for g in n.get("Groups", []) if "GroupId" in g)
            meta = i.get("MetadataOptions") or {}
            az = (i.get("Placement") or {}).get("AvailabilityZone")
            yield resource(acct, type="compute.instance", native="AWS::EC2::Instance",
                           id=arn(acct, "ec2", region, f"instance/{i['InstanceId']}"), name=name_tag(i, i["InstanceId"]),
                           region=region, tags=tags(i.get("Tags")), zones=[az] if az else None,
                           attrs={"public_ips": public_ips(i), "anti_spoofing": anti_spoofing(i),
                                  "imds_v2_required": meta["HttpTokens"] == "required" if "HttpTokens" in meta else None,
                                  "firewalls": sorted(arn(acct, "ec2", region, f"security-group/{g}") for g in groups),
                                  "subnet": i.get("SubnetId")},
                           raw=i, ref="ec2:DescribeInstances")


def backups(snapshots: list | None, read_at: str | None) -> dict:
    """Volume id → {backup_count, latest_backup_age_hours} from the account's completed
    snapshots; None when the snapshots were not read (the attrs are then not collected)."""
    if snapshots is None:
        return None
    clock = _instant(read_at)
    latest: dict = {}
    counts: dict = {}
    for s in snapshots:
        if s.get("State") != "completed" or not s.get("VolumeId"):
            continue
        vid, started = s["VolumeId"], _instant(s.get("StartTime"))
        counts[vid] = counts.get(vid, 0) + 1
        if started is not None and (latest.get(vid) is None or started > latest[vid]):
            latest[vid] = started
    return {vid: {"backup_count": n,
                  "latest_backup_age_hours": (max(0, int((clock - latest[vid]).total_seconds() // 3600))
                                              if clock is not None and latest.get(vid) is not None else None)}
            for vid, n in counts.items()}


def _instant(value):
    """An ISO 8601 time (or a datetime, as boto3 gives) → an aware datetime; None if unreadable."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    if not isinstance(value, str) or not value:
        return None
    try:
        t = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=datetime.timezone.utc)


NO_BACKUP = {"backup_count": 0, "latest_backup_age_hours": None}


def _disks(acct, region, raw):
    taken = backups(raw.get("ec2:DescribeSnapshots"), acct.observed_at)
    for v in raw.get("ec2:DescribeVolumes") or []:
        encrypted = v.get("Encrypted")
        yield resource(acct, type="compute.disk", native="AWS::EC2::Volume",
                       id=arn(acct, "ec2", region, f"volume/{v['VolumeId']}"), name=name_tag(v, v["VolumeId"]),
                       region=region, tags=tags(v.get("Tags")),
                       zones=[v["AvailabilityZone"]] if v.get("AvailabilityZone") else None,
                       attrs={"encrypted": encrypted,
                              "key_type": key_type(acct, region, v.get("KmsKeyId")) if encrypted else None,
                              **(taken.get(v["VolumeId"], NO_BACKUP) if taken is not None else
                                 {"not_collected": {"backup_count": "the account's EBS snapshots were not read"}})},
                       raw=v, ref="ec2:DescribeVolumes")


# NAT gateways in these states carry (or will carry) traffic; failed and deleted ones do not.
LIVE_NAT_STATES = ("available", "pending")


def _nat_gateways(acct, region, raw):
    """network.gateway (kind nat) per live NAT gateway, with the zones of every live NAT
    gateway of its VPC (a zone from the gateway's subnet; unknown when subnets were not read)."""
    gateways = [g for g in raw.get("ec2:DescribeNatGateways") or [] if g.get("State") in LIVE_NAT_STATES]
    subnets = raw.get("ec2:DescribeSubnets")
    zone_of = None if subnets is None else {s["SubnetId"]: s.get("AvailabilityZone") for s in subnets}
    by_vpc: dict = {}
    for g in gateways:
        by_vpc.setdefault(g.get("VpcId"), []).append(None if zone_of is None else zone_of.get(g.get("SubnetId")))
    for g in gateways:
        zone = None if zone_of is None else zone_of.get(g.get("SubnetId"))
        peers = by_vpc[g.get("VpcId")]
        yield resource(acct, type="network.gateway", native="AWS::EC2::NatGateway",
                       id=arn(acct, "ec2", region, f"natgateway/{g['NatGatewayId']}"), name=name_tag(g, g["NatGatewayId"]),
                       region=region, tags=tags(g.get("Tags")), zones=[zone] if zone else None,
                       attrs={"kind": "nat", "network": arn(acct, "ec2", region, f"vpc/{g['VpcId']}") if g.get("VpcId") else None,
                              "network_zones": None if None in peers else zone_names.zones(peers)},
                       raw=g, ref="ec2:DescribeNatGateways")


def resources(acct):
    for region, raw in acct.regions.items():
        yield from _firewalls(acct, region, raw)
        yield from _vpcs(acct, region, raw)
        yield from _nat_gateways(acct, region, raw)
        yield from _instances(acct, region, raw)
        yield from _disks(acct, region, raw)
