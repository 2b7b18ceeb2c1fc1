"""What every scan-history backend does, in SQL both SQLite and PostgreSQL run; the
backends (sqlite.py, postgres.py) supply the connection, transactions, bulk writes and
the few statements that differ. SQL here uses `?` placeholders.

Writing a run is one transaction: the run row, its results, resources, items and
judgements are visible together or not at all, and a writer killed halfway leaves
nothing behind. Reading a period (`snapshot()`) sees one consistent state of the store.
"""

import json
from contextlib import contextmanager

from ..errors import InputError
from .records import (JSON_FIELDS, OPTIONAL_RUN_FIELDS, RESULT_BATCH, RUN_FIELDS, batches, field_digest,
                      observations, record_digest, scan_record)
from .schema import MIGRATIONS

# Columns `history` lists (the exceptions and attestations a run used are read with its record).
LIST_COLUMNS = ("seq", *(f for f in RUN_FIELDS if f not in ("exceptions", "attestations")), "record_sha256")
# Rows per statement when many runs are read at once (SQLite allows 32,766 parameters).
CHUNK = 500


class Store:
    """One open scan history. Use as a context manager."""

    backend = ""      # "sqlite" or "postgresql"
    location = ""     # where it is, fit for messages (never a password)
    result_batch = RESULT_BATCH  # results (and resource states) written at a time

    # -- what a backend supplies ---------------------------------------------------------

    def _exec(self, sql: str, params=()) -> list[tuple]:
        raise NotImplementedError

    def _write(self):
        """A context manager: one write transaction, serialised with other writers' runs."""
        raise NotImplementedError

    def snapshot(self):
        """A context manager: the reads inside it see one consistent state of the store."""
        raise NotImplementedError

    def _ids_for(self, table: str, key: str, rows: dict) -> dict:
        """Insert the rows of a table of things stored once (key → (key, *columns)) that
        are not there yet; return key → id for all of them."""
        raise NotImplementedError

    def _bulk(self, table: str, columns: tuple[str, ...], rows) -> None:
        raise NotImplementedError

    def _insert_run(self, values: dict) -> int:
        raise NotImplementedError

    def _reserve_run_id(self, base: str) -> None:
        """Make the choice of a run id for `base` exclusive until the transaction ends."""

    def _lock_for_prune(self) -> None:
        """Keep writers out while unreferenced findings, outcomes and states are removed."""

    def _unreferenced(self, table: str, column: str, refs: str) -> str:
        """SQL deleting the rows of `table` that no row of `refs` refers to by `column`."""
        raise NotImplementedError

    def _in(self, column: str, values: list) -> tuple[str, list]:
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- schema ---------------------------------------------------------------------------

    def _apply_migrations(self, version: int) -> None:
        """Every migration after `version`; digests of moved records are computed last,
        by the code of the newest schema, which reads every column the migrations add."""
        fill_digests = False
        for migration in MIGRATIONS[version:]:
            for step in migration(self.backend):
                if step == "record_digests":
                    fill_digests = True
                else:
                    self._exec(step)
        if fill_digests:
            self._fill_record_digests()

    def _fill_record_digests(self) -> None:
        for (seq,) in self._exec("SELECT seq FROM runs WHERE record_sha256 IS NULL ORDER BY seq"):
            run = self._run_by_seq(seq)
            self._exec("UPDATE runs SET record_sha256 = ? WHERE seq = ?", (record_digest(self.read_record(run)), seq))

    # -- writing --------------------------------------------------------------------------

    def record(self, evidence: dict, resources: list[dict], evidence_dir=None, members: dict | None = None,
               service: str | None = None, sources_of: dict[str, int] | None = None,
               resource_rows: list[list] | None = None) -> str:
        """Store one scan whole; return its run id. `resource_rows`: see records.scan_record."""
        return self.write(scan_record(evidence, resources, evidence_dir, members, service, sources_of, resource_rows))

    def write(self, record: dict, keep_id: bool = False) -> str:
        """Store one run record in one transaction; return its id. A new run's id gets a
        -2, -3… suffix when another run already has it; `keep_id` (a copied run) refuses that.
        Results and resources are written a batch at a time (result_batch), so what
        writing holds beyond the record is one batch's rows, however large the run."""
        run = record["run"]
        digest = record_digest(record)
        with self._write():
            rid = self._choose_run_id(run["id"], keep_id)
            values = {**{k: json.dumps(run.get(k), ensure_ascii=False) if k in JSON_FIELDS and run.get(k) is not None
                         else run.get(k) for k in RUN_FIELDS}, "id": rid, "record_sha256": digest}
            seq = self._insert_run(values)
            self._write_results(seq, record["results"])
            self._write_resources(seq, record["resources"])
            self._bulk("run_sources", ("run", "position", "provider", "account", "observed_at"),
                       ((seq, *obs) for obs in observations(run)))
            self._bulk("items", ("run", "item", "status"), ((seq, i, s) for i, s in record["items"].items()))
            self._bulk("judgements", ("run", "risk", "basic_statement", "judgement", "judgement_en", "items", "counts"),
                       ((seq, risk, int(j["basic_statement"]), j["judgement"], j["judgement_en"], json.dumps(j["items"]),
                         json.dumps(j["counts"])) for risk, j in record["judgements"].items()))
        return rid

    def _write_results(self, seq: int, results) -> None:
        """Each result as (finding, outcome) ids at its position; a finding (check, type,
        resource) and an outcome (what was said of it) are stored once, whatever the runs
        that repeat them."""
        as_text: dict[tuple, str] = {}  # criteria and risks lists: few distinct ones
        position = 0
        for batch in batches(results, self.result_batch):
            findings, outcomes, rows = {}, {}, []
            outcome_keys: dict[tuple, bytes] = {}
            for r in batch:
                criteria = as_text.get(tuple(r["criteria"])) or as_text.setdefault(tuple(r["criteria"]), json.dumps(r["criteria"]))
                risks = as_text.get(tuple(r["risks"])) or as_text.setdefault(tuple(r["risks"]), json.dumps(r["risks"]))
                said = (r["status"], r["severity"], r["reason"], criteria, risks)
                o = outcome_keys.get(said) or outcome_keys.setdefault(said, field_digest(*said))
                f = field_digest(r["check"], r["resource_type"] or "", r["resource"])
                findings[f] = (f, r["check"], r["resource_type"] or "", r["resource"])
                outcomes[o] = (o, *said)
                rows.append((f, o, r["status"], r.get("source")))
            finding_ids = self._ids_for("findings", "digest", findings)
            outcome_ids = self._ids_for("outcomes", "digest", outcomes)
            self._bulk("run_results", ("run", "position", "finding", "outcome", "status", "source"),
                       ((seq, position + i, finding_ids[f], outcome_ids[o], s, src) for i, (f, o, s, src) in enumerate(rows)))
            position += len(rows)

    def _write_resources(self, seq: int, resources: list[list]) -> None:
        """The run's resource states ([type, id, sha256]; a snapshot holds each (type, id) once)."""
        for batch in batches(resources, self.result_batch):
            states = {sha: (sha, rtype, rid) for rtype, rid, sha in batch}
            state_ids = self._ids_for("resource_states", "sha256", states)
            self._bulk("run_resources", ("run", "state"), ((seq, state_ids[sha]) for sha in states))

    def _choose_run_id(self, base: str, keep_id: bool) -> str:
        self._reserve_run_id(base)
        like = base.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
        taken = {r[0] for r in self._exec("SELECT id FROM runs WHERE id = ? OR id LIKE ? ESCAPE '\\'", (base, like))}
        if keep_id:
            if base in taken:
                raise InputError(f"{self.location}: already holds a run {base}")
            return base
        rid, n = base, 1
        while rid in taken:
            n += 1
            rid = f"{base}-{n}"
        return rid

    # -- reading --------------------------------------------------------------------------

    def runs(self, account: str | None = None, last: int | None = None, covering: bool = False) -> list[dict]:
        """Runs oldest first; only the `last` N when given. `account` selects the runs
        recorded under it (an account, or a service's name); with `covering`, also the
        service runs that covered it."""
        where, params = ("WHERE account = ?", [account]) if account else ("", [])
        if account and covering:
            where += " OR seq IN (SELECT run FROM run_sources WHERE account = ?)"
            params.append(account)
        sql = f"SELECT {', '.join(LIST_COLUMNS)} FROM runs {where} ORDER BY seq DESC"
        if last is not None:
            sql += " LIMIT ?"
            params.append(last)
        return [_run(row) for row in reversed(self._exec(sql, params))]

    def run(self, ref: str) -> dict:
        """A run by its id or a unique prefix of it."""
        rows = self._exec(f"SELECT {', '.join(LIST_COLUMNS)} FROM runs WHERE id = ?", [ref])
        if not rows:
            like = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self._exec(f"SELECT {', '.join(LIST_COLUMNS)} FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY seq LIMIT 3",
                              [like])
        if not rows:
            raise InputError(f"no run {ref!r} in {self.location} (see `genmei history`)")
        if len(rows) > 1:
            more = ", …" if len(rows) > 2 else ""
            raise InputError(f"run {ref!r} is ambiguous in {self.location}: {rows[0][1]}, {rows[1][1]}{more}")
        return _run(rows[0])

    def _run_by_seq(self, seq: int) -> dict:
        return _run(self._exec(f"SELECT {', '.join(LIST_COLUMNS)} FROM runs WHERE seq = ?", [seq])[0])

    def accounts(self) -> list[str]:
        return [r[0] for r in self._exec("SELECT account FROM runs GROUP BY account ORDER BY max(seq) DESC")]

    def results(self, run: dict) -> list[dict]:
        rows = self._exec(
            "SELECT f.check_id, f.resource, f.resource_type, o.status, o.severity, o.reason, o.criteria, o.risks, rr.source "
            "FROM run_results rr JOIN findings f ON f.id = rr.finding JOIN outcomes o ON o.id = rr.outcome "
            "WHERE rr.run = ? ORDER BY rr.position", [run["seq"]])
        service_run = bool(run.get("sources"))
        out = []
        for c, res, t, s, sev, why, crit, risks, src in rows:
            r = {"check": c, "resource": res, "resource_type": t or None, "status": s, "severity": sev, "reason": why,
                 "criteria": json.loads(crit), "risks": json.loads(risks)}
            if service_run:  # a single-source run's results have no source (records.py)
                r["source"] = src
            out.append(r)
        return out

    def resources(self, run: dict) -> dict[tuple[str, str], str]:
        """(type, id) → resource digest."""
        return {(t, i): d for t, i, d in self._exec(
            "SELECT s.type, s.resource, s.sha256 FROM run_resources rr JOIN resource_states s ON s.id = rr.state "
            "WHERE rr.run = ?", [run["seq"]])}

    def items(self, run: dict) -> dict[str, str]:
        return dict(self._exec("SELECT item, status FROM items WHERE run = ?", [run["seq"]]))

    def judgements(self, run: dict) -> dict[str, dict]:
        rows = self._exec("SELECT risk, basic_statement, judgement, judgement_en, items, counts FROM judgements "
                          "WHERE run = ? ORDER BY risk", [run["seq"]])
        return {risk: {"basic_statement": bool(b), "judgement": j, "judgement_en": je, "items": json.loads(items),
                       "counts": json.loads(counts)} for risk, b, j, je, items, counts in rows}

    def read_record(self, run: dict) -> dict:
        """The run's record exactly as written (records.py), for copying and hashing."""
        ex, att = self._exec("SELECT exceptions, attestations FROM runs WHERE seq = ?", [run["seq"]])[0]
        fields = {k: run[k] for k in RUN_FIELDS if k not in ("exceptions", "attestations")}
        fields["exceptions"] = json.loads(ex) if ex is not None else None
        fields["attestations"] = json.loads(att) if att is not None else None
        return {
            "run": {k: fields[k] for k in RUN_FIELDS if not (k in OPTIONAL_RUN_FIELDS and fields[k] is None)},
            "results": self.results(run),
            "resources": sorted([t, i, d] for (t, i), d in self.resources(run).items()),
            "items": self.items(run),
            "judgements": self.judgements(run),
        }

    # -- reading a period (engine/period.py) ----------------------------------------------

    # A period is read as observations: (run, source) pairs, each with the time that source
    # was observed. A single-source run is one observation; a service run one per source.

    def _observation_query(self, where: list[str], extra: str = "") -> str:
        columns = ", ".join(f"r.{c}" for c in LIST_COLUMNS)
        return (f"SELECT {columns}, s.position, s.provider, s.account, s.observed_at{extra} FROM run_sources s "
                f"JOIN runs r ON r.seq = s.run WHERE {' AND '.join(where)}")

    @staticmethod
    def _selection(where: list[str], params: list, account: str | None, service: str | None) -> None:
        for column, value in (("s.account", account), ("r.service", service)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)

    def runs_observed(self, start: str, end: str, account: str | None = None, service: str | None = None,
                      with_policies: bool = False) -> list[dict]:
        """Observations (run × source) made in [start, end) (UTC texts), in that order; with
        the exceptions and attestations their runs used when `with_policies`."""
        where, params = ["s.observed_at >= ?", "s.observed_at < ?"], [start, end]
        self._selection(where, params, account, service)
        extra = ", r.exceptions, r.attestations" if with_policies else ""
        rows = self._exec(self._observation_query(where, extra) + " ORDER BY s.observed_at, r.seq, s.position", params)
        out = []
        for row in rows:
            obs = _observation(row)
            if with_policies:
                obs["exceptions"], obs["attestations"] = (json.loads(x) if x is not None else None
                                                          for x in row[len(LIST_COLUMNS) + 4:])
            out.append(obs)
        return out

    def sources(self, before: str, account: str | None = None, service: str | None = None) -> list[tuple[str, str]]:
        """(provider, account) of every source the selection's runs observed before `before`."""
        where, params = ["s.observed_at < ?"], [before]
        self._selection(where, params, account, service)
        return [tuple(r) for r in self._exec(
            f"SELECT DISTINCT s.provider, s.account FROM run_sources s JOIN runs r ON r.seq = s.run "
            f"WHERE {' AND '.join(where)} ORDER BY s.provider, s.account", params)]

    def runs_before(self, provider: str, account: str, before: str, limit: int, offset: int = 0) -> list[dict]:
        """The observations of one account made before `before`, newest first, a page at a time."""
        return [_observation(r) for r in self._exec(
            self._observation_query(["s.provider = ?", "s.account = ?", "s.observed_at < ?"])
            + " ORDER BY s.observed_at DESC, r.seq DESC LIMIT ? OFFSET ?", [provider, account, before, limit, offset])]

    def judgements_of(self, seqs: list[int]) -> dict[int, dict[str, str]]:
        """run seq → risk → judgement, for many runs."""
        out: dict[int, dict[str, str]] = {s: {} for s in seqs}
        for chunk in batches(seqs, CHUNK):
            cond, params = self._in("run", chunk)
            for run, risk, j in self._exec(f"SELECT run, risk, judgement FROM judgements WHERE {cond}", params):
                out[run][risk] = j
        return out

    def failing(self, seqs: list[int]) -> list[tuple[int, int, int, str, int | None]]:
        """(run, finding, outcome, status, source) of every FAIL and WAIVED result, in many
        runs; source is the position of the result's source in a service run, else None."""
        rows = []
        for chunk in batches(seqs, CHUNK):
            cond, params = self._in("run", chunk)
            rows += self._exec(f"SELECT run, finding, outcome, status, source FROM run_results WHERE {cond} "
                               "AND status IN ('FAIL', 'WAIVED')", params)
        return rows

    def statuses(self, seq: int, findings: list[int]) -> dict[int, str]:
        """finding → status in one run, for the given findings that it has a result for."""
        out = {}
        for chunk in batches(findings, CHUNK):
            cond, params = self._in("finding", chunk)
            out.update(self._exec(f"SELECT finding, status FROM run_results WHERE run = ? AND {cond}", [seq, *params]))
        return out

    def finding_keys(self, ids: list[int]) -> dict[int, tuple[str, str | None, str]]:
        out = {}
        for chunk in batches(ids, CHUNK):
            cond, params = self._in("id", chunk)
            out.update({i: (c, t or None, r) for i, c, t, r in
                        self._exec(f"SELECT id, check_id, resource_type, resource FROM findings WHERE {cond}", params)})
        return out

    def outcome_details(self, ids: list[int]) -> dict[int, dict]:
        out = {}
        for chunk in batches(ids, CHUNK):
            cond, params = self._in("id", chunk)
            for i, sev, why, crit, risks in self._exec(
                    f"SELECT id, severity, reason, criteria, risks FROM outcomes WHERE {cond}", params):
                out[i] = {"severity": sev, "reason": why, "criteria": json.loads(crit), "risks": json.loads(risks)}
        return out

    def has_resource(self, seq: int, rtype: str | None, rid: str) -> bool:
        return bool(self._exec("SELECT 1 FROM run_resources rr JOIN resource_states s ON s.id = rr.state "
                               "WHERE rr.run = ? AND s.resource = ? AND s.type = ?", [seq, rid, rtype or ""]))

    # -- sealed period reports and retention ------------------------------------------------

    @contextmanager
    def sealing(self, period: dict, run_ids: list[str], bundle: str, sealed_at: str):
        """Record that a period report sealed in `bundle` rests on these runs, in a
        transaction around the writing of the bundle: `yield` gives a function taking
        the manifest's SHA-256. Neither is kept without the other."""
        with self._write():
            seqs = []
            for chunk in batches(sorted(set(run_ids)), CHUNK):
                cond, params = self._in("id", chunk)
                seqs += [r[0] for r in self._exec(f"SELECT seq FROM runs WHERE {cond}", params)]
            if len(seqs) != len(set(run_ids)):
                raise InputError(f"{self.location}: {len(set(run_ids)) - len(seqs)} run(s) of the report were removed "
                                 "meanwhile; render the report again")
            seal = self._insert_seal({"sealed_at": sealed_at, "manifest_sha256": "", "bundle": bundle,
                                      "period": json.dumps(period, ensure_ascii=False, sort_keys=True)})
            self._bulk("seal_runs", ("seal", "run"), ((seal, s) for s in sorted(set(seqs))))
            yield lambda manifest_sha256: self._exec("UPDATE seals SET manifest_sha256 = ? WHERE id = ?",
                                                     (manifest_sha256, seal))

    def _insert_seal(self, values: dict) -> int:
        raise NotImplementedError

    def seals(self) -> list[dict]:
        rows = self._exec("SELECT s.id, s.sealed_at, s.manifest_sha256, s.bundle, s.period, count(r.run) FROM seals s "
                          "LEFT JOIN seal_runs r ON r.seal = s.id GROUP BY s.id, s.sealed_at, s.manifest_sha256, s.bundle, "
                          "s.period ORDER BY s.id")
        return [{"id": i, "sealed_at": at, "manifest_sha256": m, "bundle": b, "period": json.loads(p), "runs": n}
                for i, at, m, b, p, n in rows]

    def digests(self) -> dict[str, str]:
        """run id → record_sha256, for every run."""
        return dict(self._exec("SELECT id, record_sha256 FROM runs"))

    def seal_run_ids(self, seal: int) -> list[str]:
        return [r[0] for r in self._exec("SELECT r.id FROM seal_runs s JOIN runs r ON r.seq = s.run WHERE s.seal = ? "
                                         "ORDER BY r.seq", [seal])]

    def add_seal(self, seal: dict, run_ids: list[str]) -> None:
        """A seal copied from another store, resting on the runs of these ids (copied before it)."""
        with self._write():
            seqs = []
            for chunk in batches(run_ids, CHUNK):
                cond, params = self._in("id", chunk)
                seqs += [r[0] for r in self._exec(f"SELECT seq FROM runs WHERE {cond}", params)]
            if len(seqs) != len(set(run_ids)):
                raise InputError(f"{self.location}: lacks runs that the sealed report of {seal['sealed_at']} rests on")
            new = self._insert_seal({"sealed_at": seal["sealed_at"], "manifest_sha256": seal["manifest_sha256"],
                                     "bundle": seal["bundle"], "period": json.dumps(seal["period"], ensure_ascii=False,
                                                                                   sort_keys=True)})
            self._bulk("seal_runs", ("seal", "run"), ((new, s) for s in sorted(seqs)))

    def prune(self, cutoff: str, dry_run: bool = False) -> dict:
        """Delete the runs observed before `cutoff` (UTC text) that no sealed period report
        rests on, then the findings, outcomes and resource states no run refers to."""
        with self._write():
            self._lock_for_prune()
            old = self._exec("SELECT seq, id, observed_at FROM runs WHERE observed_at < ? ORDER BY observed_at, seq",
                             [cutoff])
            sealed = {r[0] for r in self._exec("SELECT DISTINCT run FROM seal_runs")}
            doomed = [r for r in old if r[0] not in sealed]
            kept = [r for r in old if r[0] in sealed]
            removed = {"findings": 0, "outcomes": 0, "resource_states": 0}
            if not dry_run and doomed:
                for chunk in batches([r[0] for r in doomed], CHUNK):
                    cond, params = self._in("seq", chunk)
                    self._exec(f"DELETE FROM runs WHERE {cond}", params)
                for table, column, refs in (("findings", "finding", "run_results"), ("outcomes", "outcome", "run_results"),
                                            ("resource_states", "state", "run_resources")):
                    removed[table] = self._delete_count(self._unreferenced(table, column, refs))
        return {"deleted": [{"id": r[1], "observed_at": r[2]} for r in doomed],
                "kept_sealed": [{"id": r[1], "observed_at": r[2]} for r in kept], "removed": removed, "dry_run": dry_run}

    def _delete_count(self, sql: str) -> int:
        raise NotImplementedError


def _run(row: tuple) -> dict:
    run = dict(zip(LIST_COLUMNS, row))
    for c in JSON_FIELDS:
        if c in run and run[c] is not None:
            run[c] = json.loads(run[c])
    return run


def _observation(row: tuple) -> dict:
    """A run as observed for one of its sources: provider, account, observation time and
    gaps are the source's; `position` names the source, `service_run` whether the run
    judged several."""
    run = _run(row[:len(LIST_COLUMNS)])
    position, provider, account, observed_at = row[len(LIST_COLUMNS):len(LIST_COLUMNS) + 4]
    sources = run.get("sources")
    if sources:
        start = sum(s["gaps"] for s in sources[:position])
        run["gaps"] = run["gaps"][start:start + sources[position]["gaps"]]
    run.update(run_provider=run["provider"], run_account=run["account"], run_observed_at=run["observed_at"],
               position=position, provider=provider, account=account, observed_at=observed_at,
               service_run=bool(sources))
    return run
