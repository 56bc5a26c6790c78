"""Timestamps as the bank states them: UTC, with the offset written out.

The database keeps naive UTC datetimes (SQLite has no time zone type); a response model field typed
`UtcDateTime` marks them UTC, so the JSON reads `2026-12-07T11:58:41Z`, a valid OpenAPI `date-time`
(RFC 3339 requires the offset), and a value given with another offset is converted to UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator


def as_utc(value: datetime) -> datetime:
    """`value` in UTC: a naive datetime is taken to be UTC already (as the database stores them)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]


def as_naive_utc(value: datetime) -> datetime:
    """`value` in UTC without its offset, as the database stores it and services compare it."""
    return as_utc(value).replace(tzinfo=None)


# For inputs (request bodies): any offset accepted, stored as naive UTC.
StoredUtcDateTime = Annotated[datetime, AfterValidator(as_naive_utc)]
