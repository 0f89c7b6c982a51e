"""Timestamps as exports write them: ISO, German, English, RFC 2822, Twitter, epoch.

Rule for naive times (no offset written): they are read in the ``tz`` of the
load (default ``"UTC"``; pass ``tz="Europe/Berlin"`` for German exports written
in local time) and converted to UTC. Times with an offset keep it.

Slash dates (``3/1/24``) are month-first (US) unless the day is above 12 or the
caller asks for ``dayfirst``; dot dates (``01.03.2024``, ``1.3.24``) are always
day-first, as written in German.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from ..errors import ConfigError

__all__ = ["parse_timestamp", "parse_datetime", "datetime_or_note", "zone"]

_DOT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:[,\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*Uhr)?)?$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:[,\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?$")
_EPOCH = re.compile(r"^\d{9,10}(?:\.\d+)?$|^\d{13}$")
_TWITTER = "%a %b %d %H:%M:%S %z %Y"


@lru_cache(maxsize=64)
def zone(tz: str) -> ZoneInfo | timezone:
    """The time zone called ``tz`` (ConfigError naming it when unknown)."""
    if tz.upper() == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"tz: unknown time zone {tz!r}; use an IANA name such as 'UTC' or "
                          f"'Europe/Berlin'") from exc


def _year(y: str) -> int:
    return int(y) + 2000 if len(y) == 2 else int(y)


def _build(y: int, mo: int, d: int, h: str | None, mi: str | None, s: str | None, ampm: str | None) -> datetime:
    hour = int(h) if h else 0
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= hour <= 12:
            raise ValueError("hour outside 1-12 with AM/PM")
        hour = hour % 12 + (12 if pm else 0)
    return datetime(y, mo, d, hour, int(mi) if mi else 0, int(s) if s else 0)


def _naive_or_aware(value: str, dayfirst: bool) -> datetime | None:
    v = value.strip()
    m = _DOT.match(v)
    if m:
        d, mo, y, h, mi, s = m.groups()
        return _build(_year(y), int(mo), int(d), h, mi, s, None)
    m = _SLASH.match(v)
    if m:
        a, b, y, h, mi, s, ampm = m.groups()
        first, second = int(a), int(b)
        day, month = (first, second) if (dayfirst or first > 12) else (second, first)
        return _build(_year(y), month, day, h, mi, s, ampm)
    if _EPOCH.match(v):
        num = float(v)
        return datetime.fromtimestamp(num / 1000 if len(v) == 13 else num, tz=timezone.utc)
    iso = v[:-1] + "+00:00" if v.endswith(("Z", "z")) else v
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return datetime.strptime(v, _TWITTER)
    except ValueError:
        pass
    if "," in v or re.search(r"[A-Za-z]{3}", v):
        try:
            return parsedate_to_datetime(v)
        except (TypeError, ValueError, IndexError):
            pass
    return None


def parse_datetime(value: object, tz: str = "UTC", *, dayfirst: bool = False) -> datetime | None:
    """``value`` as an aware UTC :class:`datetime.datetime` (fast path of :func:`parse_timestamp`).

    ``None`` when empty; ValueError naming the value when it is unreadable or outside
    the range pandas can hold (years 1678-2261).
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        dt = value.to_pydatetime()
    elif isinstance(value, datetime):
        dt = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            dt = _naive_or_aware(str(value), dayfirst)
        except (ValueError, OverflowError, OSError) as exc:
            raise ValueError(f"timestamp {value!r} is not a valid epoch time ({exc})") from exc
        if dt is None:
            raise ValueError(f"number {value!r} is not an epoch time in seconds or milliseconds")
    else:
        text = str(value).strip()
        if not text:
            return None
        if len(text) > 64:
            raise ValueError(f"timestamp {text[:40]!r}... is too long to be a date")
        try:
            dt = _naive_or_aware(text, dayfirst)
        except (ValueError, OverflowError, OSError) as exc:
            raise ValueError(f"timestamp {text!r} is not a valid date ({exc})") from exc
        if dt is None:
            raise ValueError(f"timestamp {text!r} is in no known format (ISO 8601, 01.03.2024 10:02, "
                             f"3/1/24 10:02 AM, RFC 2822, epoch seconds)")
    if not 1678 <= dt.year <= 2261:
        raise ValueError(f"timestamp {value!r} is outside the supported range (years 1678-2261)")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone(tz))
    try:
        return dt.astimezone(timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"timestamp {value!r} is outside the supported range") from exc


def datetime_or_note(value: object, tz: str, notes: list[str], field: str | None, *,
                     dayfirst: bool = False) -> datetime | None:
    """:func:`parse_datetime`, but an unreadable value gives ``None`` and a note in ``notes``.

    The message is kept without a time (``NaT``): its text is what the user came for.
    """
    try:
        return parse_datetime(value, tz, dayfirst=dayfirst)
    except ValueError as exc:
        notes.append(f"{field or 'timestamp'}: {exc}; kept without a time")
        return None


def parse_timestamp(value: object, tz: str = "UTC", *, dayfirst: bool = False) -> pd.Timestamp | None:
    """``value`` as a UTC :class:`pandas.Timestamp`; ``None`` when it is empty; ValueError when unreadable.

    Examples
    --------
    >>> parse_timestamp("01.03.2024 10:02", tz="Europe/Berlin")
    Timestamp('2024-03-01 09:02:00+0000', tz='UTC')
    >>> parse_timestamp("3/1/24, 10:02 AM")
    Timestamp('2024-03-01 10:02:00+0000', tz='UTC')
    """
    dt = parse_datetime(value, tz, dayfirst=dayfirst)
    return None if dt is None else pd.Timestamp(dt).as_unit("ns")
