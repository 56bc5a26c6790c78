"""The reference data's texts as search reads them: every product code of a classification with its
names by language, a cheap token that changes when they change, and the countries and parties with
their names."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable

from sqlalchemy import Engine, String, cast, func, select
from sqlalchemy.orm import Session

from scobank.reference.models import ClassificationCode, Country, HsCode
from scobank.reference.parties import statuses_on


def product_texts(session: Session, classification: str, *, prefix: str = "",
                  codes: Iterable[str] | None = None) -> dict[str, dict]:
    """code -> {lang: name, ...} (HS22: the `descriptions`, with "derived" where a name is derived;
    others: the classification's `names`) for every code of `classification` starting with `prefix`
    (and among `codes`, when given)."""
    if classification.upper().startswith("HS"):
        column, query = HsCode.code, select(HsCode.code, HsCode.descriptions).where(
            HsCode.revision == classification.upper())
    else:
        column, query = ClassificationCode.code, select(ClassificationCode.code, ClassificationCode.names).where(
            ClassificationCode.classification == classification)
    query = query.where(column.startswith(prefix))
    if codes is not None:
        query = query.where(column.in_(sorted(set(codes))))
    return {code: dict(texts or {}) for code, texts in session.execute(query)}


TOKEN_SECONDS = 5.0  # a background thread re-reads each watched token this often
IDLE_SECONDS = 300.0  # a token no search asked for this long is no longer watched
_TOKENS: dict[tuple[str, str], tuple] = {}
_WATCHED: dict[tuple[str, str], tuple[Engine, float]] = {}  # key -> (engine, last asked, monotonic)
_STATE = {"generation": 0, "watcher": None}
_LOCK = threading.Lock()
log = logging.getLogger(__name__)


def forget_product_texts() -> None:
    """Called by the loaders after they write names: the next token is read from the database."""
    with _LOCK:
        _STATE["generation"] += 1
        _TOKENS.clear()


def product_texts_token(session: Session, classification: str) -> tuple:
    """Changes whenever a text of `classification` is added, removed or edited. The aggregate (tens of
    ms over every HS code) is read on the request path only the first time (and after this process's
    loaders forgot it); then a background thread re-reads it every TOKEN_SECONDS, so a name changed by
    another process shows within seconds and a search never waits for the check."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    key = (str(engine.url), classification)
    token = _TOKENS.get(key)
    _WATCHED[key] = (engine, time.monotonic())
    if token is None:
        generation = _STATE["generation"]
        token = _product_texts_token(session, classification)
        with _LOCK:
            if generation == _STATE["generation"]:
                _TOKENS[key] = token
        _start_watcher()
    return token


def _start_watcher() -> None:
    with _LOCK:
        watcher = _STATE["watcher"]
        if watcher is None or not watcher.is_alive():
            watcher = threading.Thread(target=_watch, name="product-texts-token", daemon=True)
            _STATE["watcher"] = watcher
            watcher.start()


def _watch() -> None:
    while True:
        time.sleep(TOKEN_SECONDS)
        refresh_product_texts_tokens()


def refresh_product_texts_tokens() -> None:
    """Re-reads every watched token (the watcher's one pass); one asked for by no search for
    IDLE_SECONDS, or whose database no longer answers, is dropped (read again when next asked)."""
    now = time.monotonic()
    for key, (engine, asked) in list(_WATCHED.items()):
        if now - asked > IDLE_SECONDS:
            _drop(key)
            continue
        generation = _STATE["generation"]
        try:
            with Session(engine) as session:
                token = _product_texts_token(session, key[1])
        except Exception as exc:  # noqa: BLE001 - a gone test database or a dropped connection
            log.debug("product texts token of %s not read: %s", key[1], exc)
            _drop(key)
            continue
        with _LOCK:
            if generation == _STATE["generation"] and key in _TOKENS:
                _TOKENS[key] = token


def _drop(key: tuple[str, str]) -> None:
    with _LOCK:
        _WATCHED.pop(key, None)
        _TOKENS.pop(key, None)


def _product_texts_token(session: Session, classification: str) -> tuple:
    if classification.upper().startswith("HS"):
        column, where = HsCode.descriptions, HsCode.revision == classification.upper()
    else:
        column, where = ClassificationCode.names, ClassificationCode.classification == classification
    return tuple(session.execute(select(func.count(), func.sum(func.length(cast(column, String)))).where(where)).one())


def party_names(session: Session, on: dt.date | None = None) -> dict[str, tuple[str, dict[str, str]]]:
    """iso3 -> (status on day `on`, names by language) of every party (member, observer, partner)."""
    statuses = statuses_on(session, on or dt.date.today())
    rows = session.execute(select(Country.iso3, Country.names).where(Country.iso3.in_(list(statuses))))
    return {iso3: (statuses[iso3], {k: v for k, v in (names or {}).items() if isinstance(v, str)})
            for iso3, names in rows}


def country_texts(session: Session, codes: Iterable[str]) -> dict[str, dict]:
    """iso3 -> the country's names ({lang: name, ..., "aliases": [...]}) of each of `codes` the bank
    knows (unknown codes are left out)."""
    rows = session.execute(select(Country.iso3, Country.names).where(Country.iso3.in_(sorted(set(codes)))))
    return {iso3: dict(names or {}) for iso3, names in rows}

