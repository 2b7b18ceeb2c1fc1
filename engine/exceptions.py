"""Exceptions (waivers), applied last: a FAIL inside a valid exception becomes WAIVED
and stays in the output with the exception named; an expired exception leaves the FAIL
standing and says so. Nothing else is touched.
"""

from dataclasses import dataclass
from datetime import date

from .errors import InputError
from .vocabulary import Status
from .jsonio import validate
from .yamlio import load_yaml

SCHEMA = "exceptions.schema.json"


@dataclass(frozen=True)
class Exception_:
    id: str
    check: str
    resource: str | None
    tags: dict | None
    account: str | None
    reason: str
    owner: str
    approver: str
    expires: date

    def covers(self, result: dict, tags: dict) -> bool:
        return (
            self.check in ("*", result["check"])
            and (self.resource is None or self.resource == result["resource"])
            and (self.account is None or self.account == result.get("account"))
            and (not self.tags or all(tags.get(k) == v for k, v in self.tags.items()))
        )

    def summary(self, today: date) -> dict:
        return {
            "id": self.id, "check": self.check, "resource": self.resource, "tags": self.tags,
            "account": self.account, "reason": self.reason, "owner": self.owner,
            "approver": self.approver, "expires": self.expires.isoformat(),
            "expired": self.expires < today,
        }


def load_exceptions(path: str, known_checks: set[str] | None = None) -> list[Exception_]:
    doc = load_yaml(path)
    validate(doc, SCHEMA, path)
    out, ids = [], set()
    for i, e in enumerate(doc["exceptions"]):
        if e["id"] in ids:
            raise InputError(f"{path}: duplicate exception id {e['id']!r} at $.exceptions[{i}]")
        ids.add(e["id"])
        if known_checks is not None and e["check"] != "*" and e["check"] not in known_checks:
            raise InputError(f"{path}: exception {e['id']!r} names unknown check {e['check']!r}")
        if "resource" not in e and "tags" not in e and e["check"] == "*":
            raise InputError(f"{path}: exception {e['id']!r} waives every check on every resource; scope it")
        out.append(Exception_(
            id=e["id"], check=e["check"], resource=e.get("resource"), tags=e.get("tags"),
            account=e.get("account"), reason=e["reason"], owner=e["owner"], approver=e["approver"],
            expires=date.fromisoformat(e["expires"]),
        ))
    return out


def apply_exceptions(results: list[dict], exceptions: list[Exception_], tags_of: dict[str, dict], today: date) -> None:
    """Patch FAIL records in place. The first matching valid exception wins; an expired
    match is recorded on the FAIL only when no valid one covers it."""
    if not exceptions:
        return
    for r in results:
        if r["status"] != Status.FAIL:
            continue
        matches = [e for e in exceptions if e.covers(r, tags_of.get(r["resource"], {}))]
        valid = [e for e in matches if e.expires >= today]
        if valid:
            e = valid[0]
            r["status"] = Status.WAIVED
            r["exception"] = e.summary(today)
            r["reason"] = f"{r['reason']} (waived by {e.id} until {e.expires.isoformat()}, approved by {e.approver})"
            r["reason_ja"] = f"{r['reason_ja']}(例外 {e.id} により {e.expires.isoformat()} まで承認、承認者 {e.approver})"
        elif matches:
            e = matches[0]
            r["exception"] = e.summary(today)
            r["reason"] = f"{r['reason']} (exception {e.id} expired on {e.expires.isoformat()})"
            r["reason_ja"] = f"{r['reason_ja']}(例外 {e.id} は {e.expires.isoformat()} に期限切れ)"
