"""Times, written one way: RFC 3339 in UTC to the second ("2026-12-07T03:55:20Z"), and UTC
days ("2026-12-07"). The checks count ages in whole days between such values, so every
path writes them alike: boto3's datetimes, ARM's seven-digit fractions, protobuf
timestamps and local offsets all become the same text. A value that is not a time is a
ShapeError (the path reports it as bad input), never a guess; None stays None (not
collected)."""

from datetime import date, datetime, timezone

from .values import ShapeError, json_kind


def utc(value, path: str = "") -> datetime | None:
    """An aware UTC datetime from a datetime (naive ones are taken as UTC, as boto3 and
    the JSON APIs mean them) or an ISO 8601 text; None for None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ShapeError(path, f"expected a time (RFC 3339), got {value[:40]!r}") from None
    else:
        raise ShapeError(path, f"expected a time (RFC 3339), got a JSON {json_kind(value)}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def rfc3339(value, path: str = "") -> str | None:
    moment = utc(value, path)
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value, path: str = "") -> str | None:
    moment = utc(value, path)
    return None if moment is None else moment.strftime("%Y-%m-%d")
