"""The offline formats `genmei import` knows, by name — the counterpart of
collectors/registry.py for exports a user already has.

Each format module exposes TITLE and read(paths, progress) -> snapshot dict (validated
by the engine afterwards): `paths` are one or more files of that format (pages of one
export, read as one), `progress(message)` reports on a terminal. A module rejects a file
it cannot read with an InputError naming the file and why.
"""

import importlib

# name → module; an importer adds its line here.
FORMATS: dict[str, str] = {
    "aws-config": "genmei.collectors.aws_config",
    "azure-graph": "genmei.collectors.azure.graph_import",
    "gcp-cai": "genmei.collectors.gcp_cai",
}


def load_format(name: str):
    return importlib.import_module(FORMATS[name])
