"""Where genmei finds its policies and catalog: the `genmei.policies` and
`genmei.mappings` package data.

In a checkout (`pip install -e .`) those are the repository's top-level policies/ and
mappings/ folders; in an installed wheel they are copied beside the code. GENMEI_HOME
points at another tree holding both (a site's own copy of the catalog and checks).
"""

import os
from importlib.resources import files
from pathlib import Path


def _package_dir(package: str) -> Path:
    # Package data installed as plain files (wheel or editable): a real directory.
    return Path(str(files(package)))


_HOME = os.environ.get("GENMEI_HOME")
POLICIES = Path(_HOME) / "policies" if _HOME else _package_dir("genmei.policies")
MAPPINGS = Path(_HOME) / "mappings" if _HOME else _package_dir("genmei.mappings")
SCHEMAS = MAPPINGS / "schema"
