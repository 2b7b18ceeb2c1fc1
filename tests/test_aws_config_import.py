"""`genmei import aws-config`: every public AWS Config sample imports or is rejected with
one clear line, the items go through the live collector's normalisers (a world-open
security group fails, an encrypted volume passes), what Config does not hold is
NOT_EVALUATED, deleted resources are not judged, and bad input writes nothing."""

import gzip
import json

import pytest

from conftest import AS_OF, ROOT, genmei
from genmei.engine.cli import main

CORPUS = ROOT.parent / "shared" / "corpora" / "aws_config"
CORPUS_FILES = sorted(CORPUS.glob("*/*.json"))
FIXTURE = ROOT / "tests" / "fixtures" / "aws_config" / "snapshot.json"
# What each rejected sample is, and the words its one line must hold.
REJECTED = {
    "event-cloudsearch": "an EventBridge event (AWS API Call via CloudTrail), not AWS Config data",
    "poll-evaluation": "a Config rule event (ScheduledNotification) holds no configuration item",
    # Advanced-query recordings that selected neither resourceType nor accountId/awsRegion.
    "SelectResourceConfig": "item 0: no resourceType",
}


def run_import(files, out, capsys):
    code = main(["import", "aws-config", *map(str, files), "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def scan(snapshot, tmp_path, capsys, monkeypatch) -> dict:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    code = main(["scan", "--snapshot", str(snapshot), "--format", "json", "--fail-on", "none", "--as-of", AS_OF, "--no-store"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def statuses(evidence: dict) -> dict:
    found = {}
    for r in evidence["results"]:
        found.setdefault((r["check"], r["resource"]), set()).add(r["status"])
    return found


def test_corpus_is_present():
    assert len(CORPUS_FILES) == 26, f"expected the shared corpora beside the repository at {CORPUS}"


def test_every_corpus_file_imports_or_is_rejected_clearly(tmp_path, capsys):
    imported, rejected = [], {}
    for i, f in enumerate(CORPUS_FILES):
        out = tmp_path / f"{i}.json"
        code, stdout, stderr = run_import([f], out, capsys)
        assert code in (0, 2), (f.name, stderr)
        assert "internal error" not in stderr and "Traceback" not in stderr
        if code == 0:
            doc = json.loads(out.read_text())
            assert doc["meta"]["provider"] == "aws" and stdout.startswith(f"snapshot: {out}")
            for r in doc["resources"]:
                assert r["source"]["kind"] == "aws_config" and r["source"]["ref"].startswith(f"{f}#"), r["source"]
            imported.append(f)
        else:
            assert not out.exists(), f.name
            lines = stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"genmei: error: {f}: "), stderr
            rejected[f.name] = lines[0]
    for name, line in rejected.items():
        assert any(key in name and words in line for key, words in REJECTED.items()), line
    assert len(rejected) == 6 and len(imported) == 20


def test_unmodelled_types_are_reported_not_dropped(tmp_path, capsys):
    f = next(f for f in CORPUS_FILES if f.name.endswith("kinesis-stream.json"))
    code, _, stderr = run_import([f], tmp_path / "s.json", capsys)
    assert code == 0
    assert "1 item(s) of types genmei does not model were not imported: AWS::Kinesis::Stream ×1" in stderr
    doc = json.loads((tmp_path / "s.json").read_text())
    assert doc["resources"] == [] and "AWS::Kinesis::Stream ×1" in doc["meta"]["description"]


def test_imported_corpus_scans(tmp_path, capsys, monkeypatch):
    """`import aws-config` of every importable sample together, then `scan --snapshot`."""
    files = [f for f in CORPUS_FILES if not any(key in f.name for key in REJECTED)]
    snap = tmp_path / "corpus.json"
    code, _, stderr = run_import(files, snap, capsys)
    assert code == 0, stderr
    assert "5 older item(s) of the same resources superseded by the latest" in stderr
    doc = json.loads(snap.read_text())
    ids = {r["id"] for r in doc["resources"]}
    evidence = scan(snap, tmp_path, capsys, monkeypatch)
    found = statuses(evidence)
    assert "ERROR" not in {r["status"] for r in evidence["results"]}
    assert ids <= {r["resource"] for r in evidence["results"]}  # every resource judged by some check
    ssh_open = "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-e2fb6999"
    alt_http = "arn:aws:ec2:us-east-1:644160558196:security-group/sg-a38ed1de"  # 8080 from anywhere, 443 internal
    db = "arn:aws:rds:us-east-1:644160558196:db:c7n-data-index"
    assert found[("GM-ADMIN-001", ssh_open)] == {"FAIL"} and found[("GM-NET-001", ssh_open)] == {"FAIL"}
    assert found[("GM-ADMIN-001", alt_http)] == {"PASS"} and found[("GM-NET-001", alt_http)] == {"FAIL"}
    assert found[("GM-DB-001", db)] == {"FAIL"} and found[("GM-ENC-002", db)] == {"FAIL"}
    assert found[("GM-BAK-001", db)] == {"PASS"} and found[("GM-AVL-001", db)] == {"FAIL"}
    assert found[("GM-TLS-001", db)] == {"NOT_EVALUATED"}  # parameter values are not in Config
    # 2017 bucket items carry no encryption configuration: unknown, never PASS.
    assert found[("GM-STO-001", "arn:aws:s3:::c7n-fire-logs")] == {"NOT_EVALUATED"}
    # The EKS item (Config 1.3, PascalCase) does not say whether its endpoint is public.
    assert found[("GM-K8S-001", "arn:aws:eks:us-east-2:644160558196:cluster/kapil-dev")] == {"NOT_EVALUATED"}
    # Its control plane runs across three zones whatever the item says: EKS's design.
    assert found[("GM-K8S-002", "arn:aws:eks:us-east-2:644160558196:cluster/kapil-dev")] == {"PASS"}
    # Load balancers without their listener items: a gap over lb.listener, not silence.
    assert any(g["resource_types"] == ["lb.listener"] for g in doc["meta"]["gaps"])


def test_fixture_statuses(tmp_path, capsys, monkeypatch):
    snap = tmp_path / "s.json"
    code, _, stderr = run_import([FIXTURE], snap, capsys)
    assert code == 0, stderr
    assert "AWS::Lambda::Function ×1" in stderr and "1 deleted resource(s) not judged: AWS::EC2::SecurityGroup ×1" in stderr
    doc = json.loads(snap.read_text())
    assert doc["meta"]["account"] == "111122223333" and doc["meta"]["regions"] == ["ap-northeast-1"]
    assert not any("sg-0deleted" in r["id"] for r in doc["resources"])
    assert "not-a-real-password" not in snap.read_text()
    found = statuses(scan(snap, tmp_path, capsys, monkeypatch))
    arn = "arn:aws:ec2:ap-northeast-1:111122223333:"
    assert found[("GM-ADMIN-001", arn + "security-group/sg-0rdpopen")] == {"FAIL"}
    assert found[("GM-NET-001", arn + "security-group/sg-0rdpopen")] == {"FAIL"}
    assert found[("GM-ADMIN-001", arn + "security-group/sg-0internal")] == {"PASS"}
    assert found[("GM-ENC-001", arn + "volume/vol-0enc")] == {"PASS"}
    assert found[("GM-ENC-001", arn + "volume/vol-0plain")] == {"FAIL"}
    assert not any("sg-0deleted" in rid for _, rid in found)
    private, public = "arn:aws:s3:::genmei-private-logs", "arn:aws:s3:::genmei-public-site"
    assert found[("GM-STO-001", private)] == found[("GM-STO-002", private)] == found[("GM-TLS-001", private)] == {"PASS"}
    assert found[("GM-STO-002", public)] == found[("GM-TLS-001", public)] == {"FAIL"}  # AllUsers ACL, no block
    assert found[("GM-STO-001", public)] == {"NOT_EVALUATED"}  # no encryption configuration recorded
    db = "arn:aws:rds:ap-northeast-1:111122223333:db:orders"
    assert found[("GM-ENC-002", db)] == found[("GM-AVL-001", db)] == found[("GM-BAK-001", db)] == {"PASS"}
    assert found[("GM-KMS-001", "arn:aws:kms:ap-northeast-1:111122223333:key/0b7c1f0e-1111-2222-3333-444455556666")] == {"NOT_EVALUATED"}
    # What Config cannot hold is a gap: NOT_EVALUATED, never PASS.
    gap = "gap:111122223333/global:config:configuration items"
    for check in ("GM-ENC-003", "GM-IAM-002", "GM-IDS-001", "GM-LOG-002"):
        assert found[(check, gap)] == {"NOT_EVALUATED"}, check
    assert found[("GM-IAM-001", "arn:aws:iam::111122223333:user/alice")] == {"NOT_EVALUATED"}


def test_shapes_give_the_same_resources(tmp_path, capsys):
    """Snapshot file, gzip delivery, a bare array, CLI history/batch output and a rule event."""
    items = json.loads(FIXTURE.read_text())["configurationItems"]
    sg = items[0]
    shapes = {
        "snapshot.json.gz": gzip.compress(FIXTURE.read_bytes()),
        "array.json": json.dumps(items).encode(),
        "history.json": json.dumps({"configurationItems": items}).encode(),
        "batch.json": json.dumps({"baseConfigurationItems": [{**i, "configuration": json.dumps(i["configuration"])}
                                                             for i in items], "unprocessedResourceKeys": []}).encode(),
    }
    docs = {}
    for name, data in shapes.items():
        (tmp_path / name).write_bytes(data)
        assert run_import([tmp_path / name], tmp_path / "out.json", capsys)[0] == 0, name
        docs[name] = {r["id"]: r["attrs"] for r in json.loads((tmp_path / "out.json").read_text())["resources"]}
    assert len({json.dumps(d, sort_keys=True) for d in docs.values()}) == 1 and len(docs["array.json"]) == 9
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"invokingEvent": json.dumps({"configurationItem": sg, "messageType": "ConfigurationItemChangeNotification"}),
                                 "ruleParameters": "{}", "resultToken": "x"}))
    assert run_import([event], tmp_path / "e.json", capsys)[0] == 0
    [r] = json.loads((tmp_path / "e.json").read_text())["resources"]
    assert r["attrs"] == docs["array.json"][r["id"]]


def test_latest_history_item_wins_and_deletion_is_not_judged(tmp_path, capsys):
    sg = json.loads(FIXTURE.read_text())["configurationItems"][0]
    closed = {**sg, "configurationItemCaptureTime": "2024-06-01T00:00:00.000Z",
              "configuration": {**sg["configuration"], "ipPermissions": []}}
    f = tmp_path / "history.json"
    f.write_text(json.dumps({"configurationItems": [closed, sg]}))
    assert run_import([f], tmp_path / "s.json", capsys)[0] == 0
    [r] = json.loads((tmp_path / "s.json").read_text())["resources"]
    assert not [x for x in r["attrs"]["rules"] if x["direction"] == "ingress"]
    gone = {**closed, "configurationItemCaptureTime": "2024-07-01T00:00:00.000Z",
            "configurationItemStatus": "ResourceDeletedNotRecorded", "configuration": None}
    f.write_text(json.dumps({"configurationItems": [sg, gone, closed]}))
    code, _, stderr = run_import([f], tmp_path / "s.json", capsys)
    assert code == 0 and "1 deleted resource(s) not judged" in stderr
    assert json.loads((tmp_path / "s.json").read_text())["resources"] == []


@pytest.mark.parametrize("content, words", [
    (b"", "malformed JSON"),
    (b"{\"configurationItems\": [", "malformed JSON"),
    (b"{\"configurationItems\": []}", "holds no configuration items"),
    (b"[1, 2]", "item 0: a JSON int, expected a configuration item object"),
    (b"{\"hello\": 1}", "not AWS Config data"),
    (b"\x1f\x8b\x08\x00garbage", "gzip"),
    (b"{\"resourceType\": \"AWS::EC2::SecurityGroup\", \"resourceId\": \"sg-1\"}", "no awsAccountId/accountId or awsRegion"),
])
def test_bad_input_exits_2_with_one_line_and_no_output(content, words, tmp_path, capsys):
    f = tmp_path / "bad.json"
    f.write_bytes(content)
    out = tmp_path / "out.json"
    code, _, stderr = run_import([f], out, capsys)
    lines = stderr.strip().splitlines()
    assert code == 2 and len(lines) == 1 and words in lines[0], stderr
    assert not out.exists()


def test_huge_input_is_refused_by_the_cli(tmp_path):
    out = tmp_path / "out.json"
    code, _, stderr = genmei("import", "aws-config", FIXTURE, "--out", out, env={"GENMEI_MAX_INPUT_BYTES": "1000"})
    assert code == 2 and len(stderr.strip().splitlines()) == 1 and "exceeds the limit" in stderr
    assert not out.exists()
    big = tmp_path / "big.json.gz"
    big.write_bytes(gzip.compress(b" " * 5000 + FIXTURE.read_bytes()))
    code, _, stderr = genmei("import", "aws-config", big, "--out", out, env={"GENMEI_MAX_INPUT_BYTES": "3000"})
    assert code == 2 and "inflates beyond the limit" in stderr and not out.exists()


def test_item_not_in_the_api_shape_is_rejected(tmp_path, capsys):
    sg = json.loads(FIXTURE.read_text())["configurationItems"][0]
    f = tmp_path / "odd.json"
    f.write_text(json.dumps([{**sg, "configuration": {**sg["configuration"], "ipPermissions": ["not-a-permission"]}}]))
    code, _, stderr = run_import([f], tmp_path / "s.json", capsys)
    assert code == 2 and len(stderr.strip().splitlines()) == 1 and f"{f}#0: AWS::EC2::SecurityGroup sg-0rdpopen" in stderr
    assert not (tmp_path / "s.json").exists()
