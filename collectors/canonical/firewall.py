"""Firewall rules, protocol-aware: the one builder for security-group, network-ACL, NSG
and VPC-firewall rules, live, imported or planned.

Protocols are named one way: `all`, the IANA keyword of a protocol genmei knows (tcp, udp,
icmp, icmpv6, esp, ah, gre, sctp…), else its IANA number. Only TCP, UDP, SCTP, DCCP and
UDP-Lite have ports; a rule for any other protocol (ESP 50, AH 51, GRE 47, ICMP…) exposes
no port whatever port numbers the source writes beside it, so its `port_ranges` is
empty and the checks treat it as portless (policies/lib/genmei.rego portless: the
keywords in policies/params.yaml portless_protocols, and every IANA number but those of
the protocols in WITH_PORTS). A rule for every protocol (`-1`, `*`, `all`) covers every
port: empty `port_ranges`, protocol `all`. A port range covering 0–65535 is every port.

Ports, directions, actions and priorities of the wrong shape raise ShapeError (a number
beyond 65535, `to_port: 1e99999`, `direction: "Sideways"`): a rule is never guessed.
"""

import ipaddress
import math
import re

from .values import UNKNOWN, ShapeError, json_kind

# IANA protocol numbers → the keyword genmei writes.
KEYWORDS = {1: "icmp", 2: "igmp", 4: "ipip", 6: "tcp", 17: "udp", 33: "dccp", 41: "ipv6", 47: "gre", 50: "esp",
            51: "ah", 58: "icmpv6", 89: "ospf", 103: "pim", 112: "vrrp", 115: "l2tp", 132: "sctp", 136: "udplite"}
# Other names sources use for them.
ALIASES = {"-1": "all", "*": "all", "any": "all", "all": "all", "icmp6": "icmpv6", "ipv6-icmp": "icmpv6",
           "ipv4": "ipip", "ipencap": "ipip", "ospfigp": "ospf", "udp-lite": "udplite"}
NUMBERS = {name: number for number, name in KEYWORDS.items()}
# Protocols whose rules name ports.
WITH_PORTS = frozenset({"tcp", "udp", "sctp", "dccp", "udplite"})
ALL_PORTS = (0, 65535)
DIRECTIONS = {"ingress": "ingress", "inbound": "ingress", "egress": "egress", "outbound": "egress"}
ACTIONS = {"allow": "allow", "deny": "deny"}
_KEYWORD = re.compile(r"^[a-z][a-z0-9-]*$")


def protocol(value) -> str:
    """Any source's protocol (AWS "-1"/"6"/"tcp", Azure "Tcp"/"*"/"Esp", GCP "all"/"esp"/"50")
    → the canonical name."""
    if isinstance(value, bool) or value is None:
        raise ShapeError("protocol", f"expected a protocol name or number, got {_shown(value)}")
    if isinstance(value, (int, float)):
        number = _whole(value, "protocol", -1, 255)
        return "all" if number == -1 else KEYWORDS.get(number, str(number))
    if not isinstance(value, str):
        raise ShapeError("protocol", f"expected a protocol name or number, got {_shown(value)}")
    text = value.strip().lower()
    if text in ALIASES:
        return ALIASES[text]
    if text.lstrip("-").isdigit():
        return protocol(int(text))
    if _KEYWORD.match(text):
        return text
    raise ShapeError("protocol", f"{value!r} is not a protocol")


def has_ports(proto: str) -> bool:
    return proto in WITH_PORTS


def port(value, path: str = "port") -> int:
    return _whole(value, path, 0, 65535)


def port_range(lo, hi=None, path: str = "port_range") -> tuple[int, int]:
    """(from, to) of one range; `hi` None is a single port."""
    a = port(lo, f"{path}.from")
    b = a if hi is None else port(hi, f"{path}.to")
    if a > b:
        raise ShapeError(path, f"port range {a}-{b} runs backwards")
    return a, b


_SPEC = re.compile(r"^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$")


def port_specs(texts) -> list[tuple[int, int]] | None:
    """Port texts as Azure and Google write them (["22", "1000-2000"]; "*" is every port)
    → ranges, None for every port."""
    ranges = []
    for i, t in enumerate(texts):
        if isinstance(t, (int, float)) and not isinstance(t, bool):
            ranges.append(port_range(t, path=f"ports[{i}]"))
            continue
        if not isinstance(t, str):
            raise ShapeError(f"ports[{i}]", f"expected a port or a range such as 1000-2000, got {_shown(t)}")
        if t.strip() in ("*", ""):
            return None
        m = _SPEC.match(t)
        if not m:
            raise ShapeError(f"ports[{i}]", f"{t!r} is not a port or a range such as 1000-2000")
        ranges.append(port_range(int(m[1]), int(m[2]) if m[2] else None, f"ports[{i}]"))
    return ranges


def rule(direction, action, proto, ranges, sources, priority=None) -> dict:
    """One canonical rule. `ranges`: [(from, to)] or None for every port (ignored for a
    protocol without ports); `sources`: CIDRs, tags or references as strings."""
    d = DIRECTIONS.get(str(direction).strip().lower()) if isinstance(direction, str) else None
    if d is None:
        raise ShapeError("direction", f"expected ingress/inbound or egress/outbound, got {_shown(direction)}")
    a = ACTIONS.get(str(action).strip().lower()) if isinstance(action, str) else None
    if a is None:
        raise ShapeError("action", f"expected allow or deny, got {_shown(action)}")
    p = protocol(proto)
    out = {"direction": d, "action": a, "protocol": p, "port_ranges": _port_ranges(p, ranges), "sources": _sources(sources)}
    if priority is not None:
        out["priority"] = _whole(priority, "priority", -(2 ** 31), 2 ** 31 - 1)
    return out


def _port_ranges(proto: str, ranges) -> list[dict]:
    if not has_ports(proto) or ranges is None:
        return []
    out = []
    for lo, hi in ranges:
        if (lo, hi) == ALL_PORTS:
            return []
        out.append({"from": lo, "to": hi})
    return out


def _sources(values) -> list[str]:
    if not isinstance(values, (list, tuple)):
        raise ShapeError("sources", f"expected a list of addresses, got {_shown(values)}")
    out = []
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise ShapeError(f"sources[{i}]", f"expected an address or a name, got {_shown(v)}")
        if v:
            out.append(v)
    return out


def _whole(value, path: str, lo: int, hi: int) -> int:
    """An integer within [lo, hi]; integral floats and digit strings are accepted (JSON
    numbers from some sources), anything else — inf, 22.5, "ssh", a bool — is refused."""
    if isinstance(value, bool) or value is UNKNOWN:
        raise ShapeError(path, f"expected a whole number, got {_shown(value)}")
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ShapeError(path, f"expected a whole number, got {value!r}")
        value = int(value)
    if not isinstance(value, int):
        raise ShapeError(path, f"expected a whole number, got {_shown(value)}")
    if not lo <= value <= hi:
        raise ShapeError(path, f"{value} is outside {lo}..{hi}")
    return value


def _shown(value) -> str:
    if isinstance(value, (dict, list, tuple)):
        return f"a JSON {json_kind(value)}"
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


# Half the IPv4 space: a database firewall rule admitting at least this many addresses
# (0.0.0.0–255.255.255.255 and the like) admits the internet; 0.0.0.0–0.0.0.0 is Azure's
# "allow Azure services", not the internet.
INTERNET_RANGE = 2 ** 31


def covers_internet(start, end) -> bool:
    """An IPv4 start–end firewall range (Azure SQL, PostgreSQL, MySQL) open to the internet."""
    try:
        lo, hi = int(ipaddress.IPv4Address(str(start))), int(ipaddress.IPv4Address(str(end)))
    except ValueError:
        return False
    return hi - lo + 1 >= INTERNET_RANGE
