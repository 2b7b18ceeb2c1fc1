"""Helpers for the Azure tests: the fixture world, a static-token credential (never the
IMDS-probing chain), and one live collection against a loopback ARM server."""

import json
import time
from pathlib import Path
from types import SimpleNamespace

from azure.core.credentials import AccessToken

from azure_arm_server import ArmServer, World

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "azure"
# shared/ sits beside the checkout (on CI too).
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "azure_arm"
SUB_A = "11111111-1111-1111-1111-111111111111"
SUB_B = "22222222-2222-2222-2222-222222222222"


class StaticToken:
    """An injected credential: a token for any scope, no network."""

    def __init__(self):
        self.scopes = []

    def get_token(self, *scopes, **kwargs):
        self.scopes.extend(scopes)
        return AccessToken("genmei-test-token", int(time.time()) + 3600)


def world_doc() -> dict:
    return json.loads((FIXTURES / "world.json").read_text())


def faults() -> list[dict]:
    return json.loads((FIXTURES / "faults.json").read_text())


def args_for(server: ArmServer, **overrides) -> SimpleNamespace:
    base = dict(subscriptions="all", inventory="arm", arm_endpoint=server.url, ca_bundle=str(server.ca_bundle), retries=3)
    return SimpleNamespace(**{**base, **overrides})


def collect(server: ArmServer, **overrides) -> dict:
    from genmei.collectors.azure import cli

    return cli.collect(args_for(server, **overrides), lambda message: None, credential=StaticToken())


def by_name(snapshot: dict) -> dict[tuple[str, str], dict]:
    return {(r["type"], r["name"]): r for r in snapshot["resources"]}


def serve(tmp_path: Path, doc: dict | None = None, page_size: int = 1, **kwargs) -> ArmServer:
    return ArmServer(tmp_path, World(doc if doc is not None else world_doc(), page_size=page_size), **kwargs)


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """The CLI in-process (for the many bad-input cases, where a subprocess per case would
    cost seconds each): exit code, stdout, stderr."""
    from genmei.engine.cli import main

    capsys.readouterr()
    try:
        code = main([str(a) for a in args])
    except SystemExit as e:  # argparse usage errors
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err
