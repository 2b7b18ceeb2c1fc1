"""Where genmei finds its policies and catalog: beside the package in a checkout.

genmei runs from a checkout installed with `pip install -e .` (see README); the
policies/ and mappings/ folders are data, kept at the top of the repository.
"""

import os
from pathlib import Path

ROOT = Path(os.environ.get("GENMEI_HOME") or Path(__file__).resolve().parents[1])
POLICIES = ROOT / "policies"
MAPPINGS = ROOT / "mappings"
SCHEMAS = MAPPINGS / "schema"
