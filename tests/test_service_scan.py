"""`genmei scan --config genmei.yaml`: one service over several sources — an AWS snapshot
and a GCP Cloud Asset Inventory export — judged as one: one evidence directory whose
results keep each resource's provider and account, one H01–M11 table, gaps per source,
the sources' digests; every report renders from it; the history records it; bad
configuration is one line, exit 2, nothing written."""

import hashlib
import json
import shutil

import jsonschema
import openpyxl
import pytest
import yaml

from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, ROOT, genmei
from reporting import cli

GCP_EXPORT = ROOT / "tests" / "fixtures" / "gcp" / "project.jsonl"
EVIDENCE_SCHEMA = json.loads((ROOT / "mappings" / "schema" / "evidence.schema.json").read_text())
AWS_ADMIN_SG = "arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-0b22admin"
GCP = "//compute.googleapis.com/projects/genmei-demo"
GCP_RDP = f"{GCP}/global/firewalls/allow-rdp-world"
GCP_NAT = f"{GCP}/zones/asia-northeast1-b/instances/nat-gw"
# A gap in each cloud over compute instances and accounts: each must reach only the
# checks that judge its own cloud.
AWS_GAP = {"scope": "123456789012/ap-northeast-1", "service": "ec2", "api": "DescribeInstances",
           "resource_types": ["cloud.account", "compute.instance"], "error_code": "AccessDenied", "message": "denied"}
GCP_GAP = {"scope": "projects/genmei-demo/global", "service": "cloudasset", "api": "ListAssets",
           "resource_types": ["cloud.account", "compute.instance"], "error_code": "PERMISSION_DENIED", "message": "denied"}


def gap_id(gap):
    return f"gap:{gap['scope']}:{gap['service']}:{gap['api']}"


def write_config(directory, sources, **settings):
    path = directory / "genmei.yaml"
    path.write_text(yaml.safe_dump({"service": "example-cloud", "organisation": "Example K.K.", "sources": sources,
                                    **settings}, allow_unicode=True))
    return path


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """An AWS snapshot (the example, with a gap over instances added) and a GCP snapshot
    imported from the CAI export (with a gap of its own), collected on two known days."""
    d = tmp_path_factory.mktemp("sources")
    aws = json.loads(DEMO_SNAPSHOT.read_text())
    aws["meta"]["gaps"].append(AWS_GAP)
    (d / "aws.json").write_text(json.dumps(aws))
    code, _, err = cli("import", "gcp-cai", GCP_EXPORT, "--out", d / "gcp-raw.json")
    assert code == 0, err
    gcp = json.loads((d / "gcp-raw.json").read_text())
    gcp["meta"].update(started_at="2026-11-21T03:00:00Z", finished_at="2026-11-21T03:00:05Z", gaps=[GCP_GAP])
    (d / "gcp.json").write_text(json.dumps(gcp))
    return d


@pytest.fixture(scope="module")
def service(sources, tmp_path_factory):
    d = tmp_path_factory.mktemp("service")
    config = write_config(d, [{"name": "prod-aws", "snapshot": str(sources / "aws.json")},
                              {"name": "prod-gcp", "snapshot": str(sources / "gcp.json")}],
                          attestations=str(EXAMPLES / "attestations.yaml"), exceptions=str(EXAMPLES / "exceptions.yaml"),
                          out="evidence", store="history.sqlite", fail_on="none")
    code, out, err = cli("scan", "--config", config, "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    evidence = json.loads(out)
    assert json.loads((d / "evidence" / "evidence.json").read_text()) == evidence
    return {"dir": d, "config": config, "evidence": evidence,
            "results": {(r["check"], r["resource"]): r for r in evidence["results"]}}


def test_one_assessment_with_results_of_both_providers(service):
    ev, results = service["evidence"], service["results"]
    assert {r["provider"] for r in ev["results"]} == {"aws", "gcp"}
    assert ev["snapshot"]["provider"] == "mixed" and ev["snapshot"]["account"] == "example-cloud"
    assert ev["service"] == {"name": "example-cloud", "organisation": "Example K.K."}
    assert tuple(ev["risks"]) == ("H01", "H02", "H03", "H04", "H05", "H06", "M07", "M08", "M09", "M10", "M11")
    # Each resource keeps its cloud and account; the same check judges both clouds.
    aws, gcp = results[("GM-ADMIN-001", AWS_ADMIN_SG)], results[("GM-ADMIN-001", GCP_RDP)]
    assert (aws["status"], aws["provider"], aws["account"]) == ("FAIL", "aws", "123456789012")
    assert (gcp["status"], gcp["provider"], gcp["account"]) == ("FAIL", "gcp", "genmei-demo")
    assert results[("GM-GCP-001", GCP_NAT)]["status"] == "FAIL"
    # Failures of both clouds reach the one H06 judgement.
    h06 = ev["risks"]["H06"]
    assert h06["judgement"] == "×"
    behind = set(h06["items"]["7.4.4.2"]["results"])
    assert {aws["id"], gcp["id"]} <= behind


def test_evidence_validates_and_names_each_source_with_its_digest_and_gaps(service, sources):
    ev = service["evidence"]
    validator = jsonschema.Draft202012Validator(EVIDENCE_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(ev)) == []
    aws_src, gcp_src = ev["snapshot"]["sources"]
    assert (aws_src["name"], aws_src["provider"], aws_src["account"]) == ("prod-aws", "aws", "123456789012")
    assert (gcp_src["name"], gcp_src["provider"], gcp_src["account"]) == ("prod-gcp", "gcp", "projects/genmei-demo")
    for src, name in ((aws_src, "aws.json"), (gcp_src, "gcp.json")):
        assert src["snapshot_sha256"] == hashlib.sha256((sources / name).read_bytes()).hexdigest()
        assert src["input"] == {"kind": "snapshot", "path": str(sources / name)}
    assert aws_src["gaps"][-1] == AWS_GAP and gcp_src["gaps"] == [GCP_GAP]
    assert gcp_src["collected_at"] == "2026-11-21T03:00:05Z"
    assert ev["snapshot"]["gaps"] == aws_src["gaps"] + gcp_src["gaps"]
    assert aws_src["resources"] + gcp_src["resources"] == ev["snapshot"]["resources"]
    # The evidence directory's snapshot is the service snapshot the digest names.
    data = (service["dir"] / "evidence" / "snapshot.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == ev["snapshot_sha256"]
    meta = json.loads(data)["meta"]
    assert [(s["resource_count"], s["gap_count"]) for s in meta["sources"]] == [
        (aws_src["resources"], len(aws_src["gaps"])), (gcp_src["resources"], 1)]


def test_a_gap_in_one_cloud_hides_nothing_from_the_other_clouds_checks(service):
    results = service["results"]
    # All-cloud checks over the types: NOT_EVALUATED in each source's scope, attributed to its cloud.
    for gap, provider in ((AWS_GAP, "aws"), (GCP_GAP, "gcp")):
        r = results[("GM-NET-003", gap_id(gap))]
        assert (r["status"], r["provider"]) == ("NOT_EVALUATED", provider)
    # Cloud-specific checks: only their own cloud's gap.
    assert results[("GM-GCP-001", gap_id(GCP_GAP))]["status"] == "NOT_EVALUATED"
    assert ("GM-GCP-001", gap_id(AWS_GAP)) not in results
    assert results[("GM-IAM-002", gap_id(AWS_GAP))]["status"] == "NOT_EVALUATED"
    assert ("GM-IAM-002", gap_id(GCP_GAP)) not in results


def test_the_service_snapshot_scans_again_to_the_same_results(service, tmp_path):
    """snapshot.json is itself a valid snapshot (meta.sources checked on load)."""
    code, out, err = cli("scan", "--snapshot", service["dir"] / "evidence" / "snapshot.json", "--as-of", AS_OF,
                         "--attestations", EXAMPLES / "attestations.yaml", "--exceptions", EXAMPLES / "exceptions.yaml",
                         "--format", "json", "--fail-on", "none", "--no-store")
    assert code == 0, err
    assert json.loads(out)["results"] == service["evidence"]["results"]


@pytest.mark.parametrize("kind,name,extra", [
    ("checklist", "c.xlsx", ()), ("checklist", "c.csv", ()), ("checklist", "w.xlsx", ("--internal",)),
    ("oscal", "o.json", ()), ("html", "r.html", ()), ("statement", "s.md", ()), ("statement", "s.html", ()),
    ("soa", "s.csv", ()),
])
def test_every_report_renders_from_the_service_evidence(service, tmp_path, kind, name, extra):
    out = tmp_path / name
    code, stdout, err = cli("report", kind, "--evidence", service["dir"] / "evidence", "--out", out, *extra)
    assert code == 0, err
    assert out.stat().st_size > 0


def test_the_statement_and_reports_name_the_service_not_an_account(service, tmp_path):
    ev_dir = service["dir"] / "evidence"
    cli("report", "statement", "--evidence", ev_dir, "--out", tmp_path / "s.md", "--lang", "en")
    text = (tmp_path / "s.md").read_text()
    assert text.startswith("# Statement on the information security of the example\\-cloud service (DRAFT)")
    assert "Example K\\.K\\." in text
    assert "service example\\-cloud \\(2 sources: aws 123456789012, gcp projects/genmei\\-demo\\)" in text
    cli("report", "checklist", "--evidence", ev_dir, "--out", tmp_path / "c.xlsx", "--lang", "en")
    cells = [str(c.value) for ws in openpyxl.load_workbook(tmp_path / "c.xlsx") for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert "Service: example-cloud(Example K.K.)" in cells
    assert not any("123456789012" in c for c in cells)  # the customer's checklist names no account
    cli("report", "html", "--evidence", ev_dir, "--out", tmp_path / "r.html", "--lang", "en")
    html = (tmp_path / "r.html").read_text()
    assert "prod-aws" in html and "prod-gcp" in html and "ec2: 123456789012/ap-northeast-1" not in html
    assert "prod-gcp (gcp): projects/genmei-demo/global" in html  # gaps named by their source


def test_the_history_records_the_service_run_for_each_account(service):
    store = service["dir"] / "history.sqlite"
    code, out, err = cli("history", "--store", store, "--format", "json")
    assert code == 0, err
    [run] = json.loads(out)
    assert (run["provider"], run["account"], run["service"]) == ("mixed", "example-cloud", "example-cloud")
    assert [(s["provider"], s["account"], s["observed_at"]) for s in run["sources"]] == [
        ("aws", "123456789012", "2026-11-20T01:00:07Z"), ("gcp", "projects/genmei-demo", "2026-11-21T03:00:05Z")]
    for account in ("123456789012", "projects/genmei-demo", "example-cloud"):
        code, out, _ = cli("history", "--store", store, "--account", account, "--format", "json")
        assert [r["id"] for r in json.loads(out)] == [run["id"]]
    code, out, _ = cli("history", "--store", store)
    assert "service example-cloud (2 sources)" in out


def test_cli_options_override_the_file(service):
    """The file says fail_on none; --fail-on high on the command line wins (exit 1)."""
    code, _, err = cli("scan", "--config", service["config"], "--as-of", AS_OF, "--fail-on", "high", "--no-store",
                       "--out", service["dir"] / "other", "--format", "json")
    assert code == 1, err
    assert (service["dir"] / "other" / "evidence.json").exists()


def test_genmei_yaml_in_the_current_directory_is_the_default(service, tmp_path):
    shutil.copy(service["config"], tmp_path / "genmei.yaml")
    code, out, err = genmei("scan", "--as-of", AS_OF, "--format", "json", "--no-store", "--out", tmp_path / "ev", cwd=tmp_path)
    assert code == 0, err
    assert json.loads(out)["snapshot"]["account"] == "example-cloud"
    # A scan that names its own input is not changed by a genmei.yaml lying about.
    code, out, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--as-of", AS_OF, "--format", "json", "--no-store",
                            "--fail-on", "none", cwd=tmp_path)
    assert code == 0, err
    assert json.loads(out)["snapshot"]["account"] == "123456789012" and "service" not in json.loads(out)


@pytest.mark.parametrize("change,message", [
    (lambda c: c.update(servce="x"), "Additional properties are not allowed ('servce' was unexpected)"),
    (lambda c: c.pop("service"), "'service' is a required property"),
    (lambda c: c["sources"][0].update(aws={}), "sources[0]: give exactly one of snapshot, import, aws, azure, gcp (found snapshot, aws)"),
    (lambda c: c["sources"].append({"import": "gcp-cai"}), "sources[2]: `files` goes with `import`"),
    (lambda c: c["sources"].append({"gcp": {"project": "a", "folder": "b"}}),
     "sources[2].gcp: give exactly one of project, projects, folder, folders, organization (found project, folder)"),
    (lambda c: c["sources"].append({"aws": {"regions": ["ap-northeast-1"], "max_workers": 100}}), "max_workers"),
    (lambda c: c["sources"].append({"aws": {"role_name": "Audit"}}), "sources[2].aws: --role-name is only used with --accounts"),
    (lambda c: c["sources"][1].update(snapshot="missing.json"), "missing.json: no such file"),
    (lambda c: c["sources"].append(dict(c["sources"][0], name="again")), "aws 123456789012 is also source 0"),
    (lambda c: c["sources"][1].update(name="prod-aws"), "source name 'prod-aws' is used twice"),
    (lambda c: c.update(checks=["GM-NOPE-*"]), "--checks GM-NOPE-*: matches no check"),
    (lambda c: c.update(fail_on="sometimes"), "--fail-on 'sometimes'"),
])
def test_bad_configuration_is_one_line_exit_2_and_nothing_written(service, sources, tmp_path, change, message):
    config = yaml.safe_load(service["config"].read_text())
    config.update(out=str(tmp_path / "out"), store=str(tmp_path / "h.sqlite"))
    change(config)
    path = tmp_path / "genmei.yaml"
    path.write_text(yaml.safe_dump(config))
    code, out, err = cli("scan", "--config", path, "--as-of", AS_OF)
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "out").exists()
    if (tmp_path / "h.sqlite").exists():  # opened (and checked) before the sources are read: no run in it
        assert json.loads(cli("history", "--store", tmp_path / "h.sqlite", "--format", "json")[1]) == []


def test_a_service_snapshot_is_not_a_source_and_a_plan_is_not_either(service, tmp_path):
    nested = write_config(tmp_path, [{"snapshot": str(service["dir"] / "evidence" / "snapshot.json")}])
    code, _, err = cli("scan", "--config", nested, "--no-store")
    assert code == 2 and "is itself a service snapshot (example-cloud); list its sources instead" in err
    plan = json.loads(DEMO_SNAPSHOT.read_text())
    plan["meta"]["provider"] = "terraform"
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    code, _, err = cli("scan", "--config", write_config(tmp_path, [{"snapshot": str(tmp_path / "plan.json")}]), "--no-store")
    assert code == 2 and "a terraform snapshot cannot be a source of a service" in err


@pytest.mark.parametrize("change,message", [
    (lambda m, r: m["sources"][0].update(resource_count=m["sources"][0]["resource_count"] - 1),
     "the sources' resource_count add up to"),
    (lambda m, r: m["sources"][1].update(gap_count=0), "the sources' gap_count add up to"),
    (lambda m, r: m.update(provider="aws"), "meta.provider is 'aws', but its sources make it 'mixed'"),
    (lambda m, r: m["sources"][1].update(provider="azure"), "meta.sources[1] is azure, but its resource"),
    (lambda m, r: m.pop("service"), "meta.service and meta.sources go together"),
])
def test_a_service_snapshot_whose_sources_do_not_add_up_is_refused(service, tmp_path, change, message):
    doc = json.loads((service["dir"] / "evidence" / "snapshot.json").read_text())
    change(doc["meta"], doc["resources"])
    (tmp_path / "s.json").write_text(json.dumps(doc))
    code, _, err = cli("scan", "--snapshot", tmp_path / "s.json", "--no-store")
    assert code == 2 and message in err and err.count("\n") == 1, err


def test_the_readme_example_is_the_example_file_and_it_loads(tmp_path):
    """README's complete genmei.yaml is mappings/examples/genmei.yaml, and it loads: schema,
    kinds, every live source's options as its collector would accept them."""
    from genmei.engine.config import load_config

    example = (EXAMPLES / "genmei.yaml").read_text()
    readme = (ROOT / "README.md").read_text()
    assert example.split("\n", 1)[1] in readme
    (tmp_path / "genmei.yaml").write_text(example)
    for name in ("snapshots/dr-aws.json", "exports/legacy-resources.jsonl", "exports/legacy-iam.jsonl"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("{}")
    config = load_config(tmp_path / "genmei.yaml")
    assert config.service == "○○クラウドサービス" and config.organisation == "○○株式会社"
    assert [(s.kind, s.provider or s.format) for s in config.sources] == [
        ("live", "aws"), ("live", "azure"), ("live", "gcp"), ("live", "gcp"), ("snapshot", None), ("import", "gcp-cai")]
    assert config.sources[2].argv == ("--quota-project", "audit-billing", "--project", "prod-web")
    assert config.sources[0].argv == ("--profile", "audit", "--accounts", "org", "--role-name", "GenmeiAudit",
                                      "--regions", "ap-northeast-1,ap-northeast-3", "--max-workers", "8")
    assert [s.name for s in config.sources[2:4]] == ["prod-gcp (prod-web)", "prod-gcp (prod-data)"]
    assert config.settings["store"] == str(tmp_path / "history.sqlite") and config.settings["skip_checks"] == ["GM-IAM-001"]
