"""`genmei collect aws` / `genmei scan aws` given bad options or no credentials: one line on
stderr, a distinct exit code, nothing written, and no call to any cloud (the endpoint is
a closed local port and there are no credentials)."""

import os
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from dead_endpoints import closed_port, silent_endpoint
from genmei.engine.cli import main


@pytest.fixture
def offline(monkeypatch):
    """No AWS configuration, profile or credentials of the machine's; a dead endpoint."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_DEFAULT_REGION": "ap-northeast-1",
                "AWS_EC2_METADATA_DISABLED": "true"})
    for k in os.environ:
        if k.startswith("AWS_"):
            monkeypatch.delenv(k)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return env


def run(*args):
    try:
        return main([str(a) for a in args])
    except SystemExit as e:  # argparse's own errors
        return e.code


@pytest.mark.parametrize("args, message", [
    (["--regions", "tokyo"], "--regions: tokyo is not a region name"),
    (["--regions", " , "], "--regions: empty list"),
    (["--accounts", "12345"], "--accounts: 12345 is not a 12-digit account id"),
    (["--role-name", "Audit"], "--role-name is only used with --accounts"),
    (["--accounts", "org", "--role-name", "bad role!"], "not an IAM role name"),
    (["--max-workers", "0"], "--max-workers 0: expected 1 to 64"),
    (["--max-workers", "many"], "invalid int value"),
    (["--profile", "no-such-profile"], "--profile 'no-such-profile': no such profile"),
])
def test_bad_options_are_one_line_and_exit_2(offline, tmp_path, capsys, args, message):
    out = tmp_path / "snap.json"
    assert run("collect", "aws", *args, "--out", out) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not out.exists()


def test_no_credentials_is_a_collection_error(offline, tmp_path):
    """As a user sees it: a process, one line, exit 3, nothing written."""
    proc = subprocess.run([sys.executable, "-m", "genmei.engine.cli", "scan", "aws", "--regions", "ap-northeast-1",
                           "--out", str(tmp_path / "out")], cwd=ROOT, env=offline, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.count("\n") == 1 and "AWS credentials do not work" in proc.stderr
    assert "NoCredentialsError" in proc.stderr and not (tmp_path / "out").exists()


def collect_against(endpoint: str, tmp_path, *extra) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                "AWS_DEFAULT_REGION": "ap-northeast-1", "AWS_EC2_METADATA_DISABLED": "true"})
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "genmei.engine.cli", "collect", "aws", "--regions", "ap-northeast-1",
                           "--out", str(tmp_path / "snap.json"), *extra], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    return proc, time.monotonic() - started


def test_an_endpoint_that_never_answers_ends_within_a_minute(tmp_path):
    with silent_endpoint() as (port, held):
        proc, took = collect_against(f"http://127.0.0.1:{port}", tmp_path)
    assert proc.returncode == 3 and took < 60, (took, proc.stderr)
    assert proc.stderr.count("\n") == 1 and "cannot reach the AWS endpoint" in proc.stderr, proc.stderr
    assert "timeout" in proc.stderr.lower() and "credentials" not in proc.stderr
    assert held and not (tmp_path / "snap.json").exists()


def test_a_refused_connection_is_a_connection_error_not_bad_credentials(tmp_path):
    proc, took = collect_against(f"http://127.0.0.1:{closed_port()}", tmp_path)
    assert proc.returncode == 3 and took < 60, proc.stderr
    assert proc.stderr.count("\n") == 1 and "cannot reach the AWS endpoint" in proc.stderr
    assert "EndpointConnectionError" in proc.stderr and "credentials" not in proc.stderr
    assert not (tmp_path / "snap.json").exists()


@pytest.mark.parametrize("value", ["0", "-5", "100000"])
def test_a_bad_timeout_is_refused(offline, tmp_path, capsys, value):
    assert run("collect", "aws", "--timeout", value, "--out", tmp_path / "s.json") == 2
    assert "--timeout" in capsys.readouterr().err


def test_help_names_the_options(capsys):
    assert run("collect", "aws", "--help") == 0
    out = capsys.readouterr().out
    for option in ("--profile", "--regions", "--accounts", "--role-name", "--max-workers", "--timeout", "--out"):
        assert option in out
