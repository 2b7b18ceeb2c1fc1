"""The embedded scan history: one SQLite file, the default (`--store PATH`).

Concurrent scans share one file safely: the WAL journal lets readers run beside the one
writer, the busy timeout makes a writer wait for another instead of failing, and each
run is one IMMEDIATE transaction, so it is stored whole or not at all (a writer killed
halfway leaves a journal that the next opening rolls back). The schema version is
`PRAGMA user_version`, upgraded in that same kind of transaction.
"""

import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from ..errors import EngineError, InputError
from .base import CHUNK, Store
from .records import batches, field_digest, utc_text
from .schema import SCHEMA_VERSION

BUSY_TIMEOUT_SECONDS = 120


class SqliteStore(Store):
    backend = "sqlite"

    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        self.location = str(self.path)
        self.reopen_at = str(self.path.resolve())  # what an evidence directory's HISTORY note names
        self._in_transaction = False
        if not create and not self.path.exists():
            raise InputError(f"{self.path}: no scan history here yet (run `genmei scan` first, or pass --store PATH)")
        if self.path.exists() and not self.path.is_file():
            raise InputError(f"{self.path}: is not a file (--store expects the history database file)")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as e:
            raise InputError(f"{self.path}: cannot open the scan history ({_why(e)}); pass --store PATH or --no-store") from None
        # The SQL of schema.digest_sql and schema.utc_sql.
        self.db.create_function("genmei_digest", -1, field_digest, deterministic=True)
        self.db.create_function("genmei_utc", 1, utc_text, deterministic=True)
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
        with self._write():
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise InputError(f"{self.path}: history schema {version} is newer than this genmei understands ({SCHEMA_VERSION})")
            if version == 0 and self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise InputError(f"{self.path}: an SQLite database that is not a genmei history store")
            if version < SCHEMA_VERSION:
                self._apply_migrations(version)
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _write(self):
        """BEGIN IMMEDIATE … COMMIT: takes the write lock up front (waiting up to the busy
        timeout for another writer) so that no two runs interleave; rolls back on any error."""
        self._begin("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._end("ROLLBACK")
            raise
        self._end("COMMIT")

    @contextmanager
    def snapshot(self):
        """A read transaction: under WAL it sees the store as of its first read."""
        if self._in_transaction:
            yield
            return
        self._begin("BEGIN")
        try:
            yield
        finally:
            self._end("COMMIT")

    def _begin(self, sql: str) -> None:
        try:
            self.db.execute(sql)
        except sqlite3.Error as e:
            raise EngineError(f"{self.path}: cannot use the scan history ({_why(e)})") from None
        self._in_transaction = True

    def _end(self, sql: str) -> None:
        self._in_transaction = False
        try:
            self.db.execute(sql)
        except sqlite3.Error as e:
            raise EngineError(f"{self.path}: could not write the scan history ({_why(e)})") from None

    def _exec(self, sql: str, params=()) -> list[tuple]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise EngineError(f"{self.path}: cannot use the scan history ({_why(e)})") from None

    def _ids_for(self, table: str, key: str, rows: dict) -> dict:
        if not rows:
            return {}
        width = len(next(iter(rows.values())))
        try:
            ids = self._lookup(table, key, rows)
            missing = sorted(rows.keys() - ids.keys())  # the write lock is ours: nobody adds them meanwhile
            if missing:
                self.db.executemany(f"INSERT INTO {table} ({key}, {_columns(table)}) VALUES ({', '.join('?' * width)})",
                                    (rows[k] for k in missing))
                ids.update(self._lookup(table, key, missing))
            return ids
        except sqlite3.Error as e:
            raise EngineError(f"{self.path}: could not record the run in the scan history ({_why(e)})") from None

    def _lookup(self, table: str, key: str, keys) -> dict:
        """key → id of those of `keys` the table holds, asked 500 at a time (one statement a
        key, or one insert a row, was most of the time a run took to write)."""
        ids = {}
        for part in batches(keys, CHUNK):
            ids.update(self.db.execute(f"SELECT {key}, id FROM {table} WHERE {key} IN ({', '.join('?' * len(part))})",
                                       part).fetchall())
        return ids

    def _bulk(self, table: str, columns: tuple[str, ...], rows) -> None:
        try:
            self.db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
        except sqlite3.Error as e:
            raise EngineError(f"{self.path}: could not record the run in the scan history ({_why(e)})") from None

    def _insert(self, table: str, values: dict) -> int:
        cols = list(values)
        try:
            return self.db.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                   [values[c] for c in cols]).lastrowid
        except sqlite3.Error as e:
            raise EngineError(f"{self.path}: could not write the scan history ({_why(e)})") from None

    def _insert_run(self, values: dict) -> int:
        return self._insert("runs", values)

    def _insert_seal(self, values: dict) -> int:
        return self._insert("seals", values)

    def _unreferenced(self, table: str, column: str, refs: str) -> str:
        # NOT IN (uncorrelated subquery): SQLite builds the set of referenced ids once.
        return f"DELETE FROM {table} WHERE id NOT IN (SELECT {column} FROM {refs})"

    def _delete_count(self, sql: str) -> int:
        try:
            return self.db.execute(sql).rowcount
        except sqlite3.Error as e:
            raise EngineError(f"{self.path}: could not prune the scan history ({_why(e)})") from None


def _columns(table: str) -> str:
    """The columns after the key of the tables of things stored once."""
    return {"findings": "check_id, resource_type, resource",
            "outcomes": "status, severity, reason, criteria, risks",
            "resource_states": "type, resource"}[table]


def _why(e: BaseException) -> str:
    return getattr(e, "strerror", None) or str(e)
