"""The scan history: every `genmei scan` recorded, so that scheduled scans can be listed
(`history`), compared (`diff`), followed (`trend`) and reported over an audit period
(`report period`). One schema (schema.py) in two backends: an embedded SQLite file, the
default (sqlite.py), or a shared PostgreSQL database (postgres.py) that scans on many
machines write to at once.

A run keeps what comparing and reporting need and no more: the snapshot's digest and
metadata, the id, type and digest of every resource, every result, item status and risk
judgement, the exceptions and attestations it used, the service it was scanned for, and —
when the scan wrote an evidence directory — its path and the digest of each file in it,
so `evidence export --scan RUN` can check the files are still that run's.
"""

import os
import re
from pathlib import Path

from ..errors import InputError
from .base import Store
from .schema import SCHEMA_VERSION

STORE_NAME = "history.sqlite"
STORE_ENV = "GENMEI_STORE"
URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
POSTGRES_SCHEMES = ("postgresql", "postgres")


def default_store() -> str:
    """$GENMEI_STORE, else the user's data directory: $XDG_DATA_HOME/genmei, else
    ~/.local/share/genmei (%LOCALAPPDATA%\\genmei on Windows)."""
    if os.environ.get(STORE_ENV):
        return os.environ[STORE_ENV]
    if os.environ.get("XDG_DATA_HOME"):
        base = Path(os.environ["XDG_DATA_HOME"])
    elif os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path.home() / ".local" / "share"
    return str(base / "genmei" / STORE_NAME)


def open_store(location: str | Path, create: bool = True) -> Store:
    """The store at `location`: a postgresql:// URL, else an SQLite file path. A URL of
    another kind is refused, never taken for a file name."""
    text = str(location)
    m = URL.match(text)
    if m and (text[m.end():].startswith("//") or m.group(1).lower() in POSTGRES_SCHEMES):
        scheme = m.group(1).lower()
        if scheme not in POSTGRES_SCHEMES:
            raise InputError(f"--store {scheme}://…: not a store genmei knows (an SQLite file path, "
                             "or postgresql://USER@HOST:PORT/DATABASE)")
        if not text[m.end():].startswith("//"):
            raise InputError(f"--store {scheme}:…: expected a URL postgresql://USER@HOST:PORT/DATABASE")
        from .postgres import PostgresStore
        return PostgresStore(text, create=create)
    from .sqlite import SqliteStore
    return SqliteStore(text, create=create)


__all__ = ["Store", "SCHEMA_VERSION", "default_store", "open_store"]
