"""Crashes that the fuzzing (tests/test_fuzz_inputs.py) found in the canonical layer — the
plan reader and normalisers, the importers, the attrs of canonical types — each as the
smallest input that shows it: one value of a real fixture changed.

They belong to the canonical-layer lane of issue 13 and are reported to the lead, not
fixed here. Each is an xfail with strict=True: the day the canonical layer refuses the
input with one line (exit 2), the xfail turns into a failure that asks for its marker to
be removed, and the case stays as a regression test.
"""

import copy
import json

import pytest
from conftest import DEMO_SNAPSHOT, ROOT
from inproc import run_cli

FIXTURES = ROOT / "tests" / "fixtures"


def changed(doc, path: tuple, value):
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


def first(items, **where):
    return next(i for i, x in enumerate(items) if all(x.get(k) == v for k, v in where.items()))


def plan(name):
    return json.loads((FIXTURES / "tfplan" / name).read_text())


def graph():
    return json.loads((FIXTURES / "azure" / "graph-page1.json").read_text())


def cai_lines():
    return [json.loads(line) for line in (FIXTURES / "gcp" / "project.jsonl").read_text().splitlines() if line.strip()]


def cai_index(asset_type: str) -> int:
    return next(i for i, a in enumerate(cai_lines()) if a["asset_type"] == asset_type)


def canonical_layer(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"canonical layer (issue 13): {reason}")


def assert_refused(tmp_path, *args):
    out = tmp_path / "out.json"
    code, _, stderr = run_cli(*args, "--out", out)
    assert code == 2 and stderr.count("\n") == 1 and "internal error" not in stderr, stderr
    assert not out.exists()


# -- Terraform plans (genmei gate) -------------------------------------------------------------

def aws_sg_change_index(doc):
    return first(doc["resource_changes"], type="aws_security_group")


PLAN_CASES = [
    pytest.param("ssh_open.tfplan.json", ("configuration", "provider_config"), "aws",
                 marks=canonical_layer("provider_config a string: collectors/terraform/context.py region, AttributeError"),
                 id="provider_config-string"),
    pytest.param("ssh_open.tfplan.json", ("configuration", "provider_config", "aws"), ["aws"],
                 marks=canonical_layer("provider_config.aws a list: collectors/terraform/context.py region, AttributeError"),
                 id="provider_config-entry-list"),
    pytest.param("ssh_open.tfplan.json", ("resource_changes", 0, "change", "after", "ingress", 0, "to_port"), [22],
                 marks=canonical_layer("ingress to_port a list: collectors/terraform/aws.py _ports, TypeError"),
                 id="to_port-list"),
    pytest.param("ssh_open.tfplan.json", ("resource_changes", 0, "change", "after", "ingress", 0, "from_port"), {},
                 marks=canonical_layer("ingress from_port an object: collectors/terraform/aws.py _ports, TypeError"),
                 id="from_port-object"),
]


@pytest.mark.parametrize("fixture,path,value", PLAN_CASES)
def test_plan_value_of_a_wrong_type(tmp_path, fixture, path, value):
    (tmp_path / "plan.json").write_text(json.dumps(changed(plan(fixture), path, value)))
    assert_refused(tmp_path, "gate", tmp_path / "plan.json", "--format", "json")


@canonical_layer("provider_config_key a number: collectors/terraform/context.py region, AttributeError (no rsplit)")
def test_plan_provider_config_key_a_number(tmp_path):
    doc = plan("aws.tfplan.json")
    doc["configuration"]["root_module"]["resources"][0]["provider_config_key"] = 1e308
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    assert_refused(tmp_path, "gate", tmp_path / "plan.json", "--format", "json")


@canonical_layer("a zone that is a list reaches the snapshot schema: 'the normalised plan: does not match', exit 3")
def test_plan_zone_a_list(tmp_path):
    doc = plan("gcp.tfplan.json")
    i = next(i for i, rc in enumerate(doc["resource_changes"]) if isinstance(rc["change"]["after"], dict)
             and isinstance(rc["change"]["after"].get("zone"), str))
    doc["resource_changes"][i]["change"]["after"]["zone"] = [["asia-northeast1-a"]]
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    assert_refused(tmp_path, "gate", tmp_path / "plan.json", "--format", "json")


@canonical_layer("attrs of a wrong type (a boolean written as an object) become ERROR records: exit 3, not a one-line exit 2")
def test_plan_boolean_attribute_an_object(tmp_path):
    doc = plan("gcp.tfplan.json")
    i = first(doc["resource_changes"], type="google_storage_bucket")
    doc["resource_changes"][i]["change"]["after"]["uniform_bucket_level_access"] = {"value": True}
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    assert_refused(tmp_path, "gate", tmp_path / "plan.json", "--format", "json")


# -- snapshot attrs (genmei scan) ---------------------------------------------------------------

def demo():
    return json.loads(DEMO_SNAPSHOT.read_text())


@pytest.mark.parametrize("resource,path,value", [
    pytest.param("sg-0b22admin", ("attrs", "rules", 0, "port_ranges", 0, "from"), [],
                 marks=canonical_layer("port_ranges[].from a list: OPA eval_type_error, the whole scan exits 3"),
                 id="port-from-list"),
    pytest.param("sg-0b22admin", ("attrs", "rules", 0, "port_ranges"), 5,
                 marks=canonical_layer("port_ranges a number: OPA type error, exit 3 (listed in the issue)"), id="port_ranges-number"),
    pytest.param("web:8080", ("attrs", "tls", "enforced"), "False",
                 marks=canonical_layer("tls.enforced a string: ERROR records, exit 3"), id="tls-enforced-string"),
])
def test_snapshot_attrs_of_a_wrong_type(tmp_path, resource, path, value):
    doc = demo()
    i = next(i for i, r in enumerate(doc["resources"]) if r["id"].endswith(resource) or r.get("name") == resource)
    (tmp_path / "snap.json").write_text(json.dumps(changed(doc, ("resources", i, *path), value)))
    out = tmp_path / "ev"
    code, _, stderr = run_cli("scan", "--snapshot", tmp_path / "snap.json", "--out", out, "--no-store")
    assert code == 2 and stderr.count("\n") == 1, stderr
    assert not out.exists()


# -- Azure Resource Graph (genmei import azure-graph) ---------------------------------------------

@pytest.mark.parametrize("path,value", [
    pytest.param(("data", 2, "location"), 65535,
                 marks=canonical_layer("location a number: collectors/azure/normalise/common.py zone_names, AttributeError"),
                 id="location-number"),
    pytest.param(("data", 6, "location"), {"name": "japanwest"},
                 marks=canonical_layer("location an object: collectors/azure/normalise/common.py resource, AttributeError "
                                       "(listed in the issue)"), id="location-object"),
])
def test_azure_graph_value_of_a_wrong_type(tmp_path, path, value):
    (tmp_path / "graph.json").write_text(json.dumps(changed(graph(), path, value)))
    assert_refused(tmp_path, "import", "azure-graph", tmp_path / "graph.json")


@canonical_layer("table form, a column name that is a list: collectors/azure/graph.py, TypeError unhashable")
def test_azure_graph_table_column_name_a_list(tmp_path):
    doc = json.loads((FIXTURES / "azure" / "graph-containers-table.json").read_text())
    doc["data"]["columns"][3]["name"] = ["subscriptionId"]
    (tmp_path / "graph.json").write_text(json.dumps(doc))
    assert_refused(tmp_path, "import", "azure-graph", tmp_path / "graph.json")


# -- Cloud Asset Inventory (genmei import gcp-cai) -------------------------------------------------

def cai_file(tmp_path, asset_type: str, path: tuple, value, raw: bytes | None = None):
    lines = cai_lines()
    i = cai_index(asset_type)
    text = [json.dumps(x) for x in lines]
    text[i] = raw.decode() if raw is not None else json.dumps(changed(lines[i], path, value))
    (tmp_path / "export.jsonl").write_text("\n".join(text) + "\n")
    return tmp_path / "export.jsonl"


@pytest.mark.parametrize("asset_type,path,value", [
    pytest.param("compute.googleapis.com/Firewall", ("resource", "parent"), 65535,
                 marks=canonical_layer("parent a number: collectors/gcp_cai.py read_files, TypeError (the issue: a list)"),
                 id="parent-number"),
    pytest.param("compute.googleapis.com/Firewall", ("resource", "location"), ["asia-northeast1"],
                 marks=canonical_layer("location a list: collectors/gcp/normalise/common.py location_of, AttributeError"),
                 id="location-list"),
    pytest.param("compute.googleapis.com/Firewall", ("resource", "data", "targetTags"), [["db"]],
                 marks=canonical_layer("a target tag that is a list: collectors/gcp/normalise/__init__.py firewalls_for, "
                                       "TypeError unhashable"), id="target-tag-list"),
])
def test_cai_value_of_a_wrong_type(tmp_path, asset_type, path, value):
    assert_refused(tmp_path, "import", "gcp-cai", cai_file(tmp_path, asset_type, path, value))


@canonical_layer("a lone surrogate escape passes the CAI reader's own json.JSONDecoder and crashes the snapshot writer "
                 "(UnicodeEncodeError); engine.jsonio.parse_json refuses it")
def test_cai_lone_surrogate(tmp_path):
    line = json.dumps(cai_lines()[cai_index("compute.googleapis.com/Firewall")]).replace('"name": "', '"name": "\\ud800', 1)
    assert_refused(tmp_path, "import", "gcp-cai", cai_file(tmp_path, "compute.googleapis.com/Firewall", (), None, line.encode()))


@canonical_layer("nesting 600 deep passes the CAI reader (its own decoder, no depth limit) and overflows "
                 "collectors/gcp/redact.py: RecursionError")
def test_cai_deep_nesting(tmp_path):
    doc = cai_lines()[cai_index("compute.googleapis.com/Firewall")]
    line = json.dumps(changed(doc, ("resource", "data", "name"), "PLACEHOLDER")).replace('"PLACEHOLDER"', "[" * 600 + "]" * 600)
    assert_refused(tmp_path, "import", "gcp-cai", cai_file(tmp_path, "compute.googleapis.com/Firewall", (), None, line.encode()))


@canonical_layer("a number beyond a double (1e99999) is read as infinity by the CAI reader's own decoder and written "
                 "to the snapshot as null, exit 0; engine.jsonio.parse_json refuses it")
def test_cai_number_beyond_a_double(tmp_path):
    doc = cai_lines()[cai_index("compute.googleapis.com/Firewall")]
    line = json.dumps(changed(doc, ("resource", "data", "priority"), "PLACEHOLDER")).replace('"PLACEHOLDER"', "1e99999")
    assert_refused(tmp_path, "import", "gcp-cai", cai_file(tmp_path, "compute.googleapis.com/Firewall", (), None, line.encode()))
