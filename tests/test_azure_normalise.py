"""Edge cases of the Azure normalisers: what is undetermined stays undetermined."""

import pytest

from genmei.collectors.azure.inventory import Inventory, Item
from genmei.collectors.azure.normalise import database, keyvault, network, normalise, storage
from genmei.collectors.canonical.redact import raw as redact
from genmei.collectors.canonical.values import ShapeError

SUB = "66666666-6666-6666-6666-666666666666"


def item(arm_type: str, name: str, properties: dict | None, **extra) -> Item:
    arm = {"id": f"/subscriptions/{SUB}/resourceGroups/rg/providers/{arm_type}/{name}", "name": name, "type": arm_type,
           "location": "japaneast", **extra}
    if properties is not None:
        arm["properties"] = properties
    return Item(arm, {"kind": "example"})


@pytest.mark.parametrize("rule,expected", [
    ({"destinationPortRange": "*"}, None),   # every port
    ({"destinationPortRange": "22"}, [(22, 22)]),
    ({"destinationPortRanges": ["1000-2000", "443"]}, [(1000, 2000), (443, 443)]),
])
def test_port_ranges(rule, expected):
    assert network.port_ranges(rule) == expected


@pytest.mark.parametrize("spec", ["http", "90-80", "70000"])
def test_unreadable_ports_are_refused(spec):
    with pytest.raises(ShapeError):
        network.port_ranges({"destinationPortRange": spec})
    assert network.nsg_rule({"direction": "Inbound", "access": "Allow", "protocol": "Tcp", "priority": 100,
                             "destinationPortRange": spec, "sourceAddressPrefix": "*"}) is None


def test_an_unreadable_rule_leaves_the_nsg_undetermined():
    rules = [{"name": "r", "properties": {"priority": 100, "access": "Allow", "direction": "Inbound", "protocol": "Tcp",
                                          "destinationPortRange": "ssh", "sourceAddressPrefix": "*"}}]
    nsg = item("Microsoft.Network/networkSecurityGroups", "n", {"securityRules": rules})
    assert network.nsg_rules(nsg.arm) is None
    assert network.nsg_rules(item("Microsoft.Network/networkSecurityGroups", "n", None).arm) is None


@pytest.mark.parametrize("start,end,world", [
    ("0.0.0.0", "255.255.255.255", True),
    ("1.0.0.0", "254.255.255.255", True),
    ("0.0.0.0", "0.0.0.0", False),  # "allow Azure services"
    ("203.0.113.0", "203.0.113.255", False),
    ("not-an-ip", "255.255.255.255", False),
])
def test_world_firewall_rules(start, end, world):
    assert database.world_rule({"properties": {"startIpAddress": start, "endIpAddress": end}}) is world


def test_public_database_needs_its_rules_unless_disabled():
    assert database.public("Disabled", None) is False
    assert database.public("Enabled", None) is None
    assert database.public("Enabled", []) is False


def test_storage_blob_access_unset_is_undetermined():
    assert storage.public({"allowBlobPublicAccess": None}) == (None, [])
    assert storage.public({"publicNetworkAccess": "Disabled", "allowBlobPublicAccess": True}) == (False, [])
    assert storage.tls({"supportsHttpsTrafficOnly": True}) == {"enforced": True, "min_version": "1.0"}  # documented default


@pytest.mark.parametrize("duration,days", [("P90D", 90), ("P3M", 90), ("P1Y", 365), ("P2W", 14), ("PT1H", None), ("", None), (None, None)])
def test_rotation_periods(duration, days):
    assert keyvault.period_days(duration) == days


def test_a_vm_whose_nic_was_not_read_has_no_exposure_attrs():
    inv = Inventory(source={"kind": "example"})
    vm = item("Microsoft.Compute/virtualMachines", "vm", {"networkProfile": {"networkInterfaces": [{"id": "/subscriptions/x/nic"}]}})
    inv.items["microsoft.compute/virtualmachines"] = [vm]
    [instance] = [r for r in normalise(inv)[0] if r["type"] == "compute.instance"]
    assert instance["attrs"] == {}


def test_flow_logs_are_not_judged_unless_read():
    inv = Inventory(source={"kind": "example"})
    inv.items["microsoft.network/virtualnetworks"] = [item("Microsoft.Network/virtualNetworks", "v", {"subnets": []})]
    [vpc] = [r for r in normalise(inv)[0] if r["type"] == "network.vpc"]
    assert "flow_logs_enabled" not in vpc["attrs"] and vpc["zones"] is None


def test_redaction_keeps_settings_and_drops_secrets():
    raw = {"properties": {"adminPassword": "x", "disablePasswordAuthentication": True, "keySource": "Microsoft.Keyvault",
                          "connectionStrings": [{"value": "a"}], "note": "DefaultEndpointsProtocol=https;AccountKey=abc==",
                          "publicKeys": [{"keyData": "ssh-rsa AAA"}], "adminUsername": "azureuser"}}
    out = redact(raw)["properties"]
    assert out["adminPassword"] == out["connectionStrings"] == out["note"] == "[REDACTED]"
    assert out["disablePasswordAuthentication"] is True and out["keySource"] == "Microsoft.Keyvault"
    assert out["publicKeys"] == [{"keyData": "ssh-rsa AAA"}] and out["adminUsername"] == "azureuser"
