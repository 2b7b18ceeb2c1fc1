"""The offline formats `genmei import` knows, by name — the counterpart of
collectors/registry.py for exports a user already has.

Each format module exposes read(paths, progress) -> snapshot dict (validated
by the engine afterwards): `paths` are one or more files of that format (pages of one
export, read as one), `progress(message)` reports on a terminal. A module rejects a file
it cannot read with an InputError naming the file and why.
"""

import importlib

# name → (module, title for `genmei import --help`); an importer adds its line here. The
# titles live here, not in the modules, so that the CLI lists the formats without
# importing their readers (`genmei --help` stays fast).
FORMATS: dict[str, tuple[str, str]] = {
    "aws-config": ("genmei.collectors.aws_config",
                   "AWS Config configuration items (snapshot/history files, configservice CLI output, rule events)"),
    "azure-graph": ("genmei.collectors.azure.graph_import",
                    "Azure Resource Graph results (REST API response, `az graph query` output, or a JSON array of rows)"),
    "gcp-cai": ("genmei.collectors.gcp_cai",
                "Cloud Asset Inventory export (gcloud asset export JSONL, gcloud asset list JSON)"),
}


def load_format(name: str):
    return importlib.import_module(FORMATS[name][0])


def title(name: str) -> str:
    return FORMATS[name][1]
