"""Per-client request rates that hold across every server process (`scobank serve --workers N`): one
token bucket per client in the database, taken from in one atomic UPDATE, so N workers together let
a client through at `rate` requests per second (burst `burst`), not N times that.

The caller (scobank.api.admission) runs `take_token` off the event loop on a connection of its own
and falls back to its process's own bucket when the database cannot answer.
"""

from __future__ import annotations

import random

from sqlalchemy import Connection, Engine, case, create_engine, delete, event, select, update
from sqlalchemy.dialects import postgresql, sqlite

from scobank.access.models import RateBucket
from scobank.db import engine_for

LOCK_WAIT = 0.25  # seconds a check waits for SQLite's write lock before the caller falls back
_ENGINES: dict[str, Engine] = {}


def rates_engine(url: str) -> Engine:
    """The engine rate checks use: on SQLite its own, waiting at most LOCK_WAIT for the write lock (a
    long publish must not hold every request up); otherwise the bank's."""
    if not url.startswith("sqlite"):
        return engine_for(url)
    if url not in _ENGINES:
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": LOCK_WAIT},
                               pool_size=1, max_overflow=0)
        event.listen(engine, "connect", _short_waits)
        _ENGINES[url] = engine
    return _ENGINES[url]


def _short_waits(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=250")  # LOCK_WAIT
    cursor.close()

FORGET_AFTER = 3600.0  # seconds: a bucket untouched this long is full again and is deleted
SWEEP_CHANCE = 0.001  # one call in a thousand deletes forgotten buckets


def _insert(conn: Connection):
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(RateBucket)


def take_token(conn: Connection, *, client: str, rate: float, burst: float, now: float) -> float:
    """0 when `client` may send a request at `now` (Unix seconds; one token is taken), else the seconds
    until it may. The bucket refills at `rate` tokens a second up to `burst`."""
    refill = RateBucket.tokens + (now - RateBucket.stamp) * rate
    level = case((refill > burst, burst), else_=refill)
    taken = conn.execute(update(RateBucket).where(RateBucket.client == client, level >= 1)
                         .values(tokens=level - 1, stamp=now))
    if taken.rowcount == 1:
        _sweep(conn, now)
        return 0.0
    row = conn.execute(select(RateBucket.tokens, RateBucket.stamp).where(RateBucket.client == client)).first()
    if row is None:  # a new client: a full bucket, less this request (another process may race: same)
        conn.execute(_insert(conn).values(client=client, tokens=burst - 1, stamp=now)
                     .on_conflict_do_nothing(index_elements=["client"]))
        return 0.0
    tokens = min(burst, row.tokens + (now - row.stamp) * rate)
    return (1 - tokens) / rate


def _sweep(conn: Connection, now: float) -> None:
    if random.random() < SWEEP_CHANCE:
        conn.execute(delete(RateBucket).where(RateBucket.stamp < now - FORGET_AFTER))
