"""`genmei --version` and `--help` stay cheap: the command modules register their options
without importing what runs them (cloud SDKs, jsonschema, the engine, the renderers).
Pinned by the modules imported, not by timing (a shared machine's timings vary): these
are the modules that made `--version` cost ~0.6 s of CPU before."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT

# Top-level modules that a bare `genmei --version` / `--help` must not import.
HEAVY = {"boto3", "botocore", "azure", "google", "grpc", "jsonschema", "fastjsonschema", "yaml", "orjson",
         "opa_bindings", "opa_client", "requests", "urllib3", "openpyxl", "jinja2", "cryptography", "hcl2", "lark",
         "sqlite3", "moto", "tqdm", "wcwidth", "argcomplete"}

PROBE = """
import json, sys
from genmei.engine.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, timeout=60)
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["scan", "--help"], ["gate", "--help"],
                                  ["import", "--help"], ["collect", "aws", "--help"], ["policy", "--help"]])
def test_help_and_version_import_no_implementation(args):
    modules = imported(*args)
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, f"genmei {' '.join(args)} imports {heavy}"
    # Of genmei itself: the CLI, the command modules, the errors, and the registries of
    # providers and import formats with the providers' option modules, nothing else.
    ours = {m for m in modules if m.startswith("genmei.")}
    allowed_collectors = {"genmei.collectors", "genmei.collectors.registry", "genmei.collectors.imports", "genmei.collectors.limits",
                          "genmei.collectors.aws", "genmei.collectors.aws.cli", "genmei.collectors.azure",
                          "genmei.collectors.azure.cli", "genmei.collectors.gcp", "genmei.collectors.gcp.cli"}
    engine = {m for m in ours if m.startswith("genmei.engine")}
    assert ours - engine <= allowed_collectors, sorted(ours - engine - allowed_collectors)
    # vocabulary: the enums of statuses and severities the options name (no imports of its own);
    # console: the level of stderr output (--quiet/--verbose), which imports the progress bar only to draw one.
    light = {"genmei.engine", "genmei.engine.cli", "genmei.engine.errors", "genmei.engine.extras", "genmei.engine.formats",
             "genmei.engine.vocabulary", "genmei.engine.commands", "genmei.engine.console"}
    assert engine <= light | {m for m in engine if m.startswith("genmei.engine.commands.")}, sorted(engine)


def test_the_probe_sees_a_heavy_import():
    """The probe itself: a command that does work imports what it needs (so an empty
    module list above is not an artefact of the probe)."""
    modules = imported("catalog", "risks", "--format", "json")
    assert "yaml" in modules and "genmei.engine.catalog" in modules
