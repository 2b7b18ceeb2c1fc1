"""The embedded engine and an OPA server reached through opa-python-client must give
byte-identical results; server failures are one-line errors, never tracebacks."""

import os
import shutil
import subprocess
import time

import pytest

from conftest import AS_OF, DEMO_SNAPSHOT, genmei
from genmei.engine.backends.embedded import EmbeddedBackend
from genmei.engine.backends.opa_server import OpaServerBackend, parse_opa_url
from genmei.engine.catalog import load_catalog
from genmei.engine.errors import EngineError, InputError
from genmei.engine.jsonio import canonical_json
from genmei.engine.policies import load_bundle
from genmei.engine.scan import run_scan
from genmei.engine.snapshot import load_snapshot
from opa_rest_server import OpaRestServer
from datetime import date


def scan_results(backend):
    result = run_scan(load_snapshot(DEMO_SNAPSHOT), load_bundle(), backend, load_catalog(), [], [], date.fromisoformat(AS_OF))
    return canonical_json(result.evidence["results"])


def test_embedded_and_opa_server_results_are_byte_identical():
    embedded = scan_results(EmbeddedBackend())
    with OpaRestServer() as srv:
        served = scan_results(OpaServerBackend(srv.url))
        ops = {m for m, _ in srv.state.requests}
        assert {"GET", "PUT", "POST"} <= ops  # the client really listed, uploaded and queried
        assert any(p.startswith("/v1/policies/genmei/") for _, p in srv.state.requests)
        assert srv.state.data["genmei"]["snapshots"] == {}, "the snapshot is removed after the query"
    assert embedded == served
    assert b'"FAIL"' in embedded and b'"PASS"' in embedded


def test_cli_with_opa_url_matches_embedded(tmp_path):
    args = ["scan", "--snapshot", DEMO_SNAPSHOT, "--fail-on", "none", "--as-of", AS_OF, "--format", "json"]
    code, embedded, err = genmei(*args)
    assert code == 0, err
    with OpaRestServer() as srv:
        code, served, err = genmei(*args, "--opa-url", srv.url)
    assert code == 0, err
    import json
    a, b = json.loads(embedded), json.loads(served)
    assert canonical_json(a["results"]) == canonical_json(b["results"])
    assert b["tool"]["backend"] == "opa"


def test_stale_genmei_policies_are_removed_from_the_server():
    with OpaRestServer() as srv:
        srv.state.policies["genmei/old/removed_check.rego"] = "package genmei.checks.old.removed\n\nmetadata := 1\n"
        srv.state.policies["someone-else.rego"] = "package other\n\nx := 1\n"
        OpaServerBackend(srv.url).evaluate(load_bundle(), {"meta": {}, "resources": {}})
        assert "genmei/old/removed_check.rego" not in srv.state.policies
        assert "someone-else.rego" in srv.state.policies


def test_unreachable_server_is_a_one_line_engine_error():
    with OpaRestServer() as srv:
        url = srv.url
    code, out, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--opa-url", url)
    assert code == 3
    assert err.strip().count("\n") == 0 and "unreachable" in err and "Traceback" not in err


def test_compile_error_names_the_module(tmp_path):
    root = tmp_path / "policies"
    shutil.copytree(load_bundle().root, root)
    (root / "network" / "broken.rego").write_text("package genmei.checks.network.broken\n\nresults contains x if { x := undefined_fn(1) }\n")
    with OpaRestServer() as srv:
        with pytest.raises(EngineError, match=r"network/broken.rego does not compile"):
            OpaServerBackend(srv.url).evaluate(load_bundle(root), {"meta": {}, "resources": {}})
    with pytest.raises(EngineError, match="embedded OPA"):
        EmbeddedBackend().evaluate(load_bundle(root), {"meta": {}, "resources": {}})


def test_timeout_and_server_error_are_engine_errors():
    with OpaRestServer() as srv:
        srv.state.delay = 2.0
        with pytest.raises(EngineError, match="timed out"):
            OpaServerBackend(srv.url, timeout=0.5).evaluate(load_bundle(), {"meta": {}, "resources": {}})
        srv.state.delay = 0
        srv.state.fail_next = 1
        with pytest.raises(EngineError, match="HTTP 500"):
            OpaServerBackend(srv.url).evaluate(load_bundle(), {"meta": {}, "resources": {}})


def test_a_read_timeout_while_the_body_streams_in_is_a_timeout():
    """requests reports it as a ConnectionError wrapping urllib3's ReadTimeoutError: the server
    is slow, not unreachable (a refused connection stays unreachable)."""
    import requests
    import urllib3

    from genmei.engine.backends.opa_server import describe

    stalled = requests.exceptions.ConnectionError(urllib3.exceptions.ReadTimeoutError(None, "/v1/data", "Read timed out."))
    assert describe(stalled).startswith("timed out")
    assert describe(requests.exceptions.ReadTimeout("Read timed out.")).startswith("timed out")
    assert describe(requests.exceptions.ConnectionError("Connection refused")).startswith("unreachable")


@pytest.mark.parametrize("url", ["localhost:8181", "ftp://h:1", "http://h:1/v1/data", "http://h:notaport"])
def test_bad_opa_urls_are_input_errors(url):
    with pytest.raises(InputError):
        parse_opa_url(url)


def _real_opa_url():
    if os.environ.get("OPA_URL"):
        return os.environ["OPA_URL"], None
    opa = shutil.which("opa")
    if not opa:
        return None, None
    proc = subprocess.Popen([opa, "run", "--server", "--addr", "127.0.0.1:18181"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    return "http://127.0.0.1:18181", proc


def test_real_opa_server_when_available():
    """Runs only where a real OPA is reachable (OPA_URL, or `opa` on PATH); skipped and
    reported otherwise — never counted as covering the real server."""
    url, proc = _real_opa_url()
    if not url:
        pytest.skip("no real OPA server: set OPA_URL or put `opa` on PATH")
    try:
        assert scan_results(OpaServerBackend(url)) == scan_results(EmbeddedBackend())
    finally:
        if proc:
            proc.terminate()
