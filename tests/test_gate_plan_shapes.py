"""Plans the gate must not read as "no rules" or crash on: inline rules known only after
apply (written configuration beats after_unknown), and planned values of the wrong shape
(one line, exit 2). The plan is the gate's acceptance case (tests/fixtures/tfplan/
ssh_open.tfplan.json) changed in the one place each case is about; Terraform writes a
rule block in `configuration` as the constant value below (tests/test_parity.py shows it
on plans Terraform makes)."""

import copy
import json

import pytest

from gate_helpers import PLANS, gate_json, run_main, statuses

BASE = json.loads((PLANS / "ssh_open.tfplan.json").read_text())
SG = "aws_security_group.bastion"
WRITTEN_SSH = {"constant_value": [{"cidr_blocks": ["0.0.0.0/0"], "description": "ssh", "from_port": 22, "ipv6_cidr_blocks": None,
                                   "prefix_list_ids": None, "protocol": "tcp", "security_groups": None, "self": None, "to_port": 22}]}


def plan_with(tmp_path, ingress_expression=None, actions=("create",), configuration=True, after_ingress=None):
    """The acceptance plan with its group's ingress known only after apply, and the
    configuration writing `ingress_expression` (None: writing no ingress)."""
    doc = copy.deepcopy(BASE)
    change = doc["resource_changes"][0]["change"]
    change["actions"] = list(actions)
    if after_ingress is None:
        del change["after"]["ingress"]
        change["after_unknown"]["ingress"] = True
    else:
        change["after"]["ingress"] = after_ingress
    del doc["planned_values"]
    expressions = doc["configuration"]["root_module"]["resources"][0]["expressions"]
    if ingress_expression is not None:
        expressions["ingress"] = ingress_expression
    if not configuration:
        del doc["configuration"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    return path


def admin(evidence):
    return statuses(evidence)[("GM-ADMIN-001", SG)]


def test_written_rules_are_judged_when_the_planned_ones_are_unknown(tmp_path):
    code, evidence = gate_json(plan_with(tmp_path, WRITTEN_SSH))
    assert code == 1 and admin(evidence)["status"] == "FAIL"
    assert admin(evidence)["evidence"]["exposed_ports"] == [22]


def test_rules_written_from_values_known_after_apply_are_not_evaluated_and_fail_the_closed_gate(tmp_path):
    plan = plan_with(tmp_path, {"references": ["var.office_cidr", "aws_eip.nat.public_ip"]})
    code, evidence = gate_json(plan)
    assert admin(evidence)["status"] == "NOT_EVALUATED"
    assert admin(evidence)["reason"] == "attrs.rules is known only after apply"
    assert code == 0
    code, _ = gate_json(plan, "--fail-on-unknown")
    assert code == 1


def test_no_rules_written_on_a_new_group_is_no_rules(tmp_path):
    code, evidence = gate_json(plan_with(tmp_path, None))
    assert code == 0 and admin(evidence)["status"] == "PASS"


@pytest.mark.parametrize("kwargs", [
    {"actions": ("update",)},          # an existing group: rules outside the plan may exist
    {"configuration": False},          # no configuration: whether rules are written cannot be told
])
def test_unknown_rules_that_cannot_be_told_are_not_evaluated(tmp_path, kwargs):
    code, evidence = gate_json(plan_with(tmp_path, None, **kwargs), "--fail-on-unknown")
    assert code == 1 and admin(evidence)["status"] == "NOT_EVALUATED"


@pytest.mark.parametrize("port, detail", [
    # Refused already by the JSON reader (engine/jsonio.py), before any resource is read.
    ("1e99999", "malformed JSON: number 1e99999 is too large"),
    ("22.5", "expected a whole number, got 22.5"),
    ('"ssh"', "expected a whole number, got 'ssh'"),
    ("70000", "70000 is outside 0..65535"),
    ("[22]", "expected a whole number, got a JSON array"),
])
def test_a_port_of_the_wrong_shape_is_one_line_exit_2(tmp_path, port, detail):
    doc = {k: v for k, v in BASE.items() if k != "planned_values"}
    text = json.dumps(doc).replace('"to_port": 22', f'"to_port": {port}', 1)
    assert f'"to_port": {port}' in text
    path = tmp_path / "plan.json"
    path.write_text(text)
    code, out, err = run_main("gate", path, "--format", "json")
    assert code == 2 and out == "" and err.count("\n") == 1, err
    where = f"{path}: " if port == "1e99999" else f"{path}: {SG}: "
    assert where in err and detail in err, err


def test_a_rule_list_of_the_wrong_shape_is_one_line_exit_2(tmp_path):
    path = plan_with(tmp_path, after_ingress=[{"protocol": {"tcp": True}, "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}])
    code, out, err = run_main("gate", path, "--format", "json")
    assert code == 2 and out == "" and err.count("\n") == 1 and f"{SG}: protocol:" in err, err


AZURE_NSG = {
    "format_version": "1.2", "terraform_version": "1.11.4",
    "resource_changes": [{
        "address": "azurerm_network_security_group.mgmt", "mode": "managed", "type": "azurerm_network_security_group",
        "name": "mgmt", "provider_name": "registry.terraform.io/hashicorp/azurerm",
        "change": {"actions": ["create"], "before": None,
                   "after": {"name": "mgmt", "location": "japaneast", "resource_group_name": "rg"},
                   "after_unknown": {"id": True, "security_rule": True}}}],
    "configuration": {"root_module": {"resources": [{
        "address": "azurerm_network_security_group.mgmt", "mode": "managed", "type": "azurerm_network_security_group",
        "name": "mgmt", "expressions": {"name": {"constant_value": "mgmt"}, "security_rule": {"constant_value": [{
            "name": "rdp", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "source_port_range": "*", "destination_port_range": "3389", "source_address_prefix": "Internet",
            "destination_address_prefix": "*", "destination_port_ranges": None, "source_address_prefixes": None,
            "source_application_security_group_ids": None}]}}}]}},
}


def test_written_nsg_rules_are_judged_when_the_planned_ones_are_unknown(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(AZURE_NSG))
    code, evidence = gate_json(path)
    r = statuses(evidence)[("GM-ADMIN-001", "azurerm_network_security_group.mgmt")]
    assert code == 1 and r["status"] == "FAIL" and r["evidence"]["exposed_ports"] == [3389]


def crypto_key_plan(tmp_path, rotation_period, template_expression=None, after_template=None, configuration=True):
    """A google_kms_crypto_key as Terraform plans it: version_template is computed, so it is
    known only after apply unless the plan's `after` carries it (`after_template`); the
    configuration writes `template_expression` (None: no version_template block)."""
    after = {"name": "k", "purpose": "ENCRYPT_DECRYPT", "rotation_period": rotation_period, "labels": None,
             "skip_initial_version_creation": None, "timeouts": None}
    after_unknown = {"id": True, "key_ring": True, "self_link": True}
    if after_template is None:
        after_unknown["version_template"] = True
    else:
        after["version_template"] = after_template
    expressions = {"key_ring": {"references": ["google_kms_key_ring.r.id", "google_kms_key_ring.r"]},
                   "name": {"constant_value": "k"}}
    if rotation_period:
        expressions["rotation_period"] = {"constant_value": rotation_period}
    if template_expression is not None:
        expressions["version_template"] = template_expression
    doc = {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [{
        "address": "google_kms_crypto_key.k", "mode": "managed", "type": "google_kms_crypto_key", "name": "k",
        "provider_name": "registry.terraform.io/hashicorp/google",
        "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": after_unknown}}]}
    if configuration:
        doc["configuration"] = {"root_module": {"resources": [{
            "address": "google_kms_crypto_key.k", "mode": "managed", "type": "google_kms_crypto_key", "name": "k",
            "provider_config_key": "google", "expressions": expressions, "schema_version": 1}]}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    return path


def crypto_key(evidence):
    return statuses(evidence)[("GM-KMS-001", "google_kms_crypto_key.k")]


@pytest.mark.parametrize("period, status", [("7776000s", "PASS"), (None, "FAIL")])
def test_a_crypto_key_without_a_written_version_template_has_the_default_one(tmp_path, period, status):
    """Regula's FG_R00378 fixture (tests/fixtures/peers): a key that writes no
    version_template gets Cloud KMS's default (symmetric, SOFTWARE), which rotates, so its
    rotation is judged rather than left 'known only after apply'."""
    _, evidence = gate_json(crypto_key_plan(tmp_path, period))
    assert crypto_key(evidence)["status"] == status, crypto_key(evidence)


def test_a_crypto_key_in_an_external_key_manager_is_not_judged(tmp_path):
    written = [{"algorithm": {"constant_value": "EXTERNAL_SYMMETRIC_ENCRYPTION"}, "protection_level": {"constant_value": "EXTERNAL"}}]
    planned = [{"algorithm": "EXTERNAL_SYMMETRIC_ENCRYPTION", "protection_level": "EXTERNAL"}]
    _, evidence = gate_json(crypto_key_plan(tmp_path, None, written, planned))
    r = crypto_key(evidence)
    assert r["status"] == "NOT_EVALUATED" and r["evidence"]["rotation_supported"] is False, r


@pytest.mark.parametrize("kwargs", [
    {"template_expression": [{"algorithm": {"constant_value": "GOOGLE_SYMMETRIC_ENCRYPTION"},
                              "protection_level": {"references": ["var.protection_level"]}}]},
    {"configuration": False},   # no configuration: whether a template is written cannot be told
])
def test_a_crypto_key_template_known_only_after_apply_is_not_evaluated(tmp_path, kwargs):
    _, evidence = gate_json(crypto_key_plan(tmp_path, "7776000s", **kwargs))
    r = crypto_key(evidence)
    assert r["status"] == "NOT_EVALUATED" and r["evidence"]["missing"] == ["attrs.rotation_supported"], r
