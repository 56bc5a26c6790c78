"""The admission rules of scobank.api.admission, on their own (issue 17, item 1): a free slot goes to
the client with the fewest requests inside, a full queue or a long wait is refused at once, and a
client over its rate is refused by the process's own bucket without a database round trip."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time

import pytest
from sqlalchemy import event

from scobank.access.rate_limits import rates_engine
from scobank.api.admission import Gatekeeper, Limits, SharedBuckets


def _limits(**kw) -> Limits:
    return Limits(**{"concurrent": 1, "queued": 3, "wait_seconds": 2.0, "rate": 0, "burst": 0, **kw})


def test_a_free_slot_goes_to_the_client_with_fewest_requests_inside():
    async def scenario() -> list[str]:
        gate, order = Gatekeeper(_limits(concurrent=2)), []
        assert await gate.enter("flooder") and await gate.enter("flooder")  # holds both slots

        async def ask(client: str) -> None:
            assert await gate.enter(client)
            order.append(client)
            await asyncio.sleep(0.01)
            gate.leave(client)

        tasks = [asyncio.create_task(ask("flooder")), asyncio.create_task(ask("flooder"))]
        await asyncio.sleep(0.01)
        tasks.append(asyncio.create_task(ask("other")))  # arrives last
        await asyncio.sleep(0.01)
        gate.leave("flooder")  # one slot frees: the flooder still has one request inside, "other" none
        await asyncio.gather(*tasks)
        return order

    assert _run(scenario()) == ["other", "flooder", "flooder"]


@pytest.mark.parametrize("limits", [_limits(queued=0), _limits(wait_seconds=0.05)], ids=["full", "long"])
def test_a_full_queue_or_a_long_wait_is_refused_at_once(limits):
    async def scenario() -> tuple[bool, float, int]:
        gate = Gatekeeper(limits)
        assert await gate.enter("a")
        start = time.monotonic()
        admitted = await gate.enter("b")
        return admitted, time.monotonic() - start, len(gate.waiting)

    admitted, seconds, left = _run(scenario())
    assert admitted is False and seconds < 0.5 and left == 0


def _run(coroutine):
    """asyncio.run in a thread of its own: a browser test earlier in this worker may have left an event
    loop set on the main thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_a_flood_over_its_rate_is_refused_without_asking_the_database_and_the_shared_bucket_still_rules(
        bank):
    statements: list[str] = []
    engine = rates_engine(bank.url)

    def seen(_conn, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    limits = _limits(rate=0.01, burst=3)  # a slow refill: no token comes back during the test

    async def scenario() -> tuple[list[float], list[int], float, float | None]:
        one, other = SharedBuckets(Gatekeeper(limits)), SharedBuckets(Gatekeeper(limits))  # two processes
        waits, asked = [], []
        for _ in range(10):
            before = len(statements)
            waits.append(await one.take("c:flooder"))
            asked.append(len(statements) - before)
        # a second process has a full bucket of its own, but the shared one is empty: refused, and its
        # own token given back (its bucket never holds fewer tokens than the shared one)
        second = await other.take("c:flooder")
        own = other.gate.buckets.get("c:flooder")
        return waits, asked, second, own.tokens if own else None

    try:
        waits, asked, second, left = _run(scenario())
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert waits[:3] == [0.0] * 3 and all(w > 0 for w in waits[3:]), waits
    assert all(n > 0 for n in asked[:3]) and asked[3:] == [0] * 7, asked  # refusals cost no statement
    assert second > 0 and left == pytest.approx(3, abs=0.01)
