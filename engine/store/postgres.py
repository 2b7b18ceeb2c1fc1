"""A shared scan history in PostgreSQL (`--store postgresql://USER@HOST:PORT/DB`), for
scans that run on many machines — Kubernetes CronJobs per account — and one place to
report a period from. The driver is psycopg 3 (`pip install 'genmei[postgres]'`); the
password comes from the URL, PGPASSWORD or ~/.pgpass as libpq reads them, and is never
printed.

Concurrency: each run is one transaction (READ COMMITTED) that inserts its findings,
outcomes and resource states in digest order (two writers meeting on the same rows wait
for each other in one order, so they cannot deadlock), then the run and its rows, so a
reader sees a run whole or not at all, and a writer killed halfway leaves nothing (the
server rolls back its transaction when the connection drops). Choosing a run id takes
an advisory lock on it; upgrading the schema takes one for the whole store. Reading a
period uses one REPEATABLE READ transaction: one consistent state of the store.
"""

from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from ..errors import EngineError, InputError
from .base import Store
from .schema import SCHEMA_VERSION

# Advisory lock keys: (genmei, 0) for schema upgrades, (genmei, hash of the id) for run ids.
LOCK_NAMESPACE = 0x67656E6D
CONNECT_TIMEOUT_SECONDS = 10
KEY_TYPES = {"findings": "bytea", "outcomes": "bytea", "resource_states": "text"}
COLUMNS = {"findings": ("check_id", "resource_type", "resource"),
           "outcomes": ("status", "severity", "reason", "criteria", "risks"),
           "resource_states": ("type", "resource")}


def redact(url: str, keep_password_marker: bool = True) -> str:
    """The URL without its password (and without a password=… parameter); `***` marks
    where one was, unless keep_password_marker is false."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}:***@{host}" if ":" in userinfo and keep_password_marker else f"{user}@{host}"
        query = "&".join("password=***" if q.lower().startswith("password=") else q for q in parts.query.split("&")
                         if q and (keep_password_marker or not q.lower().startswith("password=")))
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    except ValueError:
        return "postgresql://…"


class PostgresStore(Store):
    backend = "postgresql"

    def __init__(self, url: str, create: bool = True):
        self.location = redact(url)
        # What an evidence directory's HISTORY note names: no password at all, so reopening it
        # takes the password from PGPASSWORD or ~/.pgpass, as libpq does.
        self.reopen_at = redact(url, keep_password_marker=False)
        try:
            import psycopg
        except ImportError:
            raise InputError(f"--store {self.location}: PostgreSQL support is not installed "
                             "(pip install 'genmei[postgres]', which brings psycopg 3)") from None
        self._psycopg = psycopg
        try:
            params = psycopg.conninfo.conninfo_to_dict(url)
        except psycopg.ProgrammingError as e:
            raise InputError(f"--store {self.location}: not a usable PostgreSQL URL ({_one_line(e)})") from None
        options = {"autocommit": True, "application_name": "genmei"}
        if "connect_timeout" not in params:
            options["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        try:
            self.conn = psycopg.connect(url, **options)
        except psycopg.Error as e:
            raise InputError(f"{self.location}: cannot connect to the scan history ({_one_line(e)})") from None
        try:
            self._migrate(create)
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        self.conn.close()

    def _migrate(self, create: bool) -> None:
        with self._write():
            self._exec("SELECT pg_advisory_xact_lock(?, 0)", (LOCK_NAMESPACE,))
            has_version, has_runs = self._exec("SELECT to_regclass('genmei_schema') IS NOT NULL, "
                                               "to_regclass('runs') IS NOT NULL")[0]
            if not has_version:
                if has_runs:
                    raise InputError(f"{self.location}: holds a table `runs` that is not genmei's "
                                     "(use a database or schema of its own)")
                if not create:
                    raise InputError(f"{self.location}: no scan history here yet (run `genmei scan --store URL` first)")
                self._exec("CREATE TABLE genmei_schema (version INTEGER NOT NULL)")
                self._exec("INSERT INTO genmei_schema VALUES (0)")
            version = self._exec("SELECT version FROM genmei_schema")[0][0]
            if version > SCHEMA_VERSION:
                raise InputError(f"{self.location}: history schema {version} is newer than this genmei understands "
                                 f"({SCHEMA_VERSION})")
            if version < SCHEMA_VERSION:
                self._apply_migrations(version)
                self._exec("UPDATE genmei_schema SET version = ?", (SCHEMA_VERSION,))

    @contextmanager
    def _write(self):
        try:
            with self.conn.transaction():
                yield
        except self._psycopg.Error as e:
            raise EngineError(f"{self.location}: could not write the scan history ({_one_line(e)})") from None

    @contextmanager
    def snapshot(self):
        if self.conn.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE:
            yield
            return
        try:
            with self.conn.transaction():
                self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield
        except self._psycopg.Error as e:
            raise EngineError(f"{self.location}: cannot read the scan history ({_one_line(e)})") from None

    def _exec(self, sql: str, params=(), binary: bool = False) -> list[tuple]:
        try:
            cur = self.conn.execute(sql.replace("?", "%s"), params, binary=binary)
            return cur.fetchall() if cur.description else []
        except self._psycopg.Error as e:
            raise EngineError(f"{self.location}: cannot use the scan history ({_one_line(e)})") from None

    def _in(self, column: str, values: list) -> tuple[str, list]:
        return f"{column} = ANY(?)", [list(values)]

    def _reserve_run_id(self, base: str) -> None:
        self._exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", (LOCK_NAMESPACE, base))

    def _ids_for(self, table: str, key: str, rows: dict) -> dict:
        if not rows:
            return {}
        keys = sorted(rows)
        lookup = f"SELECT {key}, id FROM {table} WHERE {key} = ANY(?)"
        found = dict(self._exec(lookup, [keys], binary=True))  # most are there already: a daily scan repeats itself
        missing = [k for k in keys if k not in found]
        if missing:
            columns = list(zip(*(rows[k] for k in missing)))
            types = [KEY_TYPES[table]] + ["text"] * len(COLUMNS[table])
            unnest = ", ".join(f"?::{t}[]" for t in types)
            self._exec(f"INSERT INTO {table} ({key}, {', '.join(COLUMNS[table])}) SELECT * FROM unnest({unnest}) "
                       f"ORDER BY 1 ON CONFLICT ({key}) DO NOTHING", [list(c) for c in columns], binary=True)
            found.update(self._exec(lookup, [missing], binary=True))
        return {k: found[k] for k in keys}

    def _bulk(self, table: str, columns: tuple[str, ...], rows) -> None:
        try:
            with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        except self._psycopg.Error as e:
            raise EngineError(f"{self.location}: could not record the run in the scan history ({_one_line(e)})") from None

    def _insert(self, table: str, values: dict, returning: str) -> int:
        cols = list(values)
        return self._exec(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                          f"RETURNING {returning}", [values[c] for c in cols])[0][0]

    def _insert_run(self, values: dict) -> int:
        return self._insert("runs", values, "seq")

    def _insert_seal(self, values: dict) -> int:
        return self._insert("seals", values, "id")

    def _lock_for_prune(self) -> None:
        self._exec("LOCK TABLE runs, findings, outcomes, resource_states IN SHARE ROW EXCLUSIVE MODE")

    def _unreferenced(self, table: str, column: str, refs: str) -> str:
        # NOT EXISTS: an anti-join over the references, one pass.
        return f"DELETE FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM {refs} r WHERE r.{column} = t.id)"

    def _delete_count(self, sql: str) -> int:
        try:
            return self.conn.execute(sql).rowcount
        except self._psycopg.Error as e:
            raise EngineError(f"{self.location}: could not prune the scan history ({_one_line(e)})") from None


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:300] or type(e).__name__
