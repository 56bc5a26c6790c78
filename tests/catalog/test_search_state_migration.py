"""search_index_state moved from the reference branch to the catalog's (reference_0005 hands it over,
catalog_0002 takes it): a bank migrated before the move keeps its row."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

import scobank.db


def _config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(scobank.db.__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def test_the_stamp_survives_the_move_to_the_catalog_branch_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = _config(url)
    command.upgrade(cfg, "reference_0004")  # with catalog_0001 and the rest it depends on: before the move
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO search_index_state (id, stamp) VALUES (1, 'before-the-move')"))
    command.upgrade(cfg, "heads")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT stamp FROM search_index_state")).scalar_one() == "before-the-move"
        assert "search_index_state_handover" not in inspect(conn).get_table_names()
        heads = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    assert any(h.startswith("catalog_") and h >= "catalog_0002" for h in heads)  # 0002 or a later one
    command.downgrade(cfg, "catalog_0001")
    with engine.connect() as conn:  # back in the hands of the reference branch, row kept
        assert "search_index_state_handover" in inspect(conn).get_table_names()
    command.downgrade(cfg, "reference_0004")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT stamp FROM search_index_state")).scalar_one() == "before-the-move"
    engine.dispose()
