"""The reference data's texts as search reads them: every product code of a classification with its
names by language, a cheap token that changes when they change (their stamp), and the countries and parties with
their names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.reference.models import ClassificationCode, Country, HsCode, PartyStatus
from scobank.reference.name_stamps import names_stamp


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


def product_texts_token(session: Session, classification: str) -> str:
    """Changes whenever a text of `classification` is added, removed or edited: the classification's
    names stamp (`scobank.reference.name_stamps`), one row read by key."""
    return names_stamp(session, classification.upper() if classification.upper().startswith("HS") else classification)


def party_names(session: Session, on: dt.date | None = None) -> dict[str, tuple[str, dict[str, str]]]:
    """iso3 -> (status on day `on`, names by language) of every party (member, observer, partner): one
    SELECT of the periods holding on that day (as `statuses_on` reads them) joined to the names."""
    on = on or dt.date.today()
    rows = session.execute(select(PartyStatus.iso3, PartyStatus.status, Country.names)
                           .join(Country, Country.iso3 == PartyStatus.iso3)
                           .where(PartyStatus.valid_from <= on)
                           .where(PartyStatus.valid_to.is_(None) | (PartyStatus.valid_to > on))
                           .order_by(PartyStatus.iso3))
    return {iso3: (status, {k: v for k, v in (names or {}).items() if isinstance(v, str)})
            for iso3, status, names in rows}


def country_texts(session: Session, codes: Iterable[str]) -> dict[str, dict]:
    """iso3 -> the country's names ({lang: name, ..., "aliases": [...]}) of each of `codes` the bank
    knows (unknown codes are left out)."""
    rows = session.execute(select(Country.iso3, Country.names).where(Country.iso3.in_(sorted(set(codes)))))
    return {iso3: dict(names or {}) for iso3, names in rows}

