"""`genmei scan azure` and `genmei collect azure` as a user runs them: a subprocess, the
real DefaultAzureCredential chain (AZURE_TOKEN_CREDENTIALS=dev, so no metadata endpoint is
probed; its Azure CLI credential calls the stand-in `az` of tests/fixtures/azure/bin), the
loopback TLS ARM server, the embedded OPA engine."""

import json
import os
import time

import pytest

from azure_support import FIXTURES, SUB_A, SUB_B, run_cli, serve
from conftest import AS_OF, genmei
from dead_endpoints import silent_endpoint


def env() -> dict:
    return {"PATH": f"{FIXTURES / 'bin'}{os.pathsep}{os.environ['PATH']}", "AZURE_TOKEN_CREDENTIALS": "dev"}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scan")
    with serve(tmp / "tls", page_size=2) as server:
        code, out, err = genmei("scan", "azure", "--arm-endpoint", server.url, "--ca-bundle", server.ca_bundle,
                                "--out", tmp / "out", "--fail-on", "high", "--as-of", AS_OF, "--lang", "en", env=env())
        writes = server.writes()
    return {"code": code, "out": out, "err": err, "dir": tmp / "out", "writes": writes,
            "evidence": json.loads((tmp / "out" / "evidence.json").read_text()) if code in (0, 1) else None}


def status(evidence, check, name) -> str:
    [r] = [r for r in evidence["results"] if r["check"] == check and r["resource"].rsplit("/", 1)[-1] == name]
    return r["status"]


def test_scan_azure_runs_end_to_end(scanned):
    assert scanned["code"] == 1, scanned["err"]  # high-severity failures in the fixture world
    assert scanned["writes"] == []
    snapshot = json.loads((scanned["dir"] / "snapshot.json").read_text())
    assert snapshot["meta"]["accounts"] == [SUB_A, SUB_B]
    assert scanned["evidence"]["snapshot_sha256"]


# Each concern: the violating Azure resource FAILs and the compliant twin PASSes.
CONCERNS = [
    ("GM-ADMIN-001", "nsg-open", "nsg-web"),
    ("GM-NET-001", "nsg-open", "nsg-web"),
    ("GM-TLS-001", "stopen", "stsecure"),
    ("GM-TLS-001", "sql-bad", "sql-good"),
    ("GM-TLS-001", "mysql-bad", "pg-good"),
    ("GM-STO-002", "stopen", "stsecure"),
    ("GM-DB-001", "sql-bad", "sql-good"),
    ("GM-DB-001", "mysql-bad", "pg-good"),
    ("GM-K8S-001", "aks-public", "aks-private"),
    ("GM-NET-003", "vm-router", "vm-web"),
    ("GM-AVL-001", "aks-public", "aks-private"),
    ("GM-AVL-001", "mysql-bad", "pg-good"),
    ("GM-LOG-001", "vnet-dev", "vnet-prod"),
    ("GM-IDS-001", None, None),
    ("GM-LOG-002", None, None),
    ("GM-BAK-001", "sql-bad", "sql-good"),
    ("GM-KMS-001", "key-static", "key-rotated"),
    ("GM-AZ-001", "kv-bad", "kv-good"),
    ("GM-AZ-002", "stopen", "stsecure"),
]


@pytest.mark.parametrize("check,bad,good", CONCERNS)
def test_violations_fail_and_twins_pass(scanned, check, bad, good):
    ev = scanned["evidence"]
    if check == "GM-IDS-001":
        by_account = {r["account"]: r["status"] for r in ev["results"] if r["check"] == check}
        assert by_account == {SUB_A: "PASS", SUB_B: "FAIL"}
    elif check == "GM-LOG-002":
        by_account = {r["account"]: r["status"] for r in ev["results"] if r["check"] == check}
        # No integrity-validation switch exists on Azure: an exporting subscription is not
        # a PASS, one without export is a FAIL.
        assert by_account == {SUB_A: "NOT_EVALUATED", SUB_B: "FAIL"}
    else:
        assert status(ev, check, bad) == "FAIL"
        assert status(ev, check, good) == "PASS"


def test_collect_azure_writes_a_snapshot(tmp_path):
    with serve(tmp_path / "tls") as server:
        code, out, err = genmei("collect", "azure", "--subscriptions", SUB_A, "--inventory", "arm",
                                "--arm-endpoint", server.url, "--ca-bundle", server.ca_bundle, "--out", tmp_path / "s.json", env=env())
    assert code == 0, err
    assert out.startswith(f"snapshot: {tmp_path / 's.json'} (")
    snapshot = json.loads((tmp_path / "s.json").read_text())
    assert snapshot["meta"]["accounts"] == [SUB_A] and snapshot["meta"]["gaps"] == []
    code, out, err = genmei("scan", "--snapshot", tmp_path / "s.json", "--fail-on", "none", "--no-store")
    assert code == 0, err


@pytest.mark.parametrize("args,message", [
    (["--arm-endpoint", "http://127.0.0.1:1"], "must be an https:// URL"),
    (["--ca-bundle", "/nonexistent/ca.pem"], "--ca-bundle /nonexistent/ca.pem: no such file"),
    (["--subscriptions", " , "], "--subscriptions: expected `all` or subscription ids"),
    (["--retries", "-1"], "--retries: must be 0 or more"),
])
def test_bad_options_exit_2(tmp_path, capsys, args, message):
    code, out, err = run_cli(capsys, "collect", "azure", *args, "--out", tmp_path / "s.json")
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "s.json").exists()


def test_an_endpoint_that_never_answers_ends_within_a_minute(tmp_path):
    """A loopback port that accepts connections and never answers (not even the TLS
    handshake): the first call's timeouts and its single retry end the run."""
    with serve(tmp_path / "tls") as server:
        ca = server.ca_bundle
    with silent_endpoint() as (port, held):
        started = time.monotonic()
        code, out, err = genmei("collect", "azure", "--arm-endpoint", f"https://127.0.0.1:{port}",
                                "--ca-bundle", ca, "--out", tmp_path / "s.json", env=env())
        took = time.monotonic() - started
    assert code == 3 and took < 60, (took, err)
    assert err.count("\n") == 1 and "cannot reach the Resource Manager endpoint" in err and "Traceback" not in err
    assert held and not (tmp_path / "s.json").exists()


def test_unreachable_endpoint_exits_3_without_output(tmp_path):
    with serve(tmp_path / "tls") as server:
        url, ca = server.url, server.ca_bundle
    code, out, err = genmei("collect", "azure", "--arm-endpoint", url, "--ca-bundle", ca, "--retries", "0",
                            "--out", tmp_path / "s.json", env=env())
    assert code == 3, err
    # a refused connection is said as such, not taken for a permission problem
    assert "cannot reach the Resource Manager endpoint" in err and "Connection refused" in err and "Traceback" not in err
    assert not (tmp_path / "s.json").exists()


def test_no_credential_exits_3_quickly(tmp_path):
    """Without any credential source (dev chain, no `az`), the chain fails fast with one line."""
    with serve(tmp_path / "tls") as server:
        code, out, err = genmei("collect", "azure", "--arm-endpoint", server.url, "--ca-bundle", server.ca_bundle,
                                "--out", tmp_path / "s.json", env={"PATH": "/usr/bin:/bin", "AZURE_TOKEN_CREDENTIALS": "dev"})
    assert code == 3
    assert "azure: cannot sign in: DefaultAzureCredential failed" in err and err.count("\n") == 1


def test_subscriptions_are_read_in_parallel_and_the_snapshot_does_not_depend_on_it(tmp_path):
    """--max-workers N: up to N subscriptions in flight at once (the server counts them);
    one at a time or two at once, the same resources, gaps and calls."""
    snapshots = {}
    for workers in (1, 2):
        with serve(tmp_path / f"tls{workers}", page_size=2) as server:
            server.delay = 0.02
            out = tmp_path / f"s{workers}.json"
            code, _, err = genmei("collect", "azure", "--inventory", "arm", "--arm-endpoint", server.url,
                                  "--ca-bundle", server.ca_bundle, "--max-workers", workers, "--out", out, env=env())
            assert code == 0, err
            assert server.most_subscriptions_at_once == workers
        doc = json.loads(out.read_text())
        snapshots[workers] = {k: doc["meta"][k] for k in ("accounts", "api_calls", "gaps")}, doc["resources"]
    assert snapshots[1] == snapshots[2]


def test_max_workers_is_bounded(tmp_path):
    code, _, err = genmei("collect", "azure", "--max-workers", "0", "--out", tmp_path / "s.json", env=env())
    assert code == 2 and "--max-workers 0: expected 1 to 32" in err


def test_a_credential_that_cannot_sign_in_is_said_whole_with_its_hint(tmp_path):
    """An `az` that is not logged in: the run stops (exit 3) with azure-identity's whole
    message on one line — not cut at 300 characters — ending with what to do (`az login`)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    az = bin_dir / "az"
    az.write_text("#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n")
    az.chmod(0o755)
    with serve(tmp_path / "tls") as server:
        code, out, err = genmei("collect", "azure", "--arm-endpoint", server.url, "--ca-bundle", server.ca_bundle,
                                "--out", tmp_path / "s.json",
                                env={"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin", "AZURE_TOKEN_CREDENTIALS": "dev"})
    assert code == 3 and err.count("\n") == 1, err
    assert err.startswith("genmei: error: azure: cannot sign in: ") and "az login" in err and len(err) > 300
    assert "internal error" not in err and not (tmp_path / "s.json").exists()


def test_tenant_is_asked_for_every_token(tmp_path):
    """--tenant T: the Azure CLI is asked for tokens of T (`az account get-access-token --tenant T`)."""
    log = tmp_path / "az.log"
    with serve(tmp_path / "tls") as server:
        code, _, err = genmei("collect", "azure", "--arm-endpoint", server.url, "--ca-bundle", server.ca_bundle,
                              "--tenant", "44444444-4444-4444-4444-444444444444", "--out", tmp_path / "s.json",
                              env={**env(), "AZ_STANDIN_LOG": str(log)})
    assert code == 0, err
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert calls and all("--tenant" in c and c[c.index("--tenant") + 1] == "44444444-4444-4444-4444-444444444444"
                         for c in calls)
