"""Output formats and the file-name suffixes that name them.

A file written with --out FILE must be what its name says: `--format csv --out x.ods`
would hand a spreadsheet program a CSV under a name it parses otherwise, so a suffix
that names another format is an input error (exit 2) before anything runs. A name
without a suffix is taken as given. Commands call check_suffix for their --out.
"""

from pathlib import Path

from .errors import InputError

# The per-result formats of `scan --format` and `gate --format` (engine/render/results.py).
RESULT_FORMATS = ("ocsf", "csv")

# format → the suffixes a file of it may carry (the first is the one to suggest).
SUFFIXES: dict[str, tuple[str, ...]] = {
    "csv": (".csv",),
    "ocsf": (".json", ".ocsf"),
    "json": (".json",),
    "sarif": (".sarif", ".json"),
    "junit": (".xml",),
    "xlsx": (".xlsx",),
    "md": (".md", ".markdown", ".txt"),
    "html": (".html", ".htm"),
    "opa-bundle": (".tar.gz", ".tgz"),
    "zip": (".zip",),
}


def check_suffix(fmt: str, out: str | Path, option: str = "--out", what: str | None = None) -> None:
    """Raise InputError when `out` has a suffix that is not one of fmt's; `what` names the
    content in the message (default: "--format FMT output")."""
    name = Path(out).name.lower()
    suffix = Path(name).suffix
    if suffix and not name.endswith(SUFFIXES[fmt]):
        raise InputError(f"{option} {out}: a {suffix} file cannot hold {what or f'--format {fmt} output'} "
                         f"(name it *{SUFFIXES[fmt][0]})")
