"""`genmei import gcp-cai`: every public CAI sample imports or is rejected with one clear
line (some are broken upstream or are unrendered templates on purpose), the shapes users
have (export JSONL, `gcloud asset list` JSON, response pages, split content types) give
the same resources, and the snapshots scan."""

import json
import re
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT, genmei
from genmei.engine.cli import main
from test_gcp_collect import FIXTURE, load_assets, to_wire

CORPUS = ROOT.parent / "shared" / "corpora" / "gcp_cai"
CORPUS_FILES = sorted(CORPUS.glob("*/*.json"))
TEMPLATE = re.compile(r'"(name|parent)":\s*"[^"]*\{\{')


def run_import(files, out, capsys):
    """The real CLI entry point in-process (fast enough for a hundred files)."""
    code = main(["import", "gcp-cai", *map(str, files), "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def malformed_upstream() -> set[str]:
    rows = (ROOT.parent / "shared" / "corpora" / "PROVENANCE.tsv").read_text().splitlines()
    return {Path(r.split("\t")[0]).name for r in rows if "gcp_cai/" in r and "MALFORMED" in r}


def test_corpus_is_present():
    assert len(CORPUS_FILES) > 100, f"expected the shared corpora beside the repository at {CORPUS}"


def test_every_corpus_file_imports_or_is_rejected_clearly(tmp_path, capsys):
    imported, rejected = [], {}
    for i, f in enumerate(CORPUS_FILES):
        out = tmp_path / f"{i}.json"
        code, stdout, stderr = run_import([f], out, capsys)
        assert code in (0, 2), (f.name, stderr)
        assert "internal error" not in stderr and "Traceback" not in stderr
        if code == 0:
            doc = json.loads(out.read_text())
            assert doc["meta"]["provider"] == "gcp" and stdout.startswith(f"snapshot: {out}")
            imported.append(f)
        else:
            assert not out.exists(), f.name
            lines = stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"genmei: error: {f}: "), stderr
            rejected[f.name] = lines[0]
    templates = {f.name for f in CORPUS_FILES if TEMPLATE.search(f.read_text())}
    assert set(rejected) == templates | malformed_upstream()
    assert len(templates) == 24 and len(malformed_upstream()) == 1
    for name in templates:
        assert "unrendered template placeholder ({{" in rejected[name]
    for name in malformed_upstream():
        assert "malformed JSON at line 409: unexpected ']' after the closing ']'" in rejected[name]
    assert len(imported) == len(CORPUS_FILES) - 25


def test_concatenated_objects_import(tmp_path, capsys):
    """A stream of JSON objects (pretty-printed JSONL) is read like JSONL."""
    f = CORPUS / "GoogleCloudPlatform__policy-library" / "validator__test__fixtures__gcp_glb_external_ip__assets__data.json"
    code, _, stderr = run_import([f], tmp_path / "s.json", capsys)
    assert code == 0
    assert "2 asset(s) of types genmei does not model were not imported: compute.googleapis.com/GlobalForwardingRule ×2" in stderr


def test_all_imported_corpora_scan_without_errors(tmp_path, capsys):
    """Every importable sample, combined into one snapshot, evaluates with no ERROR."""
    from genmei.collectors.gcp_cai import read

    resources, seen = [], set()
    for f in CORPUS_FILES:
        if TEMPLATE.search(f.read_text()) or f.name in malformed_upstream():
            continue
        for r in read([str(f)], lambda m: None)["resources"]:
            if (r["type"], r["id"]) not in seen:
                seen.add((r["type"], r["id"]))
                resources.append(r)
    doc = read([str(FIXTURE)], lambda m: None)
    doc["resources"] = resources
    snap = tmp_path / "corpora.json"
    snap.write_text(json.dumps(doc))
    code, stdout, stderr = genmei("scan", "--snapshot", snap, "--format", "json", "--fail-on", "none", "--as-of", AS_OF,
                                  env={"XDG_DATA_HOME": str(tmp_path / "data")})
    assert code == 0, stderr
    results = json.loads(stdout)["results"]
    statuses = {r["status"] for r in results}
    assert "ERROR" not in statuses and {"PASS", "FAIL", "NOT_EVALUATED"} <= statuses
    # Every imported resource is judged by some check: nothing is silently left out.
    assert {r["id"] for r in resources} <= {r["resource"] for r in results}
    assert len(resources) > 200
    # An export cannot hold Security Command Center state: threat detection says so per project.
    ids = [r for r in results if r["check"] == "GM-IDS-001"]
    assert ids and {(r["status"], r["reason"]) for r in ids} == {("NOT_EVALUATED", "attrs.threat_detection_enabled was not "
                                                                  "collected: Security Command Center state is not part of "
                                                                  "Cloud Asset Inventory data")}


EXPECTED = {
    "sql_ssl": [("GM-TLS-001", "sql-instance-without-ssl", "FAIL"), ("GM-TLS-001", "sql-instance-without-ipconfig", "NOT_EVALUATED")],
    # A public IP with no authorised network admits no address; 0.0.0.0/0 admits every one.
    "sql_world_readable": [("GM-DB-001", "authorized-networks-0", "FAIL"), ("GM-DB-001", "authorized-networks-35", "PASS")],
    "sql_public_ip": [("GM-DB-001", "public-sql", "PASS")],
    "sql_backup": [("GM-BAK-001", "postgres-nomaintenance", "FAIL"), ("GM-BAK-001", "mysqlv1-nomaintenance", "NOT_EVALUATED")],
    "cmek_rotation": [("GM-KMS-001", "rotation-never", "FAIL"), ("GM-KMS-001", "rotation-90-days", "PASS")],
    "compute_ip_forward": [("GM-NET-003", "vm-ip-forward", "FAIL"), ("GM-NET-003", "vm-no-ip", "PASS")],
    "gke_private_cluster": [("GM-K8S-001", "canary-west", "FAIL"), ("GM-K8S-001", "joe-clust5", "PASS")],
    # zonal (location us-west1-b): one control-plane replica; regional (us-central1): replicated
    "gke_cluster_location": [("GM-K8S-002", "canary-west", "FAIL"), ("GM-K8S-002", "canary-central", "PASS")],
    "storage_bucket_policy_only": [("GM-GCP-003", "my-storage-bucket-with-logging", "FAIL"),
                                   ("GM-GCP-003", "my-storage-bucket-with-bucketpolicyonly", "PASS")],
    "restricted_firewall_rules__assets__protocol_and_port": [
        ("GM-ADMIN-001", "cf-test-fw-rule-5", "FAIL"), ("GM-ADMIN-001", "cf-test-fw-rule-2", "PASS"),  # rule 2 is disabled
        ("GM-NET-001", "cf-test-fw-rule-0", "FAIL")],
}


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_corpus_violations_fail_after_import(fixture, tmp_path, capsys, monkeypatch):
    """`genmei import gcp-cai` then `genmei scan --snapshot` on the public samples."""
    matches = [f for f in CORPUS_FILES if fixture in f.name]
    assert len(matches) == 1, fixture
    snap = tmp_path / "s.json"
    assert run_import(matches, snap, capsys)[0] == 0
    names = {r["id"]: r["name"] for r in json.loads(snap.read_text())["resources"]}
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # any scan history stays in the test's directory
    code = main(["scan", "--snapshot", str(snap), "--format", "json", "--fail-on", "none", "--as-of", AS_OF])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    found = {}
    for r in json.loads(captured.out)["results"]:
        found.setdefault((r["check"], names.get(r["resource"])), set()).add(r["status"])
    for check, name, status in EXPECTED[fixture]:
        assert found.get((check, name)) == {status}, (check, name, found.get((check, name)))


def test_gcloud_asset_list_json_and_response_pages_give_the_same_resources(tmp_path, capsys):
    assets = load_assets()
    camel = tmp_path / "list.json"
    camel.write_text(json.dumps([to_wire(a) for a in assets], indent=2))
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"assets": [to_wire(a) for a in assets], "nextPageToken": ""}))
    docs = {}
    for name, f in (("jsonl", FIXTURE), ("list", camel), ("page", page)):
        out = tmp_path / f"{name}.snap.json"
        assert run_import([f], out, capsys)[0] == 0
        docs[name] = {(r["type"], r["id"]): {k: v for k, v in r.items() if k != "source"} for r in json.loads(out.read_text())["resources"]}
    assert docs["jsonl"] == docs["list"] == docs["page"]
    assert len(docs["jsonl"]) == 31


def test_source_names_the_file_and_line(tmp_path, capsys):
    out = tmp_path / "s.json"
    assert run_import([FIXTURE], out, capsys)[0] == 0
    doc = json.loads(out.read_text())
    rdp = next(r for r in doc["resources"] if r["name"] == "allow-rdp-world")
    line = next(i for i, text in enumerate(FIXTURE.read_text().splitlines(), 1) if "firewalls/allow-rdp-world" in text)
    assert rdp["source"] == {"kind": "cai", "file": "project.jsonl", "line": line, "ref": "compute.googleapis.com/Firewall"}
    assert doc["meta"]["account"] == "projects/genmei-demo" and doc["meta"]["collector"]["name"] == "genmei-gcp-cai-import"


def test_resource_and_iam_exports_are_merged(tmp_path, capsys):
    """`gcloud asset export --content-type=resource` and `--content-type=iam-policy` are
    two files; together they show a bucket public, alone the resource export cannot."""
    resource, iam = [], []
    for a in load_assets():
        r = {k: v for k, v in a.items() if k != "iam_policy"}
        resource.append(r)
        if "iam_policy" in a:
            iam.append({k: v for k, v in a.items() if k != "resource"})
    rf, pf = tmp_path / "resource.jsonl", tmp_path / "iam.jsonl"
    rf.write_text("".join(json.dumps(a) + "\n" for a in resource))
    pf.write_text("".join(json.dumps(a) + "\n" for a in iam))

    def buckets(files):
        out = tmp_path / "s.json"
        assert run_import(files, out, capsys)[0] == 0
        return {r["name"]: r["attrs"] for r in json.loads(out.read_text())["resources"] if r["type"] == "storage.bucket"}
    alone = buckets([rf])
    assert "public" not in alone["genmei-demo-public-assets"]       # IAM not read: unknown, not private
    assert alone["genmei-demo-private"]["public"] is False           # prevention enforced decides it
    both = buckets([rf, pf])
    assert both["genmei-demo-public-assets"]["public"] is True
    assert both["genmei-demo-legacy-acl"]["public"] is False


def test_rendered_terraform_validator_templates_import(tmp_path, capsys):
    """The templates are rejected as they are; rendered, they import, and their secrets
    (test passwords, raw disk keys) stay out of the snapshot."""
    src = CORPUS / "GoogleCloudPlatform__terraform-validator"
    rendered = []
    for name in ("full_sql_database_instance", "full_compute_instance", "full_container_cluster", "full_storage_bucket",
                 "full_compute_firewall", "example_compute_ssl_policy", "example_compute_target_https_proxy"):
        text = (src / f"testdata__templates__{name}.json").read_text()
        f = tmp_path / f"{name}.json"
        f.write_text(text.replace("{{.Provider.project}}", "tf-project").replace("{{.Ancestry}}", "organizations/1"))
        rendered.append(f)
    out = tmp_path / "s.json"
    code, _, stderr = run_import(rendered, out, capsys)
    assert code == 0, stderr
    text = out.read_text()
    for secret in ("test-password", "test-client_key", "test-disk_encryption_key_raw"):
        assert secret not in text, secret
    r = {(x["type"], x["name"]): x for x in json.loads(text)["resources"]}
    sql = r[("db.instance", "main-instance")]
    assert sql["zones"] == ["us-central1-a", "us-central1-b"] and sql["attrs"]["tls"] == {"enforced": True}
    assert sql["attrs"].get("backup_retention_days") is None  # backups on, retention not in the data: unknown
    assert r[("compute.instance", "test1")]["attrs"]["anti_spoofing"] is False
    https = r[("lb.listener", "target-https-proxy")]["attrs"]["tls"]
    assert https["policy"] == "ssl-policy-id" and https.get("min_version") is None  # the policy named is not in the files


@pytest.mark.parametrize("content, message", [
    (b'{"name": "//a", "asset_type": "x/Y"}\n{"name": \n', "malformed JSON at line 3 column 1: Expecting value"),
    (b'[{"name": "//a", "asset_type": "x/Y"} {"name": "//b"}]', "expected ',' or ']' in the array, found '{'"),
    (b'[1, 2]', "line 1: expected a CAI asset object, got int; not a Cloud Asset Inventory asset"),
    (b'{"name": "//a"}\n', "line 1: asset //a: no `asset_type` (or `assetType`)"),
    (b'{"asset_type": "x/Y"}\n', "line 1: asset without a `name`"),
    (b'{"name": "//a", "asset_type": "x/Y", "resource": {"data": [1]}}', "`resource.data` is not an object"),
    (b'{"assets": 3}', "`assets` is not a list"),
    # shapes that used to crash (internal error): one line naming the asset and the field
    (b'{"name": "//compute.googleapis.com/projects/p/zones/us-central1-a/instances/vm", "asset_type": "compute.googleapis.com/Instance",'
     b' "resource": {"data": {"name": "vm"}, "parent": ["//cloudresourcemanager.googleapis.com/projects/1"]}}',
     "`resource.parent` is a JSON array, expected a string"),
    (b'{"name": "//compute.googleapis.com/projects/p/zones/us-central1-a/instances/vm", "asset_type": "compute.googleapis.com/Instance",'
     b' "resource": {"data": {"name": "vm", "metadata": {"items": [{"key": {"a": 1}, "value": "x"}]}}}}',
     "resource.data.metadata.items[0].key: expected a string, got a JSON object"),
    (b'{"name": "//compute.googleapis.com/projects/p/global/firewalls/f", "asset_type": "compute.googleapis.com/Firewall",'
     b' "resource": {"data": {"name": "f", "network": "n", "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}], "sourceRanges": "0.0.0.0/0"}}}',
     "resource.data.sourceRanges: expected a list, got a JSON string"),
    (b'{"name": "//a", "asset_type": "x/Y", "ancestors": [1]}', "`ancestors` is not a list of names"),
    (b'   \n', "empty file"),
    (b'[]', "holds no Cloud Asset Inventory assets"),
    (b'\xff\xfe{', "not UTF-8 text"),
])
def test_bad_files_are_rejected_with_one_line(content, message, tmp_path, capsys):
    f = tmp_path / "bad.json"
    f.write_bytes(content)
    out = tmp_path / "s.json"
    code, _, stderr = run_import([f], out, capsys)
    assert code == 2 and message in stderr and stderr.count("\n") == 1, stderr
    assert not out.exists()


def test_missing_and_oversized_files(tmp_path):
    code, _, stderr = genmei("import", "gcp-cai", tmp_path / "nope.jsonl", "--out", tmp_path / "s.json")
    assert code == 2 and "no such file" in stderr
    code, _, stderr = genmei("import", "gcp-cai", FIXTURE, "--out", tmp_path / "s.json", env={"GENMEI_MAX_INPUT_BYTES": "1000"})
    assert code == 2 and "exceeds the limit" in stderr and not (tmp_path / "s.json").exists()
