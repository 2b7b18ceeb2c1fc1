"""GM-VPN-001 (5.2.3.7: an alternative path for critical systems) through the collector paths
that read site-to-site VPNs, other than the live AWS scan of the reference account
(tests/test_aws_reference.py, where moto reports no tunnel telemetry: NOT_EVALUATED): the
AWS reader and normaliser on recorded DescribeVpnConnections shapes, Terraform plans (AWS
and GCP), and GCP HA and Classic VPN gateways through Cloud Asset Inventory, imported and
live. Azure's virtual network gateways are not read (README). Each VPN's exact status is
asserted."""

import copy
import json

from test_gcp_collect import key_file  # noqa: F401  (the fixture: a service-account key made for the tests)
from test_k8s_control_plane import _change
from test_load_distribution import _plan_of
from vulnerability_support import judge, snapshot
from genmei.collectors.aws.model import AccountRaw
from genmei.collectors.aws.normalise import normalise as aws_normalise
from genmei.collectors.aws.read import ec2 as ec2_read
from genmei.collectors.aws.read.directconnect import read as dx_read_fn
from genmei.engine.cli import main

CHECK = "GM-VPN-001"
PSK = "aBcDeFgHiJkLmNoPqRsTuVwXyZ1234567"

# The shape of the AWS CLI reference's describe-vpn-connections example: one tunnel DOWN, one UP.
RECORDED = {
    "CustomerGatewayConfiguration": f"<vpn_connection><ipsec_tunnel><ike><pre_shared_key>{PSK}</pre_shared_key></ike></ipsec_tunnel></vpn_connection>",
    "CustomerGatewayId": "cgw-01234567abcde1234", "Category": "VPN", "State": "available", "Type": "ipsec.1",
    "VpnConnectionId": "vpn-1122334455aabbccd", "TransitGatewayId": "tgw-00112233445566aab",
    "Options": {"EnableAcceleration": False, "StaticRoutesOnly": True, "TunnelOptions": [
        {"OutsideIpAddress": "203.0.113.3", "TunnelInsideCidr": "169.254.10.0/30", "PreSharedKey": PSK},
        {"OutsideIpAddress": "203.0.113.5", "TunnelInsideCidr": "169.254.11.0/30", "PreSharedKey": PSK}]},
    "Routes": [], "Tags": [{"Key": "Name", "Value": "CanadaVPN"}],
    "VgwTelemetry": [
        {"AcceptedRouteCount": 0, "LastStatusChange": "2020-07-29T10:35:11.000Z", "OutsideIpAddress": "203.0.113.3",
         "Status": "DOWN", "StatusMessage": ""},
        {"AcceptedRouteCount": 0, "LastStatusChange": "2020-09-02T09:09:33.000Z", "OutsideIpAddress": "203.0.113.5",
         "Status": "UP", "StatusMessage": ""}],
}


class Reader:
    """Answers the EC2 and Direct Connect readers' list calls with the items recorded."""

    def __init__(self, vpns, vifs=()):
        self.answers = {"ec2:DescribeVpnConnections": list(vpns), "directconnect:DescribeVirtualInterfaces": list(vifs)}

    def list(self, api, key, hides, **params):
        return self.answers.get(api, [])

    def get(self, api, hides):
        return None


def _connection(name, statuses, **extra):
    c = copy.deepcopy(RECORDED)
    c["VpnConnectionId"], c["Tags"] = f"vpn-{name}", [{"Key": "Name", "Value": name}]
    for t, status in zip(c["VgwTelemetry"], statuses):
        t["Status"] = status
    return {**c, **extra}


# A Direct Connect virtual interface as DescribeVirtualInterfaces returns it (authKey: its BGP key).
VIF = {"ownerAccount": "123456789012", "virtualInterfaceId": "dxvif-ffhhk74f", "location": "EqDC2", "connectionId": "dxcon-fguhmqlc",
       "virtualInterfaceType": "private", "virtualInterfaceName": "office-dx", "vlan": 101, "asn": 65000, "authKey": "0x7nQ4pSXbBGPkey",
       "virtualInterfaceState": "available", "virtualGatewayId": "vgw-0a1b2c3d", "region": "ap-northeast-1"}


def account(number, vpns, vifs=(), dx_read=True) -> list[dict]:
    """The network.vpn resources of one account's region, read through the EC2 and Direct Connect readers."""
    reader = Reader(vpns, vifs)
    raw = {**ec2_read.read(reader), **(dx_read_fn(reader) if dx_read else {})}
    text = json.dumps(raw)
    assert PSK not in text and "CustomerGatewayConfiguration" not in text and "Options" not in text and "authKey" not in text
    return [r for r in aws_normalise(AccountRaw(account=number, regions={"ap-northeast-1": raw})) if r["type"] == "network.vpn"]


def test_aws_read_and_normalise(tmp_path):
    found = (account("111111111111", [_connection("sole-one-up", ("DOWN", "UP")), _connection("gone", ("DOWN", "DOWN"), State="deleted")])
             + account("222222222222", [_connection("both-up", ("UP", "UP")), _connection("beside-both-up", ("DOWN", "UP"))])
             + account("333333333333", [_connection("backed-by-dx", ("DOWN", "UP"))], [VIF])
             + account("444444444444", [_connection("dx-unread", ("DOWN", "UP"))], dx_read=False)
             + account("555555555555", [_connection("no-telemetry", (), VgwTelemetry=[]),
                                         _connection("creating", ("DOWN", "DOWN"), State="pending")])
             + account("666666666666", [_connection("all-down", ("DOWN", "DOWN"))]))
    names = {r["id"]: r["name"] for r in found}
    results = judge(snapshot(found, "aws"), tmp_path, (CHECK,))
    by_name = {names[rid]: r for (_, rid), r in results.items()}
    assert {n: r["status"] for n, r in by_name.items()} == {
        "sole-one-up": "FAIL", "both-up": "PASS", "beside-both-up": "NOT_EVALUATED", "backed-by-dx": "NOT_EVALUATED",
        "dx-unread": "NOT_EVALUATED", "no-telemetry": "NOT_EVALUATED", "creating": "NOT_EVALUATED", "all-down": "NOT_EVALUATED"}
    assert by_name["all-down"]["reason"].startswith("no tunnel is up")  # an outage or a VPN not in use: not told apart
    assert by_name["sole-one-up"]["evidence"] == {"gateway_interfaces": 2, "tunnels": 2, "tunnels_up": 1, "other_links": 0}
    assert by_name["beside-both-up"]["evidence"]["other_links"] == 1     # the other connection, UP
    assert by_name["backed-by-dx"]["evidence"]["other_links"] == 1       # the virtual interface
    assert "directconnect:DescribeVirtualInterfaces" in by_name["dx-unread"]["reason"]
    assert "VgwTelemetry" in by_name["no-telemetry"]["reason"]
    sole = next(r for r in found if r["name"] == "sole-one-up")
    assert sole["id"] == "arn:aws:ec2:ap-northeast-1:111111111111:vpn-connection/vpn-sole-one-up"


def test_aws_unread_connections_leave_a_gap_not_a_pass():
    """A region whose DescribeVpnConnections failed has no key: no VPN is invented."""
    assert [r for r in aws_normalise(AccountRaw(account="1", regions={"ap-northeast-1": {}})) if r["type"] == "network.vpn"] == []


def test_terraform_plans(tmp_path):
    """Tunnel state is runtime: an AWS connection and an HA gateway are not evaluated; a
    Classic gateway has one interface, but whether another link is its alternative path is
    not in a plan: not evaluated either."""
    by_id, _ = _plan_of(tmp_path, [
        _change("aws_vpn_connection.office", "aws", {"type": "ipsec.1", "customer_gateway_id": "cgw-1", "vpn_gateway_id": "vgw-1"}),
        _change("google_compute_ha_vpn_gateway.ha", "google", {"name": "ha", "region": "asia-northeast1"}),
        _change("google_compute_vpn_gateway.classic", "google", {"name": "classic", "region": "asia-northeast1"}),
    ])
    vpns = [r for r in by_id.values() if r["type"] == "network.vpn"]
    (tmp_path / "judge").mkdir()
    results = judge(snapshot(vpns, "mixed"), tmp_path / "judge", (CHECK,))
    assert {rid: r["status"] for (_, rid), r in results.items()} == {
        "aws_vpn_connection.office": "NOT_EVALUATED", "google_compute_ha_vpn_gateway.ha": "NOT_EVALUATED",
        "google_compute_vpn_gateway.classic": "NOT_EVALUATED"}
    assert results[(CHECK, "aws_vpn_connection.office")]["reason"] == "attrs.tunnels_up was not collected: a plan does not hold the tunnels' state"


# --- GCP: HA and Classic VPN gateways in Cloud Asset Inventory ---------------------------------

def _asset(project, name, asset_type, data):
    return {"name": f"//compute.googleapis.com/projects/{project}/{name}", "asset_type": asset_type, "resource": {
        "version": "v1", "discovery_name": asset_type.rsplit("/", 1)[1],
        "parent": "//cloudresourcemanager.googleapis.com/projects/314159265358", "data": data, "location": "asia-northeast1"},
        "ancestors": ["projects/314159265358"], "update_time": "2026-11-01T09:00:00.000Z"}


def _link(project, path):
    return f"https://www.googleapis.com/compute/v1/projects/{project}/regions/asia-northeast1/{path}"


def _ha(project, n):
    return _asset(project, f"regions/asia-northeast1/vpnGateways/{n}", "compute.googleapis.com/VpnGateway", {
        "name": n, "vpnInterfaces": [{"id": 0, "ipAddress": "35.242.1.1"}, {"id": 1, "ipAddress": "35.220.1.1"}]})


def _classic(project, n):
    return _asset(project, f"regions/asia-northeast1/targetVpnGateways/{n}", "compute.googleapis.com/TargetVpnGateway",
                  {"name": n, "tunnels": [_link(project, f"vpnTunnels/{n}-0")]})


def _tunnel(project, n, status, ha=None, interface=None, classic=None):
    data = {"name": n, "status": status}
    if ha:
        data.update(vpnGateway=_link(project, f"vpnGateways/{ha}"), vpnGatewayInterface=interface)
    else:
        data["targetVpnGateway"] = _link(project, f"targetVpnGateways/{classic}")
    return _asset(project, f"regions/asia-northeast1/vpnTunnels/{n}", "compute.googleapis.com/VpnTunnel", data)


def gcp_assets(with_tunnels=True) -> list[dict]:
    """genmei-demo: an HA gateway with a tunnel up on each interface, and one whose two tunnels
    are both on interface 0 (beside the first, which may be its alternative); genmei-solo: a
    Classic gateway, the project's only link; genmei-lone: an HA gateway with one interface
    up, the only link; genmei-dx: a Classic gateway beside an Interconnect attachment."""
    assets = [_ha("genmei-demo", "ha-both"), _ha("genmei-demo", "ha-one"), _classic("genmei-solo", "classic-solo"),
              _ha("genmei-lone", "ha-lone"), _classic("genmei-dx", "classic-dx"),
              _asset("genmei-dx", "regions/asia-northeast1/interconnectAttachments/office", "compute.googleapis.com/InterconnectAttachment",
                     {"name": "office", "state": "ACTIVE", "type": "DEDICATED"})]
    if with_tunnels:
        assets += [_tunnel("genmei-demo", "b0", "ESTABLISHED", "ha-both", 0), _tunnel("genmei-demo", "b1", "ESTABLISHED", "ha-both", 1),
                   _tunnel("genmei-demo", "o0", "ESTABLISHED", "ha-one", 0), _tunnel("genmei-demo", "o0b", "ESTABLISHED", "ha-one", 0),
                   _tunnel("genmei-solo", "classic-solo-0", "ESTABLISHED", classic="classic-solo"),
                   _tunnel("genmei-lone", "l0", "ESTABLISHED", "ha-lone", 0), _tunnel("genmei-lone", "l1", "NO_INCOMING_PACKETS", "ha-lone", 1),
                   _tunnel("genmei-dx", "classic-dx-0", "ESTABLISHED", classic="classic-dx")]
    return assets


GCP_EXPECTED = {"ha-both": "PASS", "ha-one": "NOT_EVALUATED", "classic-solo": "FAIL", "ha-lone": "FAIL", "classic-dx": "NOT_EVALUATED"}


def test_gcp_cai_import(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # without the tunnels in the export, neither the HA gateways' state nor the other links are known
    for with_tunnels, expected in ((True, GCP_EXPECTED), (False, dict.fromkeys(GCP_EXPECTED, "NOT_EVALUATED"))):
        (tmp_path / "cai.jsonl").write_text("\n".join(json.dumps(a) for a in gcp_assets(with_tunnels)) + "\n")
        snap = tmp_path / "s.json"
        assert main(["import", "gcp-cai", str(tmp_path / "cai.jsonl"), "--out", str(snap)]) == 0, capsys.readouterr().err
        doc = json.loads(snap.read_text())
        names = {r["id"]: r["name"] for r in doc["resources"]}
        (tmp_path / str(with_tunnels)).mkdir()
        results = judge(doc, tmp_path / str(with_tunnels), (CHECK,))
        assert {names[rid]: r["status"] for (_, rid), r in results.items()} == expected, with_tunnels
        if with_tunnels:
            by_name = {names[rid]: r for (_, rid), r in results.items()}
            assert by_name["ha-one"]["evidence"]["other_links"] == 1 and by_name["classic-dx"]["evidence"]["other_links"] == 1
            assert by_name["ha-lone"]["evidence"] == {"gateway_interfaces": 2, "tunnels": 2, "tunnels_up": 1, "other_links": 0}


def test_gcp_live(key_file, tmp_path):  # noqa: F811  (the fixture imported above)
    """`genmei scan gcp`: the real AssetServiceClient asks for gateways and tunnels."""
    from test_gcp_collect import CaiServer, make_env, scan

    server = CaiServer(key_file[1], gcp_assets())
    try:
        code, results, stderr = scan(server, make_env(key_file, tmp_path), tmp_path / "out", "--no-scc")
        asked = {t for r in server.requests for t in r["types"]}
    finally:
        server.close()
    assert code == 0, stderr
    assert {name: r["status"] for (c, name), r in results.items() if c == CHECK} == GCP_EXPECTED
    assert {"compute.googleapis.com/VpnGateway", "compute.googleapis.com/TargetVpnGateway", "compute.googleapis.com/VpnTunnel",
            "compute.googleapis.com/InterconnectAttachment"} <= asked
