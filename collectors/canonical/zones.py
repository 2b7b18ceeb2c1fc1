"""Zones, written one way: sorted, unique zone names; None when not known; UNKNOWN when
known only after apply. Azure's logical zones ("1") are qualified by their region
("japaneast-1") so that names are unique across regions, like AWS and GCP zone names."""

from .values import UNKNOWN, ShapeError, json_kind

CHOSEN_AT_APPLY = "zone chosen at apply"
STANDBY_AT_APPLY = "standby zone chosen at apply"
STANDBY_UNREPORTED = "standby zone (not reported)"


def zones(values):
    if values is None or values is UNKNOWN:
        return values
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        raise ShapeError("zones", f"expected a list of zone names, got a JSON {json_kind(values)}")
    if any(v is UNKNOWN for v in values):
        return UNKNOWN
    out = set()
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            raise ShapeError(f"zones[{i}]", f"expected a zone name, got a JSON {json_kind(v)}")
        if str(v):
            out.add(str(v))
    return sorted(out)


def azure(location, logical) -> list[str]:
    """Azure logical zones of a location → region-qualified names."""
    loc = (location if isinstance(location, str) else "").lower().replace(" ", "")
    found = zones(logical if logical is not None else [])
    return sorted({f"{loc}-{z}" for z in found}) if isinstance(found, list) else found


def database(primary, multi_az, standby=None, *, planned: bool = False):
    """Zones of a database: its zone, and its standby's when Multi-AZ. A Multi-AZ database
    keeps its standby in another zone, so two zones are known from multi_az even where the
    standby's name is not (chosen at apply in a plan, not reported by an API or emulator):
    a placeholder stands for it. Without the primary's zone a live source leaves the zones
    unknown (None); a plan names it "chosen at apply"."""
    if multi_az is UNKNOWN:
        return UNKNOWN
    first = primary if isinstance(primary, str) and primary else (CHOSEN_AT_APPLY if planned else None)
    if multi_az is True:
        second = standby if isinstance(standby, str) and standby else (STANDBY_AT_APPLY if planned else STANDBY_UNREPORTED)
        if first is None:
            return None
        return [first, second] if planned or second == STANDBY_UNREPORTED else sorted({first, second})
    if multi_az is False:
        return [first] if first else None
    return UNKNOWN if planned else None
