"""The providers `genmei collect` and `genmei scan` know, by name.

Each provider module exposes TITLE, add_arguments(parser), validate(args) (refuses bad
options with an InputError before anything runs: a genmei.yaml's live sources are all
checked before the first is read) and collect(args, progress) -> snapshot dict
(validated by the engine afterwards).
"""

import importlib

# name → module; a collector issue adds its line here.
PROVIDERS: dict[str, str] = {
    "aws": "genmei.collectors.aws.cli",
    "azure": "genmei.collectors.azure.cli",
    "gcp": "genmei.collectors.gcp.cli",
}


def load_provider(name: str):
    return importlib.import_module(PROVIDERS[name])
