"""Portal tests over HTTP (FastAPI's TestClient). Each test's `bank` is a clean bank of its own, or, when
the test or its module is marked `open_demo(SLUG, ...)`, a bank holding those demo datasets open to
everyone (see `bank`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Bank, _configure, bank_copied_from, copy_bank, drop_bank

# Tables a test that only reads must leave as they were (reads add ledger entries, sessions, rate buckets).
UNCHANGED_BY_READS = ("organisations", "datasets", "dataset_versions", "access_policies", "access_policy_versions",
                      "access_agreements", "access_requests", "users", "exchange_listings")


@contextmanager
def _pointed_at(bank: Bank) -> Iterator[None]:
    """Settings on `bank` for the block; after it nobody is connected to it (PostgreSQL copies only an
    unused database; SQLite folds its WAL into the file that is copied) and the settings are restored."""
    from scobank.config import reset_settings
    from scobank.db import reset_engines

    mp = pytest.MonkeyPatch()
    _configure(mp, bank.home, bank.url)
    try:
        yield
    finally:
        reset_engines()
        mp.undo()
        reset_settings()


def unchanged_by_reads(bank: Bank) -> dict[str, int]:
    """The row counts of UNCHANGED_BY_READS in `bank` (settings must point at it)."""
    from sqlalchemy import func, select, table

    with bank.session() as session:
        return {name: session.scalar(select(func.count()).select_from(table(name))) for name in UNCHANGED_BY_READS}


Prepare = Callable[[Bank, Path, Path], None]  # (bank, data dir, a folder for its files): done before publishing


@dataclass(frozen=True)
class DemoSet:
    """What an `open_demo` marker asks for: `first` done in the bank, then the demo datasets `slugs`."""

    slugs: tuple[str, ...]
    first: Prepare | None = None

    @classmethod
    def of(cls, marker: pytest.Mark) -> DemoSet:
        return cls(tuple(marker.args), marker.kwargs.get("first"))


class DemoBanks:
    """Banks holding demo datasets as `scobank demo` publishes them from the real data
    (`demo.datasets.publish_one`), each opened to everyone (policy audience "public", set by the operator),
    one per DemoSet, built the first time a test asks for it. `template(demo)` is never used by a test,
    only copied; `shared(demo)` is one copy that every read-only test of the set uses."""

    def __init__(self, template: tuple[str, Path], data_dir: Path, folder: Path) -> None:
        self._template, self._data_dir, self._folder = template, data_dir, folder
        self._published: dict[DemoSet, tuple[str, Path]] = {}
        self._shared: dict[DemoSet, tuple[Bank, dict[str, int]]] = {}

    def template(self, demo: DemoSet) -> tuple[str, Path]:
        if demo not in self._published:
            self._published[demo] = self._publish(demo, self._folder / f"published-{len(self._published)}")
        return self._published[demo]

    def shared(self, demo: DemoSet) -> tuple[Bank, dict[str, int]]:
        """The read-only bank of `demo` and the row counts of UNCHANGED_BY_READS it must keep."""
        if demo not in self._shared:
            home = self._folder / f"shared-{len(self._shared)}"
            bank = Bank(home=home, url=copy_bank(self.template(demo), home))
            with _pointed_at(bank):
                self._shared[demo] = bank, unchanged_by_reads(bank)
        return self._shared[demo]

    def _publish(self, demo: DemoSet, home: Path) -> tuple[str, Path]:
        from scobank.access.reader import OPERATOR
        from scobank.demo.datasets import publish_one
        from scobank.stewardship.policies import set_policy

        bank = Bank(home=home, url=copy_bank(self._template, home))
        with _pointed_at(bank):
            if demo.first is not None:
                demo.first(bank, self._data_dir, home.with_name(f"{home.name}-files"))
            with bank.session() as session:
                for slug in demo.slugs:
                    line = publish_one(session, slug, data_dir=self._data_dir)
                    assert "NOT loaded" not in line, line
                    set_policy(session, reader=OPERATOR, slug=slug, document={"audience": "public"})
        return bank.url, home

    def close(self) -> None:
        for bank, _ in self._shared.values():
            drop_bank(bank.url)
        for url, _ in self._published.values():
            drop_bank(url)


@pytest.fixture(scope="session")
def demo_banks(_template, data_dir, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoBanks]:
    """The session's (each xdist worker's) banks of demo datasets open to everyone, by DemoSet."""
    banks = DemoBanks(_template, data_dir, tmp_path_factory.mktemp("demo-banks"))
    yield banks
    banks.close()


@pytest.fixture
def bank(request: pytest.FixtureRequest, _template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bank]:
    """The test's bank.
    - Unmarked: a clean bank of its own (migrated, reference data loaded), as everywhere in tests/.
    - Marked `open_demo(SLUG, ...)`: a bank of its own holding the demo datasets SLUG, ... published from the
      real data as `scobank demo` publishes them, in that order, each open to everyone (audience "public");
      the test may change it. Built once per session for each marker's set and copied for each test.
      `first=prepare` runs `prepare(bank, data_dir, folder)` in the bank before the datasets are published
      (a module's own set-up, e.g. files ingested with the CLI).
    - Marked `open_demo(..., read_only=True)`: the same bank shared by every such test of the set, for tests
      that only read. A test that changes its organisations, datasets, versions, policies, agreements,
      requests, users or listings fails (the ledger entries of its reads are allowed).
    Marked tests start with the analyses' in-memory caches empty, as after a fresh publication."""
    marker = request.node.get_closest_marker("open_demo")
    if marker is None:
        yield from bank_copied_from(_template, tmp_path / "home", monkeypatch)
        return
    from scobank.analytics.cache import PANEL_FACTS, RESULTS

    banks: DemoBanks = request.getfixturevalue("demo_banks")
    RESULTS.clear()
    PANEL_FACTS.clear()
    if not marker.kwargs.get("read_only"):
        yield from bank_copied_from(banks.template(DemoSet.of(marker)), tmp_path / "home", monkeypatch)
        return
    shared, counts = banks.shared(DemoSet.of(marker))
    _configure(monkeypatch, shared.home, shared.url)
    yield shared
    after = unchanged_by_reads(shared)
    from scobank.db import reset_engines

    reset_engines()
    assert after == counts, f"a test marked open_demo(read_only=True) changed the shared bank: {counts} -> {after}"


@pytest.fixture
def client(bank):
    from scobank.api.app import create_app

    with TestClient(create_app()) as c:
        yield c
