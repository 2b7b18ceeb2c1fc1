"""The scan history: every `genmei scan` recorded in an embedded SQLite store, so that
scheduled scans can be listed (`history`), compared (`diff`) and followed (`trend`).

A run keeps what comparing needs and no more: the snapshot's digest and metadata, the
id, type and digest of every resource, every result, every item status and every risk
judgement — and, when the scan wrote an evidence directory, its path and the digest of
each file in it, so `evidence export --scan RUN` can check the files are still that run's.

Concurrent scans share one store safely: the WAL journal lets readers run beside the
one writer, the busy timeout makes a writer wait for another instead of failing, and
each run is one IMMEDIATE transaction, so it is stored whole or not at all. The schema
is versioned with `PRAGMA user_version` and upgraded in that same kind of transaction.
"""

import json
import os
import sqlite3
import time
from pathlib import Path

from .errors import EngineError, InputError
from .jsonio import canonical_json, sha256_hex

STORE_NAME = "history.sqlite"
BUSY_TIMEOUT_SECONDS = 120

# MIGRATIONS[n] takes a store from schema version n to n + 1; append, never edit.
MIGRATIONS = (
    """
    CREATE TABLE runs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        as_of TEXT NOT NULL,
        provider TEXT NOT NULL,
        account TEXT NOT NULL,
        regions TEXT NOT NULL,
        collector TEXT NOT NULL,
        collected_at TEXT NOT NULL,
        snapshot_sha256 TEXT NOT NULL,
        snapshot_path TEXT NOT NULL,
        resource_count INTEGER NOT NULL,
        gaps TEXT NOT NULL,
        policy_bundle_sha256 TEXT NOT NULL,
        catalog_sha256 TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        backend TEXT NOT NULL,
        summary TEXT NOT NULL,
        evidence_dir TEXT,
        members TEXT
    );
    CREATE INDEX runs_by_account ON runs (account, seq);
    CREATE TABLE resources (
        run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
        type TEXT NOT NULL,
        id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (run, type, id)
    ) WITHOUT ROWID;
    CREATE TABLE results (
        run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        check_id TEXT NOT NULL,
        resource TEXT NOT NULL,
        resource_type TEXT,
        status TEXT NOT NULL,
        severity TEXT NOT NULL,
        reason TEXT NOT NULL,
        criteria TEXT NOT NULL,
        risks TEXT NOT NULL,
        PRIMARY KEY (run, position)
    ) WITHOUT ROWID;
    CREATE TABLE items (
        run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
        item TEXT NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (run, item)
    ) WITHOUT ROWID;
    CREATE TABLE judgements (
        run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
        risk TEXT NOT NULL,
        basic_statement INTEGER NOT NULL,
        judgement TEXT NOT NULL,
        judgement_en TEXT NOT NULL,
        items TEXT NOT NULL,
        counts TEXT NOT NULL,
        PRIMARY KEY (run, risk)
    ) WITHOUT ROWID;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

RUN_COLUMNS = ("seq", "id", "started_at", "finished_at", "as_of", "provider", "account", "regions", "collector",
               "collected_at", "snapshot_sha256", "snapshot_path", "resource_count", "gaps", "policy_bundle_sha256",
               "catalog_sha256", "tool_version", "backend", "summary", "evidence_dir", "members")
JSON_COLUMNS = {"regions", "collector", "gaps", "summary", "members"}


def default_store_path() -> Path:
    """The user's data directory: $XDG_DATA_HOME/genmei, else ~/.local/share/genmei
    (%LOCALAPPDATA%\\genmei on Windows)."""
    if os.environ.get("XDG_DATA_HOME"):
        base = Path(os.environ["XDG_DATA_HOME"])
    elif os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path.home() / ".local" / "share"
    return base / "genmei" / STORE_NAME


def resource_digest(resource: dict) -> str:
    """What a resource was, as one digest: a changed attribute changes it."""
    return sha256_hex(canonical_json(resource))


def run_id(finished_at: str, snapshot_sha256: str) -> str:
    """Sortable by time, and telling which snapshot: 20261122T101500Z-223de930."""
    return finished_at.replace("-", "").replace(":", "") + "-" + snapshot_sha256[:8]


class Store:
    """One open history store. Use as a context manager; every method is one transaction."""

    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise InputError(f"{self.path}: no scan history here yet (run `genmei scan` first, or pass --store PATH)")
        if self.path.exists() and not self.path.is_file():
            raise InputError(f"{self.path}: is not a file (--store expects the history database file)")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as e:
            raise InputError(f"{self.path}: cannot open the scan history ({_why(e)}); pass --store PATH or --no-store") from None
        try:
            self._enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as e:
            self.db.close()
            raise InputError(f"{self.path}: not a usable genmei history store ({_why(e)})") from None
        except BaseException:
            self.db.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.db.close()

    def _enable_wal(self) -> None:
        """Switching a new store to WAL needs the database to itself, and SQLite answers
        "database is locked" at once, without its busy timeout, when another process is
        opening the same new store: so wait here, as the busy timeout would."""
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        with self._transaction():
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise InputError(f"{self.path}: history schema {version} is newer than this genmei understands ({SCHEMA_VERSION})")
            if version == 0 and self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise InputError(f"{self.path}: an SQLite database that is not a genmei history store")
            for script in MIGRATIONS[version:]:
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            if version < SCHEMA_VERSION:
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _transaction(self):
        return _Transaction(self.db)

    # -- writing -----------------------------------------------------------------

    def record(self, evidence: dict, resources: list[dict], evidence_dir: Path | None = None,
               members: dict[str, str] | None = None) -> str:
        """Store one run whole; return its id. `resources` are the snapshot's resources."""
        snap = evidence["snapshot"]
        base = run_id(evidence["finished_at"], evidence["snapshot_sha256"])
        try:
            with self._transaction():
                taken = {r[0] for r in self.db.execute("SELECT id FROM runs WHERE id = ? OR id LIKE ?", (base, base + "-%"))}
                rid, n = base, 1
                while rid in taken:
                    n += 1
                    rid = f"{base}-{n}"
                row = {
                    "id": rid, "started_at": evidence["started_at"], "finished_at": evidence["finished_at"],
                    "as_of": evidence["as_of"], "provider": snap["provider"], "account": snap["account"],
                    "regions": snap["regions"], "collector": snap["collector"], "collected_at": snap["collected_at"],
                    "snapshot_sha256": evidence["snapshot_sha256"], "snapshot_path": snap["path"],
                    "resource_count": snap["resources"], "gaps": snap["gaps"],
                    "policy_bundle_sha256": evidence["policy_bundle_sha256"], "catalog_sha256": evidence["catalog_sha256"],
                    "tool_version": evidence["tool"]["version"], "backend": evidence["tool"]["backend"],
                    "summary": evidence["summary"],
                    "evidence_dir": str(evidence_dir.resolve()) if evidence_dir else None,
                    "members": members,
                }
                cols = [c for c in RUN_COLUMNS if c != "seq"]
                values = [json.dumps(row[c], ensure_ascii=False) if c in JSON_COLUMNS and row[c] is not None else row[c] for c in cols]
                cur = self.db.execute(f"INSERT INTO runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", values)
                seq = cur.lastrowid
                self.db.executemany("INSERT INTO resources VALUES (?, ?, ?, ?)",
                                    ((seq, r["type"], r["id"], resource_digest(r)) for r in resources))
                self.db.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
                    (seq, i, r["check"], r["resource"], r["resource_type"], r["status"], r["severity"], r["reason"],
                     json.dumps(r["criteria"]), json.dumps(r["risks"])) for i, r in enumerate(evidence["results"])))
                self.db.executemany("INSERT INTO items VALUES (?, ?, ?)",
                                    ((seq, iid, item["status"]) for iid, item in evidence["items"].items()))
                risks = {**evidence["risks"], **evidence["outside_basic_statement"]}
                self.db.executemany("INSERT INTO judgements VALUES (?, ?, ?, ?, ?, ?, ?)", (
                    (seq, rid_, int(r["basic_statement"]), r["judgement"], r["judgement_en"],
                     json.dumps(list(r["items"])), json.dumps(r["counts"])) for rid_, r in risks.items()))
        except sqlite3.Error as e:
            raise EngineError(f"{self.path}: could not record the run in the scan history ({_why(e)})") from None
        return rid

    # -- reading -----------------------------------------------------------------

    def runs(self, account: str | None = None, last: int | None = None) -> list[dict]:
        """Runs oldest first; only the `last` N when given."""
        where, params = ("WHERE account = ?", [account]) if account else ("", [])
        sql = f"SELECT {', '.join(RUN_COLUMNS)} FROM runs {where} ORDER BY seq DESC"
        if last is not None:
            sql += " LIMIT ?"
            params.append(last)
        return [_run(row) for row in reversed(self._read(sql, params))]

    def run(self, ref: str) -> dict:
        """A run by its id or a unique prefix of it."""
        rows = self._read(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs WHERE id = ?", [ref])
        if not rows:
            like = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self._read(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY seq LIMIT 3", [like])
        if not rows:
            raise InputError(f"no run {ref!r} in {self.path} (see `genmei history`)")
        if len(rows) > 1:
            more = ", …" if len(rows) > 2 else ""
            raise InputError(f"run {ref!r} is ambiguous in {self.path}: {rows[0][1]}, {rows[1][1]}{more}")
        return _run(rows[0])

    def accounts(self) -> list[str]:
        return [r[0] for r in self._read("SELECT account FROM runs GROUP BY account ORDER BY max(seq) DESC", [])]

    def results(self, run: dict) -> list[dict]:
        rows = self._read("SELECT check_id, resource, resource_type, status, severity, reason, criteria, risks "
                          "FROM results WHERE run = ? ORDER BY position", [run["seq"]])
        return [{"check": c, "resource": res, "resource_type": t, "status": s, "severity": sev, "reason": why,
                 "criteria": json.loads(crit), "risks": json.loads(risks)} for c, res, t, s, sev, why, crit, risks in rows]

    def resources(self, run: dict) -> dict[tuple[str, str], str]:
        """(type, id) → resource digest."""
        return {(t, i): d for t, i, d in self._read("SELECT type, id, sha256 FROM resources WHERE run = ?", [run["seq"]])}

    def items(self, run: dict) -> dict[str, str]:
        return dict(self._read("SELECT item, status FROM items WHERE run = ?", [run["seq"]]))

    def judgements(self, run: dict) -> dict[str, dict]:
        rows = self._read("SELECT risk, basic_statement, judgement, judgement_en, items, counts FROM judgements "
                          "WHERE run = ? ORDER BY risk", [run["seq"]])
        return {risk: {"basic_statement": bool(b), "judgement": j, "judgement_en": je, "items": json.loads(items),
                       "counts": json.loads(counts)} for risk, b, j, je, items, counts in rows}

    def _read(self, sql: str, params: list) -> list[tuple]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise EngineError(f"{self.path}: cannot read the scan history ({_why(e)})") from None


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT: takes the write lock up front (waiting up to the busy
    timeout for another writer) so that no two runs interleave; rolls back on any error."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *_):
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _run(row: tuple) -> dict:
    run = dict(zip(RUN_COLUMNS, row))
    for c in JSON_COLUMNS:
        if run[c] is not None:
            run[c] = json.loads(run[c])
    return run


def _why(e: BaseException) -> str:
    return getattr(e, "strerror", None) or str(e)
