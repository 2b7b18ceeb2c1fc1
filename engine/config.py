"""The service configuration, genmei.yaml: one file for a whole service — the sources it
spans and the settings of its scan — read by `genmei scan --config FILE`, or from
./genmei.yaml when `scan` is given no input of its own.

The file is validated by mappings/schema/config.schema.json; every path in it is
relative to the file. A live source's options are the options of `genmei collect
PROVIDER` without their dashes (`role_name` for --role-name), parsed by that provider's
own argument parser, so the file and the command line accept the same values. Options
given on the command line override the file (engine/commands/scan.py).
"""

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .jsonio import validate
from .yamlio import load_yaml

SCHEMA = "config.schema.json"
DEFAULT_FILE = "genmei.yaml"
KINDS = ("snapshot", "import", "aws", "azure", "gcp")
# GCP scopes that list several: one source each.
GCP_LISTS = {"projects": "project", "folders": "folder"}
# Options that are paths, relative to the file.
PATH_OPTIONS = {"ca_bundle"}


@dataclass(frozen=True)
class Source:
    """One source of the service: a snapshot file, an import of export files, or a live
    read (provider and the argv of `genmei collect PROVIDER`)."""
    position: int
    name: str | None
    kind: str                         # snapshot | import | live
    path: Path | None = None          # snapshot
    format: str | None = None         # import
    files: tuple[Path, ...] = ()      # import
    provider: str | None = None       # live
    argv: tuple[str, ...] = ()        # live

    def label(self) -> str:
        if self.name:
            return self.name
        if self.kind == "snapshot":
            return str(self.path)
        if self.kind == "import":
            return f"{self.format} import"
        return f"{self.provider} {' '.join(self.argv)}".strip()


@dataclass(frozen=True)
class ServiceConfig:
    path: Path
    service: str
    organisation: str | None
    sources: tuple[Source, ...]
    settings: dict = field(default_factory=dict)  # attestations, exceptions, params, checks, … as resolved


def find_config(explicit: str | None, has_input: bool) -> Path | None:
    """--config FILE; else ./genmei.yaml when the scan has no input of its own (no
    --snapshot, no provider), so a stray genmei.yaml never changes a scan that names its
    input."""
    if explicit:
        return Path(explicit)
    default = Path(DEFAULT_FILE)
    return default if not has_input and default.is_file() else None


def load_config(path: Path) -> ServiceConfig:
    if not path.is_file():
        raise InputError(f"--config {path}: no such file")
    doc = load_yaml(path)
    name = str(path)
    if not isinstance(doc, dict):
        raise InputError(f"{name}: expected a mapping with service and sources (see README, Service configuration)")
    _check_kinds(doc, name)
    validate(doc, SCHEMA, name)
    base = path.parent
    sources = []
    for i, entry in enumerate(doc["sources"]):
        sources += _sources(entry, i, base, name, len(sources))
    labels = [s.name for s in sources if s.name]
    twice = sorted({n for n in labels if labels.count(n) > 1})
    if twice:
        raise InputError(f"{name}: source name {twice[0]!r} is used twice")
    settings = {}
    for key in ("attestations", "exceptions", "params", "out"):
        if key in doc:
            settings[key] = str(base / doc[key])
    if "store" in doc:
        store = doc["store"]
        settings["store"] = store if store is False or "://" in store or store.startswith("postgresql:") else str(base / store)
    for key in ("checks", "skip_checks", "fail_on", "lang"):
        if key in doc:
            settings[key] = doc[key]
    return ServiceConfig(path=path, service=doc["service"].strip(), organisation=doc.get("organisation"),
                         sources=tuple(sources), settings=settings)


def _check_kinds(doc: dict, name: str) -> None:
    """Each source names one kind: said plainly, before the schema's oneOf would say it obscurely."""
    sources = doc.get("sources")
    if not isinstance(sources, list):
        return
    for i, entry in enumerate(sources):
        if not isinstance(entry, dict):
            continue
        kinds = [k for k in KINDS if k in entry]
        if len(kinds) != 1:
            raise InputError(f"{name}: sources[{i}]: give exactly one of {', '.join(KINDS)} "
                             f"(found {', '.join(kinds) if kinds else 'none'})")
        if (kinds[0] == "import") != ("files" in entry):
            raise InputError(f"{name}: sources[{i}]: `files` goes with `import` (the export files to read), and only there")
        gcp = entry.get("gcp")
        if isinstance(gcp, dict):
            scopes = [k for k in ("project", "projects", "folder", "folders", "organization") if k in gcp]
            if len(scopes) != 1:
                raise InputError(f"{name}: sources[{i}].gcp: give exactly one of project, projects, folder, folders, "
                                 f"organization (found {', '.join(scopes) if scopes else 'none'})")


def _sources(entry: dict, index: int, base: Path, name: str, position: int) -> list[Source]:
    label = entry.get("name")
    if "snapshot" in entry:
        return [Source(position, label, "snapshot", path=_existing(base / entry["snapshot"], name, index))]
    if "import" in entry:
        files = tuple(_existing(base / f, name, index) for f in entry["files"])
        return [Source(position, label, "import", format=entry["import"], files=files)]
    provider = next(k for k in ("aws", "azure", "gcp") if k in entry)
    options = dict(entry[provider])
    scopes = [{}]
    for many, one in GCP_LISTS.items():
        if many in options:
            values = options.pop(many)
            if len(set(values)) != len(values):
                raise InputError(f"{name}: sources[{index}].gcp.{many}: lists a {one} twice")
            scopes = [{one: v} for v in values]
    out = []
    for n, scope in enumerate(scopes):
        argv = tuple(_argv({**options, **scope}, base))
        where = f"{name}: sources[{index}].{provider}"
        parse_provider_options(provider, argv, where)
        suffix = f" ({scope[next(iter(scope))]})" if label and len(scopes) > 1 else ""
        out.append(Source(position + n, f"{label}{suffix}" if label else None, "live", provider=provider, argv=argv))
    return out


def _existing(path: Path, name: str, index: int) -> Path:
    if not path.is_file():
        raise InputError(f"{name}: sources[{index}]: {path}: no such file")
    return path


def _argv(options: dict, base: Path) -> list[str]:
    """A live source's options as the command line of `genmei collect PROVIDER`."""
    argv = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif value is False:
            continue
        elif isinstance(value, list):
            argv += [flag, ",".join(str(v) for v in value)]
        else:
            argv += [flag, str(base / value) if key in PATH_OPTIONS else str(value)]
    return argv


class _OptionParser(argparse.ArgumentParser):
    """A provider's option parser whose errors name the configuration entry."""

    def __init__(self, where: str):
        super().__init__(prog=where, add_help=False, exit_on_error=False)
        self.where = where

    def error(self, message):
        raise InputError(f"{self.where}: {message}")


def parse_provider_options(provider: str, argv, where: str) -> argparse.Namespace:
    """The Namespace `genmei collect PROVIDER ARGV` would give the provider's collector."""
    from genmei.collectors.registry import load_provider

    module = load_provider(provider)
    parser = _OptionParser(where)
    module.add_arguments(parser)
    try:
        args = parser.parse_args(list(argv))
    except argparse.ArgumentError as e:
        raise InputError(f"{where}: {e}") from None
    args.provider = provider
    try:
        module.validate(args)  # what the collector would refuse, refused before any source is read
    except InputError as e:
        raise InputError(f"{where}: {e.message}") from None
    return args
