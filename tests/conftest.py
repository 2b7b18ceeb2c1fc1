import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# Offline and deterministic: no SDK credential chain may wait on a metadata server.
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
os.environ.setdefault("NO_GCE_CHECK", "true")
os.environ.setdefault("AZURE_TOKEN_CREDENTIALS", "dev")
# Scans record their runs in the user's data directory by default: during the tests that
# is a temporary one, so no test ever writes to the real home.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="genmei-test-data-")
os.environ.pop("GENMEI_STORE", None)  # a store the user's environment names is not the tests' either
atexit.register(shutil.rmtree, os.environ["XDG_DATA_HOME"], ignore_errors=True)
# Likewise the configuration (evidence verify reads trusted keys from it): never the user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="genmei-test-config-")
atexit.register(shutil.rmtree, os.environ["XDG_CONFIG_HOME"], ignore_errors=True)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "mappings" / "examples"
DEMO_SNAPSHOT = ROOT / "collectors" / "example" / "demo-snapshot.json"
# Judged on a fixed day so that exception and attestation expiry is deterministic.
AS_OF = "2026-11-22"


def genmei(*args, cwd=None, env=None):
    """Run the installed CLI as a user would; return (exit code, stdout, stderr)."""
    proc = subprocess.run(
        [sys.executable, "-m", "genmei.engine.cli", *map(str, args)],
        cwd=cwd or ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, **(env or {})},
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="session")
def demo_scan(tmp_path_factory):
    """The bundled example scanned once with its attestations and exceptions."""
    out = tmp_path_factory.mktemp("demo")
    code, stdout, stderr = genmei(
        "scan", "--snapshot", DEMO_SNAPSHOT, "--attestations", EXAMPLES / "attestations.yaml",
        "--exceptions", EXAMPLES / "exceptions.yaml", "--out", out, "--fail-on", "none", "--as-of", AS_OF,
    )
    assert code == 0, stderr
    return {"stdout": stdout, "stderr": stderr, "evidence": json.loads((out / "evidence.json").read_text()), "out": out}
