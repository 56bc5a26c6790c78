"""Moving an embedded bank's metadata onto PostgreSQL: `scobank move-metadata --to URL`.

The metadata store is the only thing that moves. The lake (content-addressed Parquet files), the
signing keys and `secret.key` stay in SCOBANK_HOME, which every API worker mounts at the same path
(docs/deploy.md). The move:

1. brings the SQLite store to the newest schema and creates that schema in the target, which must be
   an empty PostgreSQL database (a half-filled target is refused, never merged into);
2. copies every table of the schema in foreign-key order, in batches, in one transaction of the target
   (an error leaves the target without any of the rows);
3. sets each id sequence past the largest copied id, so the next published version gets a fresh id;
4. checks that every table holds as many rows as the source and walks the ledger's hash chain in the
   target, so the move is proved, not assumed.

Run it with the server stopped: rows written to SQLite after the copy began would be left behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, Integer, Table, func, inspect, select
from sqlalchemy.orm import Session

from scobank.access.ledger import verify
from scobank.db import engine_for, get_engine, load_models, migrate
from scobank.errors import BadRequest, Conflict

BATCH = 5_000


@dataclass
class MoveReport:
    """What was moved: rows per table, the ledger's verdict in the target, and where to."""

    target: str
    rows: dict[str, int] = field(default_factory=dict)
    ledger: str = ""

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def move_metadata(target_url: str) -> MoveReport:
    """Copy the configured SQLite metadata store into the empty PostgreSQL database at `target_url`."""
    source = get_engine()
    if source.dialect.name != "sqlite":
        raise BadRequest("this bank's metadata is already on "
                         f"{source.dialect.name}: move-metadata moves an embedded (SQLite) bank")
    if not target_url.startswith("postgresql"):
        raise BadRequest(f"--to must be a PostgreSQL URL (postgresql+psycopg://user@host:port/db), not {target_url!r}")
    target = engine_for(target_url)
    _require_empty(target)
    migrate(source.url.render_as_string(hide_password=False))
    migrate(target_url)
    tables = load_models().sorted_tables
    report = MoveReport(target=target.url.render_as_string(hide_password=True))
    with source.connect() as reading, target.begin() as writing:
        for table in reversed(tables):  # rows the migrations seeded give way to the source's
            writing.execute(table.delete())
        for table in tables:
            report.rows[table.name] = _copy(table, reading, writing)
        for table in tables:
            _advance_sequence(table, writing)
        _check_counts(tables, reading, writing)
    with Session(bind=target) as session:
        verdict = verify(session)
    if not verdict.ok:
        raise Conflict(f"the ledger moved to {report.target} does not verify: {verdict.message}")
    report.ledger = verdict.message
    return report


def _require_empty(target: Engine) -> None:
    with target.connect() as conn:
        present = inspect(conn).get_table_names()
    if present:
        raise Conflict(f"{target.url.render_as_string(hide_password=True)} already holds tables "
                       f"({', '.join(sorted(present)[:5])}…): move into a new, empty database")


def _copy(table: Table, reading: Connection, writing: Connection) -> int:
    copied = 0
    result = reading.execution_options(stream_results=True).execute(select(table))
    while batch := result.fetchmany(BATCH):
        writing.execute(table.insert(), [row._asdict() for row in batch])
        copied += len(batch)
    return copied


def _advance_sequence(table: Table, writing: Connection) -> None:
    """After explicit ids were inserted, PostgreSQL's sequence still starts at 1: set it past the largest."""
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not isinstance(keys[0].type, Integer) or keys[0].autoincrement is False:
        return
    column = keys[0]
    sequence = writing.execute(select(func.pg_get_serial_sequence(table.name, column.name))).scalar()
    if sequence is None:  # an integer key the rows choose themselves (no sequence behind it)
        return
    largest = writing.execute(select(func.max(column))).scalar()
    writing.execute(select(func.setval(sequence, largest or 1, largest is not None)))


def _check_counts(tables: list[Table], reading: Connection, writing: Connection) -> None:
    for table in tables:
        count = select(func.count()).select_from(table)
        before, after = reading.execute(count).scalar(), writing.execute(count).scalar()
        if before != after:
            raise Conflict(f"table {table.name}: {before} rows in SQLite but {after} in the target; nothing was kept")
