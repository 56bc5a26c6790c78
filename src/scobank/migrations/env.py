"""Alembic environment. Each area has its own branch of revisions (`<area>_NNNN_*.py`, branch label =
area name); `scobank.db.migrate` upgrades to all heads. A test compares the migrated schema with the
models, so a model change without a migration fails the suite."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from scobank.db import load_models

target_metadata = load_models()
config = context.config


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """`make.py` limits a new revision to one area's tables."""
    only = config.attributes.get("only_tables")
    if only is None:
        return True
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.name in only


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        context.configure(connection=connectable, target_metadata=target_metadata, render_as_batch=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
