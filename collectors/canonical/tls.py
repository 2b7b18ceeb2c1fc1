"""Transport encryption: TLS versions as every source writes them, the `tls` attr, the TLS
parameters of RDS per engine family, and ELB security policies by name.

RDS: which parameter forces TLS, and which sets the lowest version, depends on the engine
family — PostgreSQL (rds.force_ssl, ssl_min_protocol_version), MySQL and MariaDB
(require_secure_transport, tls_version listing the versions allowed), SQL Server
(rds.force_ssl; rds.tls10 / rds.tls11 disabled raise the floor). A parameter of another
family is ignored (rds.force_ssl on MySQL forces nothing); an engine whose TLS is not set
by parameters (Oracle, Db2: option groups) leaves `tls` absent, never guessed. The same
function reads DescribeDBParameters (live), an AWS Config item and an
aws_db_parameter_group in a plan.
"""

import re

from .values import UNKNOWN

VERSIONS = ("1.0", "1.1", "1.2", "1.3")
_VERSION = re.compile(r"^(?:tls|ssl)?\s*v?_?(1)[._]?([0-3])?$", re.I)


def version(name) -> str | None:
    """"TLSv1.2", "TLS1_2", "TLS_1_2", "tls1_2", "1.2", "TLSv1" → "1.2"/"1.0"; an
    unrecognised name is kept as given (the checks say they cannot judge it)."""
    if name is None or name is UNKNOWN:
        return name
    text = str(name).strip()
    if not text:
        return None
    m = _VERSION.match(text.replace(" ", ""))
    if m:
        return f"1.{m.group(2) or '0'}"
    return text


def lowest(names) -> str | None:
    """The lowest version among names ("TLSv1.2,TLSv1.3"); an unrecognised one wins, since
    it cannot be judged."""
    if names is UNKNOWN:
        return UNKNOWN
    if isinstance(names, str):
        names = names.split(",")
    found = [version(n) for n in names if n is not None and str(n).strip()]
    if any(v is UNKNOWN for v in found):
        return UNKNOWN
    if not found:
        return None
    odd = [v for v in found if v not in VERSIONS]
    return odd[0] if odd else min(found, key=VERSIONS.index)


def highest(a: str | None, b: str | None) -> str | None:
    """The stricter of two floors (None when neither is known)."""
    known = [v for v in (a, b) if v in VERSIONS]
    return max(known, key=VERSIONS.index) if known else (a or b)


def tls(enforced, min_version=None, policy=None) -> dict | None:
    """The `tls` attr without the fields not known; None when nothing is. UNKNOWN values
    pass through (the resource constructor lists them as known only after apply)."""
    out = {k: v for k, v in (("enforced", enforced), ("min_version", min_version), ("policy", policy)) if v is not None}
    return out or None


# --- RDS ----------------------------------------------------------------------------------

ON = frozenset({"1", "on", "true"})
# family → (parameter that forces TLS, parameter giving the floor, whether it lists versions)
RDS_PARAMETERS = {
    "postgres": ("rds.force_ssl", "ssl_min_protocol_version", False),
    "mysql": ("require_secure_transport", "tls_version", True),
    "sqlserver": ("rds.force_ssl", None, False),
}
_FAMILIES = {"postgres": "postgres", "aurora-postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql",
             "aurora-mysql": "mysql", "aurora": "mysql"}


def rds_family(engine) -> str | None:
    """RDS engine (postgres, aurora-mysql, sqlserver-se…) or parameter group family
    (postgres15, mysql8.0, aurora-postgresql14) → postgres, mysql, sqlserver or None."""
    if not isinstance(engine, str) or not engine:
        return None
    e = engine.strip().lower()
    if e.startswith("sqlserver"):
        return "sqlserver"
    if e in _FAMILIES:
        return _FAMILIES[e]
    for prefix in sorted(_FAMILIES, key=len, reverse=True):
        if e.startswith(prefix) and e[len(prefix):][:1].isdigit():
            return _FAMILIES[prefix]
    return None


def rds_parameters_used(engine) -> tuple[str, ...]:
    spec = RDS_PARAMETERS.get(rds_family(engine) or "")
    if spec is None:
        return ()
    force, floor, _ = spec
    extra = ("rds.tls10", "rds.tls11") if rds_family(engine) == "sqlserver" else ()
    return tuple(p for p in (force, floor, *extra) if p)


def rds_tls(engine, parameters: dict | None) -> dict | None:
    """The `tls` attr of an RDS instance or cluster from its parameter group's values
    ({name: value}, UNKNOWN values allowed); None when the engine's setting is not among
    them (unknown, never assumed)."""
    family = rds_family(engine)
    spec = RDS_PARAMETERS.get(family or "")
    if spec is None or parameters is None:
        return None
    force, floor, listed = spec
    value = parameters.get(force)
    if value is None:
        return None
    enforced = UNKNOWN if value is UNKNOWN else str(value).strip().lower() in ON
    minimum = None
    if floor:
        text = parameters.get(floor)
        minimum = text if text is UNKNOWN else ((lowest(str(text)) if listed else version(text)) if text else None)
    elif family == "sqlserver":
        minimum = _sqlserver_floor(parameters)
    return tls(enforced, minimum)


def _sqlserver_floor(parameters: dict):
    t10, t11 = parameters.get("rds.tls10"), parameters.get("rds.tls11")
    if UNKNOWN in (t10, t11):
        return UNKNOWN
    off = [str(v).strip().lower() == "disabled" for v in (t10, t11)]
    if all(off):
        return "1.2"
    return None


# --- load balancers -------------------------------------------------------------------------

def elb_policy_min_tls(name) -> str | None:
    """The lowest TLS version of an ELB predefined security policy, by its name (a plan
    shows the name only; the live collector reads DescribeSSLPolicies)."""
    if not isinstance(name, str):
        return None
    for pattern in (r"TLS13-1-([0-3])", r"TLS-1-([0-3])", r"FS-1-([0-3])"):
        m = re.search(pattern, name)
        if m:
            return f"1.{m.group(1)}"
    if re.fullmatch(r"ELBSecurityPolicy-(2016-08|2015-05|FS-2018-06)", name):
        return "1.0"
    return None
