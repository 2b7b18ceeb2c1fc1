"""EC2 and VPC in one region: the network (VPCs, subnets, security groups, network ACLs,
route tables, internet and NAT gateways, peering, flow logs), instances, volumes, the
region's EBS encryption-by-default setting, the account's own EBS snapshots, and its
site-to-site VPN connections."""

# (API, key of the items, canonical types a failure hides). Route tables and gateways
# feed no checked attribute but are part of a VPC's evidence, so their loss is recorded
# against network.vpc; subnets also give EKS clusters their zones.
LISTS = (
    ("ec2:DescribeVpcs", "Vpcs", ("network.vpc",)),
    ("ec2:DescribeSubnets", "Subnets", ("network.vpc", "k8s.cluster", "network.gateway")),
    ("ec2:DescribeSecurityGroups", "SecurityGroups", ("network.firewall", "network.vpc")),  # vpc: its default group
    ("ec2:DescribeNetworkAcls", "NetworkAcls", ("network.firewall",)),
    ("ec2:DescribeRouteTables", "RouteTables", ("network.vpc",)),
    ("ec2:DescribeInternetGateways", "InternetGateways", ("network.vpc",)),
    ("ec2:DescribeNatGateways", "NatGateways", ("network.vpc", "network.gateway")),
    ("ec2:DescribeVpcPeeringConnections", "VpcPeeringConnections", ("network.vpc",)),
    ("ec2:DescribeFlowLogs", "FlowLogs", ("network.vpc",)),
    ("ec2:DescribeInstances", "Reservations", ("compute.instance", "compute.host_management")),
    ("ec2:DescribeVolumes", "Volumes", ("compute.disk",)),
)


def read(r) -> dict:
    raw = {}
    for api, key, hides in LISTS:
        items = r.list(api, key, hides)
        if items is not None:
            raw[api] = items
    ebs = r.get("ec2:GetEbsEncryptionByDefault", ("cloud.region",))
    if ebs is not None:
        raw["ec2:GetEbsEncryptionByDefault"] = ebs
    # Backups taken (GM-BAK-002): the account's own snapshots — AWS Backup and Data
    # Lifecycle Manager make EBS snapshots too. Summarised per volume by the normaliser.
    snapshots = r.list("ec2:DescribeSnapshots", "Snapshots", ("compute.disk",), OwnerIds=["self"])
    if snapshots is not None:
        raw["ec2:DescribeSnapshots"] = snapshots
    # Site-to-site VPN connections and their tunnels' state (GM-VPN-001). The customer
    # gateway configuration (an XML document holding the tunnels' pre-shared keys) and the
    # tunnel options are dropped here, never kept.
    vpns = r.list("ec2:DescribeVpnConnections", "VpnConnections", ("network.vpn",))
    if vpns is not None:
        raw["ec2:DescribeVpnConnections"] = [{k: v for k, v in c.items() if k in VPN_FIELDS} for c in vpns]
    return raw


VPN_FIELDS = ("VpnConnectionId", "State", "Type", "Category", "CustomerGatewayId", "VpnGatewayId", "TransitGatewayId",
              "VgwTelemetry", "Tags")
