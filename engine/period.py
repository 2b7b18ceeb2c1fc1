"""The period report: how the controls operated over an audit period, from the runs in
the scan history — the document `genmei report period` renders (engine/render/period.py)
and can seal into an evidence bundle. It reads the store, writes nothing.

What it holds, and the rules (conservative, as everywhere in genmei):
- **Selection**: the runs of one account, or of one service (`scan --service`, or a
  service scan `scan --config`), or of every account, whose snapshot was *collected* in
  the period (a run counts for the day its configuration was observed, in the report's
  time zone). Its *sources* are the accounts with runs of the selection up to the
  period's end, so an account that stopped being scanned shows as missed, not as absent.
- **Service runs** cover several accounts: such a run counts for every account it covers,
  each on the day that account's configuration was read (an *observation*: run ×
  source), its failures kept per account (the history records each result's source).
  Its H01–M11 judgement is the service's: it counts for each of its accounts, except in
  a report of one account (`--account`), where a judgement made over other accounts too
  cannot stand for that account alone and counts as 未評価.
- **Calendar**: per day, scanned (every source has a run), partial, missed, or future
  (after the day the report was made); collection gaps by source (scope, service, API).
- **Judgements per day** (H01–M11): per source the worst of its runs that day (× over
  未評価 over ○); over the sources, × if any is ×, ○ only if every source was scanned
  that day and is ○, else 未評価; no judgement on a day no source was scanned.
- **Failures** (a check failing on a resource — FAIL, or WAIVED under an exception): each
  from first seen (looking back before the period while the failure was already
  standing) to last seen, and closed only by a PASS (fixed, with the time to remediate
  as the scans measure it: from the first failing run to the first passing one) or by
  the result vanishing (the resource removed, or no result for it any more: not called
  fixed). NOT_EVALUATED or ERROR in between keeps a failure open: unknown is not fixed.
- **Exceptions and attestations** used by the runs: valid through the period, renewed,
  or expired (within it, or before it), with the days an expired one went unrenewed.
- **Runs**: every run the report rests on, with its digests (snapshot, policy bundle,
  catalog, evidence.json when the scan kept an evidence directory, the record).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from . import __version__
from .catalog import load_catalog
from .errors import InputError
from .vocabulary import SEVERITY_ORDER, SUMMARY_ORDER, Status

PERIOD_FORMAT = "genmei-period-report/1"
FAILING = (Status.FAIL, Status.WAIVED)
UNKNOWN = (Status.NOT_EVALUATED, Status.ERROR)
WORST = {"×": 3, "未評価": 2, "○": 1}
LOOKBACK_BATCH = 50


@dataclass(frozen=True)
class Selection:
    start: date
    end: date
    tz: tzinfo
    tz_name: str
    account: str | None = None
    service: str | None = None

    def utc_bounds(self) -> tuple[str, str]:
        return _utc_text(self.start, self.tz), _utc_text(self.end + timedelta(days=1), self.tz)

    def day_of(self, observed_at: str) -> date:
        return datetime.fromisoformat(observed_at.replace("Z", "+00:00")).astimezone(self.tz).date()

    def describe(self) -> str:
        parts = [f"service {self.service}" if self.service else "", f"account {self.account}" if self.account else ""]
        return " ".join(p for p in parts if p) or "every account"


def _utc_text(day: date, tz: tzinfo) -> str:
    return datetime.combine(day, time.min, tz).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hours(a: str, b: str) -> float:
    ta, tb = (datetime.fromisoformat(x.replace("Z", "+00:00")) for x in (a, b))
    return (tb - ta).total_seconds() / 3600


def build(store, sel: Selection, now: datetime | None = None) -> dict:
    """The period report document for the runs of `sel` in `store`."""
    if sel.end < sel.start:
        raise InputError(f"--from {sel.start} is after --to {sel.end}")
    now = now or datetime.now(timezone.utc)
    start_utc, end_utc = sel.utc_bounds()
    with store.snapshot():
        sources = store.sources(end_utc, sel.account, sel.service)
        if not sources:
            raise InputError(f"{store.location}: no runs of {sel.describe()} up to {sel.end} (scan with --store"
                             f"{' and --service ' + sel.service if sel.service else ''} first)")
        observed = store.runs_observed(start_utc, end_utc, sel.account, sel.service, with_policies=True)
        for o in observed:
            o["day"] = sel.day_of(o["observed_at"])
        first_seen: dict[int, dict] = {}
        for o in observed:  # each run once, at its first observation
            first_seen.setdefault(o["seq"], o)
        runs = list(first_seen.values())
        judgements = store.judgements_of([r["seq"] for r in runs])
        failures, open_by_run, earlier = _failures(store, sel, sources, observed, start_utc)
    catalog = load_catalog()
    basic = [r for r in catalog.risks if r["basic_statement"]]
    days = [sel.start + timedelta(days=n) for n in range((sel.end - sel.start).days + 1)]
    today = now.astimezone(sel.tz).date()
    calendar = _calendar(days, today, sources, observed, open_by_run)
    return {
        "format": PERIOD_FORMAT,
        "tool": {"name": "genmei", "version": __version__},
        "generated_at": now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "period": {"from": sel.start.isoformat(), "to": sel.end.isoformat(), "timezone": sel.tz_name, "days": len(days)},
        "selection": {"account": sel.account, "service": sel.service,
                      "sources": [{"provider": p, "account": a} for p, a in sources]},
        "store": {"backend": store.backend, "location": store.location},
        "summary": _summary(calendar, runs, failures),
        "calendar": calendar,
        "gaps": _gaps(observed),
        "risks": _risk_days(basic, days, calendar, sources, observed, judgements, sel),
        "failures": failures,
        "exceptions": _policies(runs, "exceptions", lambda e: e["id"], sel),
        "attestations": _policies(runs, "attestations", lambda a: f"{a['item']} ({a['kind']})", sel),
        "runs": [_run_entry(r, judgements.get(r["seq"], {}), basic, before=False) for r in runs]
                + [_run_entry(r, {}, basic, before=True) for r in earlier],
    }


# -- failures ---------------------------------------------------------------------------------------

def _key(obs: dict) -> tuple[int, int]:
    """An observation: its run and the position of its source in that run."""
    return obs["seq"], obs["position"]


def _failing_by_observation(store, observations) -> dict:
    """(run, source position) → finding → (outcome, FAIL or WAIVED): a service run's
    failures apart per source, a single-source run's all under its one source."""
    service_runs = {o["seq"] for o in observations if o["service_run"]}
    failing = defaultdict(dict)
    for seq, finding, outcome, status, source in store.failing(sorted({o["seq"] for o in observations})):
        failing[(seq, source if seq in service_runs else 0)][finding] = (outcome, status)
    return failing


def _failures(store, sel: Selection, sources, runs, start_utc):
    """Failure episodes per source; the failing counts per observation (FAIL, WAIVED);
    the runs before the period that a first-seen rests on. `runs` are observations."""
    failing = _failing_by_observation(store, runs)
    open_by_run = {_key(r): {s: sum(1 for _, st in failing[_key(r)].values() if st == s) for s in FAILING}
                   for r in runs}
    episodes, earlier = [], {}
    for provider, account in sources:
        mine = [r for r in runs if (r["provider"], r["account"]) == (provider, account)]
        if not mine:
            continue
        first = {f for f, (_, st) in failing[_key(mine[0])].items() if st in FAILING}
        since = _look_back(store, provider, account, start_utc, first, earlier)
        opened: dict[int, dict] = {}
        for run in mine:
            now_failing = failing[_key(run)]
            for f, (outcome, status) in now_failing.items():
                ep = opened.get(f)
                if ep is None:
                    start = since.pop(f, run) if run is mine[0] else run
                    ep = opened[f] = {"finding": f, "provider": provider, "account": account, "first": start,
                                      "before_period": start is not run, "waived": False, "unknown_runs": 0}
                ep.update(last=run, outcome=outcome, status=status)
                ep["waived"] |= status == Status.WAIVED
            others = [f for f in opened if f not in now_failing]
            if others:  # open before, not failing now: fixed, unknown, or no result any more
                now = store.statuses(run["seq"], others)
                for f in others:
                    status = now.get(f)
                    if status in UNKNOWN:  # NOT_EVALUATED or ERROR: still open, not known to be fixed
                        opened[f]["unknown_runs"] += 1
                        opened[f]["status"] = status
                        continue
                    ep = opened.pop(f)
                    ep["closed"] = run
                    ep["how"] = "fixed" if status == Status.PASS else "vanished"
                    episodes.append(ep)
        episodes += opened.values()
    keys = store.finding_keys(sorted({e["finding"] for e in episodes}))
    details = store.outcome_details(sorted({e["outcome"] for e in episodes}))
    out = []
    for e in episodes:
        check, rtype, resource = keys[e["finding"]]
        how = e.get("how")
        if how == "vanished":
            how = "no_result" if store.has_resource(e["closed"]["seq"], rtype, resource) else "resource_removed"
        d = details[e["outcome"]]
        closed = e.get("closed")
        out.append({
            "provider": e["provider"], "account": e["account"], "check": check, "resource_type": rtype,
            "resource": resource, "severity": d["severity"], "risks": d["risks"], "criteria": d["criteria"],
            "reason": d["reason"], "state": {"fixed": "fixed", None: "open"}.get(how, "gone"),
            "closed_by": how, "last_status": e["status"], "waived": e["waived"],
            "unknown_runs": e["unknown_runs"], "open_before_period": e["before_period"],
            "first_seen": _seen(e["first"]), "last_seen": _seen(e["last"]), "closed": _seen(closed) if closed else None,
            "time_to_remediate_days": round(_hours(e["first"]["observed_at"], closed["observed_at"]) / 24, 2)
                                      if how == "fixed" else None,
            "open_days": round(_hours(e["first"]["observed_at"], (closed or e["last"])["observed_at"]) / 24, 2),
        })
    out.sort(key=lambda f: (f["state"] != "open", SEVERITY_ORDER.get(f["severity"], 9), f["first_seen"]["observed_at"],
                            f["check"], f["resource"]))
    return out, open_by_run, sorted(earlier.values(), key=lambda r: (r["observed_at"], r["seq"]))


def _look_back(store, provider, account, start_utc, findings: set, earlier: dict) -> dict:
    """finding → the earliest run of its unbroken failure before the period (only for
    those already failing before it): walking back while it failed, or was unknown."""
    since, tracing, offset = {}, set(findings), 0
    while tracing:
        batch = store.runs_before(provider, account, start_utc, LOOKBACK_BATCH, offset)
        if not batch:
            break
        offset += len(batch)
        for run in batch:
            statuses = store.statuses(run["seq"], sorted(tracing))
            for f in list(tracing):
                status = statuses.get(f)
                if status in FAILING:
                    since[f] = run
                elif status not in UNKNOWN:
                    tracing.discard(f)
            if not tracing:
                break
    for run in since.values():
        earlier[run["seq"]] = run
    return since


def _seen(run: dict) -> dict:
    return {"run": run["id"], "observed_at": run["observed_at"]}


# -- calendar, gaps, judgements --------------------------------------------------------------------

def _calendar(days, today, sources, runs, open_by_run) -> list[dict]:
    by_day = defaultdict(list)
    for r in runs:
        by_day[r["day"]].append(r)
    out = []
    for day in days:
        todays = by_day.get(day, [])
        per_source = {f"{p} {a}": list(dict.fromkeys(r["id"] for r in todays if (r["provider"], r["account"]) == (p, a)))
                      for p, a in sources}
        scanned = sum(1 for ids in per_source.values() if ids)
        if day > today and not todays:
            status = "future"
        elif scanned == len(sources):
            status = "scanned"
        else:
            status = "partial" if scanned else "missed"
        last = {}
        for r in todays:  # the day's last run of each source holds its open failures at the end of the day
            last[(r["provider"], r["account"])] = r
        open_fail = {s: sum(open_by_run[_key(r)][s] for r in last.values()) if last else None for s in FAILING}
        out.append({"date": day.isoformat(), "status": status, "runs": len({r["seq"] for r in todays}), "sources": per_source,
                    "gaps": sum(len(r["gaps"]) for r in todays), "open_failures": open_fail[Status.FAIL],
                    "open_waived": open_fail[Status.WAIVED]})
    return out


def _gaps(runs) -> list[dict]:
    """Collection gaps by source: what could not be read, on which days."""
    out: dict[tuple, dict] = {}
    for r in runs:
        for g in r["gaps"]:
            key = (r["provider"], r["account"], g.get("scope", ""), g.get("service", ""), g.get("api", ""),
                   g.get("error_code", ""))
            e = out.setdefault(key, {"provider": key[0], "account": key[1], "scope": key[2], "service": key[3],
                                     "api": key[4], "error_code": key[5], "resource_types": g.get("resource_types", []),
                                     "days": [], "runs": 0, "first_seen": r["observed_at"]})
            e["runs"] += 1
            e["last_seen"] = r["observed_at"]
            e["message"] = g.get("message", "")
            if r["day"].isoformat() not in e["days"]:
                e["days"].append(r["day"].isoformat())
    return sorted(out.values(), key=lambda e: (-len(e["days"]), e["provider"], e["account"], e["scope"], e["service"]))


def _risk_days(basic, days, calendar, sources, runs, judgements, sel: Selection) -> list[dict]:
    by_day = defaultdict(list)
    for r in runs:
        by_day[r["day"]].append(r)
    out = []
    for risk in basic:
        rid, marks = risk["id"], []
        for day, cal in zip(days, calendar):
            worst_by_source = {}
            for r in by_day.get(day, []):
                # A service's judgement cannot stand for one of its accounts alone.
                alone = sel.account is not None and r["service_run"]
                j = "未評価" if alone else judgements.get(r["seq"], {}).get(rid, "未評価")
                src = (r["provider"], r["account"])
                if WORST[j] > WORST.get(worst_by_source.get(src), 0):
                    worst_by_source[src] = j
            if not worst_by_source:
                marks.append(None)
            elif "×" in worst_by_source.values():
                marks.append("×")
            elif len(worst_by_source) == len(sources) and set(worst_by_source.values()) == {"○"}:
                marks.append("○")
            else:
                marks.append("未評価")
        counts = {m: marks.count(m) for m in ("○", "×", "未評価")}
        counts["not_scanned"] = marks.count(None)
        out.append({"id": rid, "name": risk["name"], "days": marks, "counts": counts,
                    "first_cross": next((d.isoformat() for d, m in zip(days, marks) if m == "×"), None)})
    return out


# -- exceptions and attestations -------------------------------------------------------------------

def _policies(runs, field: str, key_of, sel: Selection) -> list[dict]:
    """Each exception or attestation the runs used: its versions (by expiry) with the days
    they were seen, and its state over the period."""
    entries: dict[str, dict] = {}
    unknown = 0
    for r in runs:
        used = r.get(field)
        if used is None:  # a run recorded before the history kept them
            unknown += 1
            continue
        day = r["day"].isoformat()
        for x in used:
            e = entries.setdefault(key_of(x), {"key": key_of(x), "versions": {}, "expired_in_runs": 0})
            v = e["versions"].setdefault(x["expires"], {**x, "first_seen": day, "last_seen": day})
            v["last_seen"] = day
            e["expired_in_runs"] += bool(x.get("expired"))
            e["last_seen"] = day
    last_day = runs[-1]["day"].isoformat() if runs else None
    out = []
    for e in entries.values():
        versions = sorted(e.pop("versions").values(), key=lambda v: v["expires"])
        for v in versions:
            v.pop("expired", None)
        latest = versions[-1]["expires"]
        if latest < sel.start.isoformat():
            state = "expired_before"
        elif latest < sel.end.isoformat():  # valid through its expiry day
            state = "expired"
        else:
            state = "renewed" if len(versions) > 1 else "valid"
        lapses = []
        for old, new in zip(versions, versions[1:]):
            lapsed_from = date.fromisoformat(old["expires"]) + timedelta(days=1)
            if new["first_seen"] > old["expires"] and lapsed_from <= sel.end:
                lapses.append({"from": max(lapsed_from, sel.start).isoformat(), "until": new["first_seen"]})
        if state in ("expired", "expired_before"):
            lapses.append({"from": max(date.fromisoformat(latest) + timedelta(days=1), sel.start).isoformat(),
                           "until": None})
        out.append({**e, "state": state, "versions": versions, "lapses": lapses,
                    "in_last_run": e["last_seen"] == last_day})
    order = {"expired": 0, "expired_before": 1, "renewed": 2, "valid": 3}
    out.sort(key=lambda e: (order[e["state"]], e["key"]))
    return {"entries": out, "runs_without_record": unknown}


# -- runs and summary ------------------------------------------------------------------------------

def _run_entry(r: dict, judgements: dict, basic, before: bool) -> dict:
    """A run the report rests on, as recorded (a service run: the service, and its sources)."""
    members = r.get("members") or {}
    entry = {
        "id": r["id"], "provider": r["run_provider"], "account": r["run_account"], "service": r["service"],
        "observed_at": r["run_observed_at"], "finished_at": r["finished_at"], "before_period": before,
        "snapshot_sha256": r["snapshot_sha256"], "policy_bundle_sha256": r["policy_bundle_sha256"],
        "catalog_sha256": r["catalog_sha256"], "evidence_sha256": members.get("evidence.json"),
        "record_sha256": r["record_sha256"], "resources": r["resource_count"],
        "summary": {k: r["summary"].get(k, 0) for k in ("results", *SUMMARY_ORDER)},
        "gaps": sum(s["gaps"] for s in r["sources"]) if r["service_run"] else len(r["gaps"]),
        "judgements": {risk["id"]: judgements.get(risk["id"]) for risk in basic} if not before else None,
    }
    if r["service_run"]:
        entry["sources"] = [{k: s[k] for k in ("name", "provider", "account", "observed_at", "snapshot_sha256")}
                            for s in r["sources"]]
    return entry


def _summary(calendar, runs, failures) -> dict:
    statuses = [d["status"] for d in calendar]
    fixed = [f["time_to_remediate_days"] for f in failures if f["state"] == "fixed"]
    return {
        "runs": len(runs),
        "days": {s: statuses.count(s) for s in ("scanned", "partial", "missed", "future")},
        "missed_dates": [d["date"] for d in calendar if d["status"] == "missed"],
        "partial_dates": [d["date"] for d in calendar if d["status"] == "partial"],
        "failures": {
            "total": len(failures),
            "open_at_end": sum(1 for f in failures if f["state"] == "open"),
            "fixed": len(fixed), "gone": sum(1 for f in failures if f["state"] == "gone"),
            "opened_in_period": sum(1 for f in failures if not f["open_before_period"]),
            "waived": sum(1 for f in failures if f["waived"]),
        },
        "time_to_remediate_days": {
            "median": round(statistics.median(fixed), 2) if fixed else None,
            "mean": round(statistics.fmean(fixed), 2) if fixed else None,
            "max": max(fixed) if fixed else None,
        },
    }
