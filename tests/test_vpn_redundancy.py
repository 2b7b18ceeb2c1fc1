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
from test_load_distribution import _plan_of
from vulnerability_support import judge, snapshot
from genmei.collectors.aws.model import AccountRaw
from genmei.collectors.aws.normalise import normalise as aws_normalise
from genmei.collectors.aws.read import ec2 as ec2_read
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
    """Answers the EC2 reader's list calls: the VPN connections recorded, nothing else."""

    def __init__(self, vpns):
        self.vpns = vpns

    def list(self, api, key, hides, **params):
        return self.vpns if api == "ec2:DescribeVpnConnections" else []

    def get(self, api, hides):
        return None


def _connection(name, statuses, **extra):
    c = copy.deepcopy(RECORDED)
    c["VpnConnectionId"], c["Tags"] = f"vpn-{name}", [{"Key": "Name", "Value": name}]
    for t, status in zip(c["VgwTelemetry"], statuses):
        t["Status"] = status
    return {**c, **extra}


def test_aws_read_and_normalise(tmp_path):
    vpns = [_connection("both-up", ("UP", "UP")), _connection("one-up", ("DOWN", "UP")),
            _connection("no-telemetry", (), VgwTelemetry=[]), _connection("creating", ("DOWN", "DOWN"), State="pending"),
            _connection("gone", ("DOWN", "DOWN"), State="deleted")]
    raw = ec2_read.read(Reader(vpns))
    text = json.dumps(raw)
    assert PSK not in text and "CustomerGatewayConfiguration" not in text and "Options" not in text
    found = [r for r in aws_normalise(AccountRaw(account="123456789012", regions={"ap-northeast-1": raw})) if r["type"] == "network.vpn"]
    names = {r["id"]: r["name"] for r in found}
    results = judge(snapshot(found, "aws"), tmp_path, (CHECK,))
    assert {names[rid]: r["status"] for (_, rid), r in results.items()} == {
        "both-up": "PASS", "one-up": "FAIL", "no-telemetry": "NOT_EVALUATED", "creating": "NOT_EVALUATED"}
    by_name = {names[rid]: r for (_, rid), r in results.items()}
    assert by_name["one-up"]["evidence"] == {"gateway_interfaces": 2, "tunnels": 2, "tunnels_up": 1}
    assert "VgwTelemetry" in by_name["no-telemetry"]["reason"]
    assert found[0]["id"] == "arn:aws:ec2:ap-northeast-1:123456789012:vpn-connection/vpn-both-up"


def test_aws_unread_connections_leave_a_gap_not_a_pass():
    """A region whose DescribeVpnConnections failed has no key: no VPN is invented."""
    assert [r for r in aws_normalise(AccountRaw(account="1", regions={"ap-northeast-1": {}})) if r["type"] == "network.vpn"] == []


def _change(address, provider, after):
    return {"address": address, "mode": "managed", "type": address.split(".")[0], "name": address.split(".")[1],
            "provider_name": f"registry.terraform.io/hashicorp/{provider}",
            "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": {}}}


def test_terraform_plans(tmp_path):
    """Tunnel state is runtime: an AWS connection and an HA gateway are not evaluated; a
    Classic gateway's single interface is configuration: FAIL."""
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
        "google_compute_vpn_gateway.classic": "FAIL"}
    assert results[(CHECK, "aws_vpn_connection.office")]["reason"] == "attrs.tunnels_up was not collected: a plan does not hold the tunnels' state"


# --- GCP: HA and Classic VPN gateways in Cloud Asset Inventory ---------------------------------

GCP = "//compute.googleapis.com/projects/genmei-demo/"
LINK = "https://www.googleapis.com/compute/v1/projects/genmei-demo/"


def _asset(name, asset_type, data):
    return {"name": GCP + name, "asset_type": asset_type, "resource": {
        "version": "v1", "discovery_name": asset_type.rsplit("/", 1)[1],
        "parent": "//cloudresourcemanager.googleapis.com/projects/314159265358", "data": data, "location": "asia-northeast1"},
        "ancestors": ["projects/314159265358"], "update_time": "2026-11-01T09:00:00.000Z"}


def gcp_assets(with_tunnels=True) -> list[dict]:
    ha = lambda n: _asset(f"regions/asia-northeast1/vpnGateways/{n}", "compute.googleapis.com/VpnGateway", {  # noqa: E731
        "name": n, "vpnInterfaces": [{"id": 0, "ipAddress": "35.242.1.1"}, {"id": 1, "ipAddress": "35.220.1.1"}]})
    tunnel = lambda n, gw, i, status: _asset(f"regions/asia-northeast1/vpnTunnels/{n}", "compute.googleapis.com/VpnTunnel", {  # noqa: E731
        "name": n, "vpnGateway": LINK + f"regions/asia-northeast1/vpnGateways/{gw}", "vpnGatewayInterface": i, "status": status})
    assets = [ha("ha-both"), ha("ha-one"),
              _asset("regions/asia-northeast1/targetVpnGateways/classic", "compute.googleapis.com/TargetVpnGateway",
                     {"name": "classic", "tunnels": [LINK + "regions/asia-northeast1/vpnTunnels/c0", LINK + "regions/asia-northeast1/vpnTunnels/c1"]})]
    if with_tunnels:
        assets += [tunnel("b0", "ha-both", 0, "ESTABLISHED"), tunnel("b1", "ha-both", 1, "ESTABLISHED"),
                   # both tunnels of ha-one on interface 0 (one up), interface 1 unused: one path
                   tunnel("o0", "ha-one", 0, "ESTABLISHED"), tunnel("o0b", "ha-one", 0, "ESTABLISHED"),
                   tunnel("c0", "classic", 0, "ESTABLISHED")]
    return assets


GCP_EXPECTED = {"ha-both": "PASS", "ha-one": "FAIL", "classic": "FAIL"}


def test_gcp_cai_import(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for with_tunnels, expected in ((True, GCP_EXPECTED), (False, {**GCP_EXPECTED, "ha-both": "NOT_EVALUATED", "ha-one": "NOT_EVALUATED"})):
        (tmp_path / "cai.jsonl").write_text("\n".join(json.dumps(a) for a in gcp_assets(with_tunnels)) + "\n")
        snap = tmp_path / "s.json"
        assert main(["import", "gcp-cai", str(tmp_path / "cai.jsonl"), "--out", str(snap)]) == 0, capsys.readouterr().err
        doc = json.loads(snap.read_text())
        names = {r["id"]: r["name"] for r in doc["resources"]}
        (tmp_path / str(with_tunnels)).mkdir()
        results = judge(doc, tmp_path / str(with_tunnels), (CHECK,))
        assert {names[rid]: r["status"] for (_, rid), r in results.items()} == expected, with_tunnels
    # without the tunnels, the classic gateway still fails on its one interface


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
    assert {"compute.googleapis.com/VpnGateway", "compute.googleapis.com/TargetVpnGateway", "compute.googleapis.com/VpnTunnel"} <= asked
