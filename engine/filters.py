"""Check filters (`--checks`, `--skip-checks`, or `checks`/`skip_checks` in genmei.yaml):
which checks a scan runs, by id or glob (GM-NET-*, GM-??-001).

A filtered scan hides nothing: the evidence records the filter and the checks it left
out, and each left-out check that had something to judge gets one NOT_EVALUATED result
saying so (engine/evaluate.py), so the items and risks it evidences cannot be ○ on the
strength of the checks that did run — and the 言明書 draft never states compliance for
a filtered scan (engine/render/statement.py).
"""

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from .errors import InputError

PATTERN = re.compile(r"^[A-Za-z0-9*?\[\]!-]+$")
# The pseudo-resource of a left-out check's one result.
SKIPPED_RESOURCE = "filter:skipped"


@dataclass(frozen=True)
class CheckFilter:
    checks: tuple[str, ...] = ()        # only these (empty: every check)
    skip_checks: tuple[str, ...] = ()   # but not these

    def __bool__(self) -> bool:
        return bool(self.checks or self.skip_checks)

    def split(self, check_ids) -> tuple[list[str], list[str]]:
        """(run, skipped) of the given check ids; a pattern that matches no check is refused
        (a typo would otherwise run every check, or none, without a word)."""
        ids = sorted(check_ids)
        for option, patterns in (("--checks", self.checks), ("--skip-checks", self.skip_checks)):
            for p in patterns:
                if not any(fnmatchcase(i, p) for i in ids):
                    raise InputError(f"{option} {p}: matches no check (see `genmei policy list`)")
        run = [i for i in ids if (not self.checks or any(fnmatchcase(i, p) for p in self.checks))
               and not any(fnmatchcase(i, p) for p in self.skip_checks)]
        if not run:
            raise InputError("--checks/--skip-checks leave no check to run")
        return run, [i for i in ids if i not in run]

    def document(self, skipped: list[str]) -> dict:
        """What the evidence records of the filter."""
        return {"checks": list(self.checks), "skip_checks": list(self.skip_checks), "skipped": list(skipped)}


def parse_patterns(value, option: str) -> tuple[str, ...]:
    """A comma-separated option value, or a list from genmei.yaml, as upper-case patterns."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    patterns = [str(x).strip().upper() for x in items if str(x).strip()]
    if not patterns:
        raise InputError(f"{option}: empty list")
    bad = [p for p in patterns if not PATTERN.match(p)]
    if bad:
        raise InputError(f"{option} {bad[0]}: not a check id or glob (e.g. GM-NET-001, GM-NET-*)")
    return tuple(dict.fromkeys(patterns))
