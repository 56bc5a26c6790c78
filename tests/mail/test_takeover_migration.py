"""The outbox and mail settings moved from the exchange's tables to the bank's mail area (mail_0001): a
bank migrated before the move keeps its users' languages, unsubscribe links, opt-outs and unsent mail,
and gets them back on a downgrade."""

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


def _old_rows(conn) -> None:
    conn.execute(text("INSERT INTO exchange_mail_settings (user_id, language, unsubscribe_token, unsubscribed_at, "
                      "updated_at) VALUES (7, 'ru', 'secret-7', '2026-01-02 03:04:05', '2026-01-01 00:00:00'), "
                      "(8, 'zh', 'secret-8', NULL, '2026-01-01 00:00:00')"))
    conn.execute(text("INSERT INTO exchange_outbox (id, to_address, subject, body, created_at, sent_at, user_id, "
                      "attempts, last_error) VALUES (41, 'a@firm.example', 'SCO exchange: interest', 'hello', "
                      "'2026-01-01 00:00:00', NULL, 8, 2, '451 try later')"))


def test_languages_opt_outs_and_unsent_mail_survive_the_move_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = _config(url)
    command.upgrade(cfg, "exchange_0006")
    engine = create_engine(url)
    with engine.begin() as conn:
        _old_rows(conn)
    command.upgrade(cfg, "heads")
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        settings = conn.execute(text("SELECT user_id, language, unsubscribe_token FROM mail_settings "
                                     "ORDER BY user_id")).all()
        optouts = conn.execute(text("SELECT user_id, stream FROM mail_optouts")).all()
        mail = conn.execute(text("SELECT id, stream, user_id, body, attempts, last_error, unsubscribe_path "
                                 "FROM mail_outbox")).all()
    assert not {"exchange_outbox", "exchange_mail_settings"} & tables
    assert [tuple(r) for r in settings] == [(7, "ru", "secret-7"), (8, "zh", "secret-8")]
    assert [tuple(r) for r in optouts] == [(7, "exchange")]
    assert [tuple(r) for r in mail] == [(41, "exchange", 8, "hello", 2, "451 try later", "/exchange/unsubscribe")]
    command.downgrade(cfg, "mail@base")
    with engine.connect() as conn:
        back = conn.execute(text("SELECT user_id, language, unsubscribed_at IS NOT NULL FROM exchange_mail_settings "
                                 "ORDER BY user_id")).all()
        outbox = conn.execute(text("SELECT id, body, attempts FROM exchange_outbox")).all()
        assert "mail_outbox" not in inspect(conn).get_table_names()
    assert [tuple(r) for r in back] == [(7, "ru", 1), (8, "zh", 0)]
    assert [tuple(r) for r in outbox] == [(41, "hello", 2)]
    engine.dispose()
