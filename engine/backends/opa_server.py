"""An OPA server (`opa run --server`) reached through opa-python-client.

genmei uploads its modules under the policy ids `genmei/<path>`, removes stale genmei
modules, puts its parameters at data.genmei.params and the snapshot at
data.genmei.snapshots.<ref>, queries /v1/data/genmei/checks with {"snapshot_ref": ref},
and deletes the snapshot again. Every failure of the server becomes one EngineError line.
"""

import os
from urllib.parse import urlsplit

import requests
import urllib3

from ..errors import EngineError, InputError
from ..policies import PolicyBundle
from ..snapshot import plain_input
from .interface import CHECKS_PATH, PARAMS_PATH, SNAPSHOTS_PATH, Backend, convert_document, new_snapshot_ref

POLICY_PREFIX = "genmei/"


def parse_opa_url(url: str) -> tuple[str, int, bool]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"--opa-url {url!r}: expected http(s)://HOST[:PORT]")
    if parts.path not in ("", "/"):
        raise InputError(f"--opa-url {url!r}: give the server root, without a path")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 8181)
    except ValueError:
        raise InputError(f"--opa-url {url!r}: invalid port") from None
    return parts.hostname, port, parts.scheme == "https"


class OpaServerBackend(Backend):
    name = "opa"

    def __init__(self, url: str, timeout: float = 60.0):
        from opa_client import OpaClient

        host, port, ssl = parse_opa_url(url)
        self.url = url
        # The client's default 1.5 s timeout is far too short for a large snapshot.
        self.client = OpaClient(
            host=host, port=port, ssl=ssl, timeout=timeout, retries=0,
            token=os.environ.get("OPA_TOKEN") or None,
        )

    def evaluate(self, bundle: PolicyBundle, snapshot_input: dict, records=None) -> dict:
        # A reference of its own per evaluation: concurrent scans on one server never mix.
        data_path = f"{SNAPSHOTS_PATH}.{new_snapshot_ref()}".replace(".", "/")
        try:
            self._upload(bundle)
            self.client.update_or_create_data(plain_input(snapshot_input), data_path)
            try:
                response = self.client.query_rule({"snapshot_ref": data_path.rsplit("/", 1)[1]}, CHECKS_PATH)
            finally:
                self.client.delete_data(data_path)
        except EngineError:
            raise
        except Exception as e:  # noqa: BLE001 - every client failure becomes one line
            raise EngineError(f"OPA server {self.url}: {describe(e)}") from None
        finally:
            self.client.close_connection()
        if not isinstance(response, dict):
            raise EngineError(f"OPA server {self.url}: unexpected response {type(response).__name__}")
        # An undefined document comes back as {} without "result".
        return convert_document(response.get("result", {}), bundle, records, snapshot_input["resources"])

    def _upload(self, bundle: PolicyBundle) -> None:
        from opa_client.errors import RegoParseError

        wanted = {POLICY_PREFIX + p for p in bundle.modules}
        for policy in self.client.get_policies_list():
            if policy.startswith(POLICY_PREFIX) and policy not in wanted:
                self.client.delete_policy(policy)
        for path, source in bundle.ordered_modules():
            try:
                # rego_compat=False: never let the client rewrite a rejected module.
                self.client.update_policy_from_string(source, POLICY_PREFIX + path, rego_compat=False)
            except RegoParseError as e:
                raise EngineError(f"OPA server {self.url}: {path} does not compile: {compile_errors(e)}") from None
        self.client.update_or_create_data(bundle.params, PARAMS_PATH.replace(".", "/"))


def compile_errors(e) -> str:
    errors = getattr(e, "errors", None) or []
    texts = [f"{(x.get('location') or {}).get('row', '?')}: {x.get('message')}" for x in errors if isinstance(x, dict)]
    return "; ".join(texts) or " ".join(str(e).split())


def describe(e: Exception) -> str:
    # requests raises a read timeout met while a body streams in as a ConnectionError
    # wrapping urllib3's ReadTimeoutError: a slow server, not an unreachable one.
    if isinstance(e, requests.exceptions.Timeout) or (
            isinstance(e, requests.exceptions.ConnectionError) and e.args
            and isinstance(e.args[0], urllib3.exceptions.ReadTimeoutError)):
        return "timed out (raise --opa-timeout for large snapshots)"
    if isinstance(e, requests.exceptions.ConnectionError):
        return "unreachable (is `opa run --server` listening there?)"
    if isinstance(e, requests.exceptions.HTTPError) and e.response is not None:
        try:
            body = e.response.json()
            detail = body.get("message") or body
        except ValueError:
            detail = e.response.text[:200]
        return f"HTTP {e.response.status_code}: {' '.join(str(detail).split())}"
    text = " ".join(str(getattr(e, "message", None) or e).split())
    return f"{type(e).__name__}: {text}"[:300]
