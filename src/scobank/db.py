"""The metadata store: one SQLAlchemy engine per URL, sessions, migrations.

SQLite (WAL, foreign keys on) by default; PostgreSQL through SCOBANK_DATABASE_URL. Each area owns its
tables in `<area>/models.py`; `MODEL_MODULES` lists them so Alembic and tests see the whole schema.
Services never commit: the caller (a request, a CLI command) owns the transaction via `session_scope`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from pydantic import Field
from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from scobank.config import Settings, get_settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Every module that defines tables. Alembic's env and the schema-drift test import all of them.
MODEL_MODULES = (
    "scobank.reference.models",
    "scobank.catalog.models",
    "scobank.access.models",
    "scobank.analytics.models",
    "scobank.mail.models",
    "scobank.exchange.models",
    "scobank.ai.models",
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


MAX_ID = 2**31 - 1  # the largest INTEGER of PostgreSQL (our id columns): a larger id never reaches the driver
# A row id in a request body: positive and within BIGINT (else a 422 naming the field, not a 500).
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


RowChanged = Callable[[Connection, int], None]  # (the flushing connection, the row's id)
_WATCHED: set[tuple[type, RowChanged]] = set()


def on_row_change(model: type, callback: RowChanged) -> None:
    """Call `callback(connection, id)` after a row of `model` is updated or deleted, in the flush's
    transaction; once per (model, callback), however often asked. The owning area exposes this for its
    own tables (e.g. `catalog.index_feed.on_dataset_change`), so a listener needs no foreign model."""
    if (model, callback) in _WATCHED:
        return
    _WATCHED.add((model, callback))

    def changed(_mapper, connection, target) -> None:
        callback(connection, target.id)

    for name in ("after_update", "after_delete"):
        event.listen(model, name, changed)


def load_models() -> MetaData:
    for name in MODEL_MODULES:
        importlib.import_module(name)
    return Base.metadata


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_ENGINES: dict[str, Engine] = {}
# The sessionmaker of the current settings (so of one URL): each sessionmaker is a new Session subclass
# whose event dispatch SQLAlchemy sets up on first use (about 0.3 ms), and resolving the URL's path costs
# system calls; a factory made per transaction paid both every time.
_FACTORY: tuple[Settings, sessionmaker[Session]] | None = None


def engine_for(url: str) -> Engine:
    if url not in _ENGINES:
        _ENGINES[url] = _create(url)
    return _ENGINES[url]


# Connections beyond the server's admitted requests (scobank.api.admission): background work such as
# a refusal recorded after its request's rollback. A checkout that still finds the pool empty fails
# after POOL_TIMEOUT seconds (the API answers 503), instead of a 30 s stall.
POOL_MARGIN = 4
POOL_TIMEOUT = 10


def _pool_options() -> dict:
    size = get_settings().max_concurrent_requests + POOL_MARGIN
    return {"pool_size": size, "max_overflow": POOL_MARGIN, "pool_timeout": POOL_TIMEOUT}


def _create(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        options = _pool_options() if path and path != ":memory:" else {}
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, **_pool_options())
    return engine


def get_engine() -> Engine:
    return engine_for(get_settings().resolved_database_url)


def session_factory() -> sessionmaker[Session]:
    global _FACTORY
    settings = get_settings()
    if _FACTORY is None or _FACTORY[0] is not settings:
        _FACTORY = (settings, sessionmaker(bind=engine_for(settings.resolved_database_url), expire_on_commit=False))
    return _FACTORY[1]


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction: commit when the block ends normally, roll back on any exception."""
    session = session_factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A SAVEPOINT in the session's transaction: everything inside is undone together on an exception,
    and the transaction goes on. On SQLite the transaction is begun first: Python's sqlite3 opens one
    only before an INSERT/UPDATE/DELETE, and a SAVEPOINT outside a transaction starts its own, which
    its RELEASE would commit."""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
    with session.begin_nested():
        yield


def migrate(url: str | None = None) -> None:
    """Bring the database at `url` (default: the configured one) to the newest schema (all heads)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or get_settings().resolved_database_url).replace("%", "%%"))
    command.upgrade(cfg, "heads")


def reset_engines() -> None:
    """Close every pooled connection (tests switch databases between cases)."""
    global _FACTORY
    _FACTORY = None
    while _ENGINES:
        _ENGINES.popitem()[1].dispose()
