"""Admission control: the server keeps answering while someone floods it.

Every request handler runs in a worker thread and holds one database connection from its first
query to its last. With more requests in flight than pooled connections, threads block on the pool
while the requests holding connections wait for a thread: the whole server froze at ~45 open
connections (issue 17). This ASGI middleware, around the whole app, makes that impossible:

- at most `SCOBANK_MAX_CONCURRENT_REQUESTS` requests are inside the app at once; the connection pool
  is sized to it (`scobank.db`), and it stays below the thread pool's 40 threads, so an admitted
  request always finds a connection and a thread;
- the others wait in a bounded queue (`SCOBANK_MAX_QUEUED_REQUESTS`) for at most
  `SCOBANK_QUEUE_WAIT_SECONDS`; a full queue or a longer wait answers at once `503` with
  `Retry-After` (never a 500, never a hang);
- the queue is fair: a free slot goes to the waiting client with the fewest requests inside, so one
  client flooding with many connections cannot push another user's request back;
- each client (its bearer token or session cookie, else its address) has a token bucket of
  `SCOBANK_RATE_PER_CLIENT` requests per second (burst `SCOBANK_RATE_BURST`); beyond it, `429` with
  `Retry-After`. `SCOBANK_RATE_PER_CLIENT=0` turns the bucket off. The buckets are in the database
  (`scobank.access.rate_limits`), so they hold across all the server's worker processes; they are
  asked on one thread of their own, never the request threads, and when the database cannot answer
  at once (SQLite's write lock held, a bank not initialised) the process's own bucket decides.

Static assets (`/static/`) are served outside the limits: they touch neither threads nor the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from scobank.config import get_settings

UNLIMITED_PREFIXES = ("/static/",)


@dataclass(frozen=True)
class Limits:
    concurrent: int
    queued: int
    wait_seconds: float
    rate: float  # requests per second per client; 0 = no rate limit
    burst: float

    @classmethod
    def from_settings(cls) -> Limits:
        s = get_settings()
        return cls(concurrent=s.max_concurrent_requests, queued=s.max_queued_requests,
                   wait_seconds=s.queue_wait_seconds, rate=s.rate_per_client, burst=s.rate_burst)


@dataclass
class _Bucket:
    tokens: float
    stamp: float


@dataclass
class _Waiter:
    client: str
    order: int
    future: asyncio.Future = field(repr=False)


def client_key(scope) -> str:
    """Who is asking, without the database: a digest of the credential, else the client's address."""
    headers = dict(scope.get("headers") or [])
    credential = headers.get(b"authorization")
    if credential is None:
        cookie = headers.get(b"cookie", b"")
        credential = next((part.strip() for part in cookie.split(b";")
                           if part.strip().startswith(b"scobank_session=")), None)
    if credential:
        return "c:" + hashlib.sha256(credential).hexdigest()[:24]
    client = scope.get("client")
    return "a:" + (client[0] if client else "unknown")


class Gatekeeper:
    """The slots, the fair queue and the buckets (one per process, used from the event loop only)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.inside: dict[str, int] = defaultdict(int)
        self.busy = 0
        self.waiting: list[_Waiter] = []
        self.buckets: dict[str, _Bucket] = {}
        self._order = 0

    def take_token(self, client: str) -> float:
        """0 when `client` may send a request now, else the seconds until it may."""
        rate, burst = self.limits.rate, self.limits.burst
        if rate <= 0:
            return 0.0
        now = time.monotonic()
        bucket = self.buckets.get(client) or _Bucket(burst, now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.stamp) * rate)
        bucket.stamp = now
        self.buckets[client] = bucket
        if len(self.buckets) > 10_000:  # forget full buckets of clients gone quiet
            self.buckets = {k: b for k, b in self.buckets.items() if b.tokens < burst or k == client}
        if bucket.tokens < 1:
            return (1 - bucket.tokens) / rate
        bucket.tokens -= 1
        return 0.0

    def give_back(self, client: str) -> None:
        """Return the token `take_token` took for a request the shared bucket refused."""
        bucket = self.buckets.get(client)
        if bucket is not None:
            bucket.tokens = min(self.limits.burst, bucket.tokens + 1)

    async def enter(self, client: str) -> bool:
        """Take a slot, waiting in the fair queue; False when the queue is full or the wait too long."""
        if self.busy < self.limits.concurrent and not self.waiting:
            self._admit(client)
            return True
        if len(self.waiting) >= self.limits.queued:
            return False
        self._order += 1
        waiter = _Waiter(client, self._order, asyncio.get_running_loop().create_future())
        self.waiting.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter.future), self.limits.wait_seconds)
            return True
        except TimeoutError:
            if waiter.future.done():  # admitted at the last moment: keep the slot
                return True
            self.waiting.remove(waiter)
            return False
        except BaseException:
            if waiter in self.waiting:
                self.waiting.remove(waiter)
            elif waiter.future.done():
                self.leave(client)
            raise

    def _admit(self, client: str) -> None:
        self.busy += 1
        self.inside[client] += 1

    def leave(self, client: str) -> None:
        self.busy -= 1
        self.inside[client] -= 1
        if self.inside[client] <= 0:
            del self.inside[client]
        while self.waiting and self.busy < self.limits.concurrent:
            chosen = min(self.waiting, key=lambda w: (self.inside.get(w.client, 0), w.order))
            self.waiting.remove(chosen)
            self._admit(chosen.client)
            chosen.future.set_result(True)


class SharedBuckets:
    """The clients' buckets in the database, asked off the event loop on one thread of their own, after
    the process's own bucket (`Gatekeeper.take_token`), which also decides when the database cannot
    answer.

    The process's bucket refills like the shared one and loses a token only for a request the shared
    one let through too (a refused request gives it back), so it never holds fewer tokens than the
    shared bucket: when it refuses, the shared bucket would refuse as well. A flood beyond its rate is
    therefore refused on the event loop without a database round trip, and the one rate thread is
    left free for the requests that may pass (another user's included)."""

    def __init__(self, gate: Gatekeeper) -> None:
        self.gate = gate
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="scobank-rates")

    async def take(self, client: str) -> float:
        """0 when `client` may send a request now, else the seconds until it may."""
        if self.gate.limits.rate <= 0:
            return 0.0
        wait = self.gate.take_token(client)
        if wait > 0:
            return wait
        try:
            wait = await asyncio.get_running_loop().run_in_executor(self.pool, self._take, client)
        except Exception:  # noqa: BLE001 - locked, missing table, connection lost: this process decided
            return 0.0
        if wait > 0:
            self.gate.give_back(client)
        return wait

    def _take(self, client: str) -> float:
        from scobank.access.rate_limits import rates_engine, take_token

        with rates_engine(get_settings().resolved_database_url).begin() as conn:
            return take_token(conn, client=client, rate=self.gate.limits.rate, burst=self.gate.limits.burst,
                              now=time.time())


async def _refuse(send, status: int, code: str, message: str, retry_after: float,
                  timing: tuple[bytes, bytes]) -> None:
    body = json.dumps({"ok": False, "code": code, "message": message, "problems": []}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"retry-after", str(max(1, math.ceil(retry_after))).encode()),
                            (b"cache-control", b"no-store"), timing]})
    await send({"type": "http.response.body", "body": body})


class Admission:
    """ASGI middleware: `app.add_middleware(Admission)` (outermost, so refusals cost nothing)."""

    def __init__(self, app, limits: Limits | None = None) -> None:
        self.app = app
        self.gate = Gatekeeper(limits or Limits.from_settings())
        self.buckets = SharedBuckets(self.gate)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(UNLIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        client = client_key(scope)
        wait = await self.buckets.take(client)
        if wait > 0:
            await _refuse(send, 429, "rate-limited", "too many requests from this client; slow down and retry "
                          "after the time in Retry-After", wait, _timing(start))
            return
        if not await self.gate.enter(client):
            await _refuse(send, 503, "overloaded", "the bank is busy; retry after the time in Retry-After", 1,
                          _timing(start))
            return
        timing = _timing(start)

        async def send_timed(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), timing]}
            await send(message)

        try:
            await self.app(scope, receive, send_timed)
        finally:
            self.gate.leave(client)


def _timing(start: float) -> tuple[bytes, bytes]:
    """`Server-Timing: admit;dur=<ms>`: the time from the request's arrival in the app to its admission
    (the rate check and the queue); the portal's middleware adds `app;dur` for the rest."""
    return b"server-timing", f"admit;dur={(time.perf_counter() - start) * 1000:.1f}".encode()
