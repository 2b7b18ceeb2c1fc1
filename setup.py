"""The repository's top-level folders install under one import namespace, `genmei`:
engine/ → genmei.engine, collectors/ → genmei.collectors, and the data folders
policies/ and mappings/ → genmei.policies and genmei.mappings (read through
importlib.resources). Metadata and dependencies are in pyproject.toml."""

from setuptools import find_packages, setup

ROOTS = ("engine", "collectors", "policies", "mappings")

setup(
    packages=[f"genmei.{root}{'.' + sub if sub else ''}" for root in ROOTS for sub in ["", *find_packages(root)]],
    package_dir={f"genmei.{root}": root for root in ROOTS},
)
