"""Shared fixtures. Each test that touches the store gets its own clean bank (a fresh database from a
migrated, reference-loaded template, and its own lake folder), on SQLite by default and on PostgreSQL
when SCOBANK_TEST_POSTGRES_URL is set (`make test-postgres`, which `make test` runs too)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TESTDATA = REPO / "tests" / "data"
PG_ADMIN_URL = os.environ.get("SCOBANK_TEST_POSTGRES_URL")

os.environ.setdefault("SCOBANK_PASSWORD_HASHING", "fast")  # argon2 at full cost is 0.35 s a hash
os.environ.setdefault("SCOBANK_RATE_PER_CLIENT", "0")  # suites send bursts; tests of the limit set it
# The HS nomenclature's vectors are a derived cache keyed by model and texts: every test (the search
# service reads them too) shares one folder that survives the run; the first run embeds ~17,000 texts.
os.environ.setdefault("SCOBANK_AI_CACHE_DIR", str(REPO / "var" / "ai-cache"))


def _data_dir() -> Path | None:
    from scobank.config import Settings

    return Settings().resolved_data_dir


DATA_DIR = _data_dir()


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if {"bank", "_template"} & set(getattr(item, "fixturenames", ())):  # a bank, or a copy of its template
            item.add_marker(pytest.mark.db)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "db: uses a bank (runs again on PostgreSQL in make test)")
    config.addinivalue_line("markers", "open_demo(*slugs, read_only=False): in tests/web, the test's bank holds "
                                       "these demo datasets open to everyone (tests/web/conftest.py `bank`)")


@pytest.fixture(scope="session", autouse=True)
def _started() -> None:
    """The areas wired as the app and the CLI wire them at start-up (scobank.bank.start): tests call
    services directly too."""
    from scobank.bank import start

    start()


@pytest.fixture(scope="session")
def standalone_master(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test session's one Spark standalone cluster (a master and two worker JVMs on 127.0.0.1,
    tests/spark_cluster.py), started when a test first asks for it: its master URL. Modules use it
    through `spark_cluster.on_cluster`, which stops their driver session when they end."""
    from spark_cluster import standalone_cluster

    with standalone_cluster(tmp_path_factory.mktemp("spark-cluster")) as master:
        yield master


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data in ../shared/data (SCOBANK_DATA_DIR). Tests that need it fail loudly without it."""
    if DATA_DIR is None:
        pytest.fail("SCOBANK_DATA_DIR is not set and ../shared/data does not exist")
    return DATA_DIR


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class Bank:
    """A clean bank for one test: its home folder, database URL, sessions and the CLI."""

    home: Path
    url: str

    def session(self):
        from scobank.db import session_scope

        return session_scope()

    def cli(self, *args: str, input: str | None = None) -> CliResult:
        """Run `scobank ARGS` in-process, exactly as the command's `main` does (errors mapped)."""
        from scobank.cli import main

        out, err = io.StringIO(), io.StringIO()
        old_argv, old_stdin = sys.argv, sys.stdin
        sys.argv = ["scobank", *[str(a) for a in args]]
        sys.stdin = io.StringIO(input or "")
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.argv, sys.stdin = old_argv, old_stdin
        return CliResult(code, out.getvalue(), err.getvalue())


def _configure(monkeypatch: pytest.MonkeyPatch, home: Path, url: str) -> None:
    from scobank.config import reset_settings
    from scobank.db import reset_engines

    monkeypatch.setenv("SCOBANK_HOME", str(home))
    monkeypatch.setenv("SCOBANK_DATABASE_URL", url)
    reset_settings()
    reset_engines()


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A migrated, reference-loaded bank made once per worker; each test copies it."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("template-home")
    if PG_ADMIN_URL:
        name = f"tpl_{uuid.uuid4().hex[:10]}"
        _pg_exec(f'CREATE DATABASE "{name}"')
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{home / 'bank.db'}"
    _configure(mp, home, url)
    from scobank.bank import init_bank
    from scobank.db import reset_engines

    init_bank()
    reset_engines()
    yield url, home
    mp.undo()
    if PG_ADMIN_URL:
        _pg_exec(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')


def _pg_exec(statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def copy_bank(template: tuple[str, Path], home: Path) -> str:
    """A new bank copied from `template` (a database URL and a home folder nobody is connected to):
    its home folder is `home`; returns its database URL."""
    template_url, template_home = template
    shutil.copytree(template_home, home, ignore=shutil.ignore_patterns("bank.db*"))
    if PG_ADMIN_URL:
        name = f"t_{uuid.uuid4().hex[:12]}"
        _pg_exec(f'CREATE DATABASE "{name}" TEMPLATE "{template_url.rsplit("/", 1)[1]}"')
        return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    shutil.copyfile(template_home / "bank.db", home / "bank.db")
    return f"sqlite:///{home / 'bank.db'}"


def drop_bank(url: str) -> None:
    """Close every connection to the bank at `url` and, on PostgreSQL, drop its database."""
    from scobank.db import reset_engines

    reset_engines()
    if PG_ADMIN_URL:
        _pg_exec(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')


def bank_copied_from(template: tuple[str, Path], home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bank]:
    """A copy of `template` at `home`, configured for one test and dropped after it."""
    url = copy_bank(template, home)
    _configure(monkeypatch, home, url)
    yield Bank(home=home, url=url)
    drop_bank(url)


@pytest.fixture
def bank(_template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bank]:
    yield from bank_copied_from(_template, tmp_path / "home", monkeypatch)


# The published datasets matching (distances, country prior, product space) and the product-space layout
# read through the gate, as `scobank demo` publishes them.
REFERENCE_DATASETS = ("cepii-geodist", "sitc2-exports-1998-2000", "atlas-hs92-products", "atlas-hs92-product-space",
                      "atlas-sitc2-products")


@pytest.fixture
def reference_datasets(bank, data_dir) -> tuple[str, ...]:
    """Publish REFERENCE_DATASETS from the real data into this test's bank, open to everyone."""
    from scobank.access import policies
    from scobank.catalog.refs import ref_by_slug
    from scobank.demo.datasets import publish_one

    with bank.session() as session:
        for slug in REFERENCE_DATASETS:
            publish_one(session, slug, data_dir=data_dir)
            policies.set_dataset_policy(session, dataset=ref_by_slug(session, slug), document={"audience": "public"},
                                        actor="tests")
    return REFERENCE_DATASETS


# The product-level datasets of the members: India's EIDB exports and BACI's crude-oil flows of 2021.
PRODUCT_LEVEL_DATASETS = ("india-eidb-exports-to-sco-fy2017-2024", "baci-crude-oil-2021")


@pytest.fixture
def product_level_datasets(bank, data_dir) -> tuple[str, ...]:
    """Publish PRODUCT_LEVEL_DATASETS from the real data into this test's bank (no policy: members only)."""
    from scobank.demo.datasets import publish_one

    with bank.session() as session:
        for slug in PRODUCT_LEVEL_DATASETS:
            publish_one(session, slug, data_dir=data_dir)
        session.commit()
    return PRODUCT_LEVEL_DATASETS
