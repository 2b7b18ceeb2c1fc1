"""Regression tests: inputs that once crashed the canonical layer — the plan reader and
normalisers, the importers, the attrs of canonical types — each the smallest input that
showed the crash (one value of a real fixture changed), found by the fuzzing of
tests/test_fuzz_inputs.py or listed in issue 13.

Each must now be refused as bad input: exit 2, one line on stderr naming what is wrong
(the file, and the resource or record and the field where the reader knows them), no
traceback, no output file.
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


def assert_refused(tmp_path, *args, says: str):
    """Exit 2, one line that says `says`, no output written."""
    out = tmp_path / "out.json"
    code, _, stderr = run_cli(*args, "--out", out)
    assert code == 2 and stderr.count("\n") == 1 and "internal error" not in stderr, stderr
    assert says in stderr, stderr
    assert not out.exists()


# -- Terraform plans (genmei gate) -------------------------------------------------------------

PLAN_CASES = [
    pytest.param("ssh_open.tfplan.json", ("configuration", "provider_config"), "aws",
                 "terraform-plan.schema.json at $.configuration.provider_config: 'aws' is not of type 'object'",
                 id="provider_config-string"),
    pytest.param("ssh_open.tfplan.json", ("configuration", "provider_config", "aws"), ["aws"],
                 "terraform-plan.schema.json at $.configuration.provider_config.aws: ['aws'] is not of type 'object'",
                 id="provider_config-entry-list"),
    pytest.param("ssh_open.tfplan.json", ("resource_changes", 0, "change", "after", "ingress", 0, "to_port"), [22],
                 "aws_security_group.bastion: ", id="to_port-list"),
    pytest.param("ssh_open.tfplan.json", ("resource_changes", 0, "change", "after", "ingress", 0, "from_port"), {},
                 "aws_security_group.bastion: ", id="from_port-object"),
]


@pytest.mark.parametrize("fixture,path,value,says", PLAN_CASES)
def test_plan_value_of_a_wrong_type(tmp_path, fixture, path, value, says):
    (tmp_path / "plan.json").write_text(json.dumps(changed(plan(fixture), path, value)))
    assert_refused(tmp_path, "gate", tmp_path / "plan.json", "--format", "json", says=says)


def test_plan_provider_config_key_a_number(tmp_path):
    doc = plan("aws.tfplan.json")
    doc["configuration"]["root_module"]["resources"][0]["provider_config_key"] = 1e308
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    assert_refused(tmp_path, "gate", tmp_path / "plan.json", "--format", "json", says="provider_config_key")


def test_plan_zone_a_list(tmp_path):
    doc = plan("gcp.tfplan.json")
    i = next(i for i, rc in enumerate(doc["resource_changes"]) if isinstance(rc["change"]["after"], dict)
             and isinstance(rc["change"]["after"].get("zone"), str))
    doc["resource_changes"][i]["change"]["after"]["zone"] = [["asia-northeast1-a"]]
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    assert_refused(tmp_path, "gate", tmp_path / "plan.json", "--format", "json",
                   says=f"{doc['resource_changes'][i]['address']}: ")


def test_plan_boolean_attribute_an_object(tmp_path):
    doc = plan("gcp.tfplan.json")
    i = first(doc["resource_changes"], type="google_storage_bucket")
    doc["resource_changes"][i]["change"]["after"]["uniform_bucket_level_access"] = {"value": True}
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    assert_refused(tmp_path, "gate", tmp_path / "plan.json", "--format", "json",
                   says=f"'{doc['resource_changes'][i]['address']}' (storage.bucket): attrs.uniform_access")


# -- snapshot attrs (genmei scan) ---------------------------------------------------------------

def demo():
    return json.loads(DEMO_SNAPSHOT.read_text())


@pytest.mark.parametrize("resource,path,value,says", [
    pytest.param("sg-0b22admin", ("attrs", "rules", 0, "port_ranges", 0, "from"), [], "attrs.rules[0].port_ranges[0].from",
                 id="port-from-list"),
    pytest.param("sg-0b22admin", ("attrs", "rules", 0, "port_ranges"), 5, "attrs.rules[0].port_ranges", id="port_ranges-number"),
    pytest.param("web:8080", ("attrs", "tls", "enforced"), "False", "attrs.tls.enforced", id="tls-enforced-string"),
])
def test_snapshot_attrs_of_a_wrong_type(tmp_path, resource, path, value, says):
    doc = demo()
    i = next(i for i, r in enumerate(doc["resources"]) if r["id"].endswith(resource) or r.get("name") == resource)
    (tmp_path / "snap.json").write_text(json.dumps(changed(doc, ("resources", i, *path), value)))
    out = tmp_path / "ev"
    code, _, stderr = run_cli("scan", "--snapshot", tmp_path / "snap.json", "--out", out, "--no-store")
    assert code == 2 and stderr.count("\n") == 1 and says in stderr, stderr
    assert not out.exists()


# -- Azure Resource Graph (genmei import azure-graph) ---------------------------------------------

@pytest.mark.parametrize("path,value,says", [
    pytest.param(("data", 2, "location"), 65535, "location", id="location-number"),
    pytest.param(("data", 6, "location"), {"name": "japanwest"}, "location", id="location-object"),
])
def test_azure_graph_value_of_a_wrong_type(tmp_path, path, value, says):
    (tmp_path / "graph.json").write_text(json.dumps(changed(graph(), path, value)))
    assert_refused(tmp_path, "import", "azure-graph", tmp_path / "graph.json", says=says)


@pytest.mark.parametrize("change,says", [
    pytest.param(lambda d: d["columns"][3].update(name=["subscriptionId"]),
                 "columns[3]: expected a column object with a string name, got a name that is a JSON array", id="column-name-list"),
    pytest.param(lambda d: d["columns"].__setitem__(3, "subscriptionId"),
                 "columns[3]: expected a column object with a string name, got a JSON string", id="column-not-object"),
    pytest.param(lambda d: d["rows"][1].pop(), "rows[1]: 4 values for 5 columns", id="row-short"),
])
def test_azure_graph_table_of_the_wrong_shape(tmp_path, change, says):
    doc = json.loads((FIXTURES / "azure" / "graph-containers-table.json").read_text())
    change(doc["data"])
    (tmp_path / "graph.json").write_text(json.dumps(doc))
    assert_refused(tmp_path, "import", "azure-graph", tmp_path / "graph.json", says=f"`data` is not a Resource Graph table: {says}")


# -- Cloud Asset Inventory (genmei import gcp-cai) -------------------------------------------------

def cai_file(tmp_path, asset_type: str, path: tuple, value, raw: bytes | None = None):
    lines = cai_lines()
    i = cai_index(asset_type)
    text = [json.dumps(x) for x in lines]
    text[i] = raw.decode() if raw is not None else json.dumps(changed(lines[i], path, value))
    (tmp_path / "export.jsonl").write_text("\n".join(text) + "\n")
    return tmp_path / "export.jsonl"


FIREWALL = "compute.googleapis.com/Firewall"
CLUSTER = "container.googleapis.com/Cluster"


@pytest.mark.parametrize("asset_type,path,value,says", [
    pytest.param(FIREWALL, ("resource", "parent"), 65535, "`resource.parent` is a JSON number, expected a string", id="parent-number"),
    pytest.param(FIREWALL, ("resource", "location"), ["asia-northeast1"], "`resource.location` is a JSON array, expected a string",
                 id="location-list"),
    pytest.param(FIREWALL, ("resource", "data", "targetTags"), [["db"]],
                 "/firewalls/allow-rdp-world: resource.data.targetTags[0]: expected a string, got a JSON array", id="target-tag-list"),
    pytest.param(FIREWALL, ("resource", "data", "sourceTags"), [{"name": "web"}],
                 "resource.data.sourceTags[0]: expected a string, got a JSON object", id="source-tag-object"),
    pytest.param("compute.googleapis.com/Instance", ("resource", "data", "tags"), {"items": ["web", 7]},
                 "/instances/web-1: resource.data.tags.items[1]: expected a string, got a JSON number", id="instance-tag-number"),
    # found by the fuzzing: a cluster's location that is a list became the resource's region
    pytest.param(CLUSTER, ("resource", "data", "location"), ["../../etc/passwd", {}],
                 "resource.data.location: expected a string, got a JSON array", id="cluster-location-list"),
])
def test_cai_value_of_a_wrong_type(tmp_path, asset_type, path, value, says):
    assert_refused(tmp_path, "import", "gcp-cai", cai_file(tmp_path, asset_type, path, value), says=says)


def firewall_line(field: str, raw_value: str) -> bytes:
    """The firewall's line with `field` of its data written as `raw_value`, verbatim."""
    doc = changed(cai_lines()[cai_index(FIREWALL)], ("resource", "data", field), "PLACEHOLDER")
    return json.dumps(doc).replace('"PLACEHOLDER"', raw_value).encode()


@pytest.mark.parametrize("raw_value,says", [
    pytest.param('"\\ud800fw"', "a string holds a lone UTF-16 surrogate", id="lone-surrogate"),
    pytest.param("[" * 600 + "]" * 600, "JSON nested more than 256 levels deep", id="nesting-600"),
    pytest.param("1e99999", "number 1e99999 is too large", id="beyond-a-double"),
    pytest.param("NaN", "NaN is not a JSON value", id="nan"),
    pytest.param("1" * 5000, "integer of 5000 digits", id="integer-5000-digits"),
])
def test_cai_record_beyond_the_json_limits(tmp_path, raw_value, says):
    """Each record is read by engine.jsonio's bounded parser, with a whole file's limits
    (the reader's own json decoder used to let these through)."""
    export = cai_file(tmp_path, FIREWALL, (), None, firewall_line("name", raw_value))
    line = cai_index(FIREWALL) + 1
    assert_refused(tmp_path, "import", "gcp-cai", export, says=f"{export}: line {line}: ")
    assert_refused(tmp_path, "import", "gcp-cai", export, says=says)


def test_cai_array_element_beyond_the_depth_limit(tmp_path):
    """In the array form the array is a level of the file: an element whose own nesting
    makes the file 256 deep is read, one level more is refused."""
    firewall = json.dumps(cai_lines()[cai_index(FIREWALL)])
    deep = firewall.replace('"name": "', '"description": ' + "[" * 254 + "]" * 254 + ', "name": "', 1)
    (tmp_path / "ok.json").write_text(f"[{deep}]")
    code, _, stderr = run_cli("import", "gcp-cai", tmp_path / "ok.json", "--out", tmp_path / "ok.out.json")
    assert code == 0, stderr
    deeper = firewall.replace('"name": "', '"description": ' + "[" * 255 + "]" * 255 + ', "name": "', 1)
    (tmp_path / "deep.json").write_text(f"[{deeper}]")
    assert_refused(tmp_path, "import", "gcp-cai", tmp_path / "deep.json", says="JSON nested more than 256 levels deep")
