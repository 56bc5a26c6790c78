"""Reference data as readers ask for it: countries, the SCO parties on a day, HS codes by revision
(the services behind /api/v1/reference and the portal's home and member pages)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.errors import NotFound
from scobank.reference.lookup import hs_description, normalise_hs_code, party_statuses, text_in
from scobank.reference.models import Country, HsCode
from scobank.reference.schemas import CountryPublic, HsCodePublic, PartiesPublic, PartyPublic


def _names(names: dict) -> dict[str, str]:
    return {k: v for k, v in names.items() if k != "aliases" and isinstance(v, str)}


def list_countries(session: Session) -> list[CountryPublic]:
    """Every country with its codes and names (and the INT pseudo-party of international bodies)."""
    rows = session.scalars(select(Country).order_by(Country.iso3)).all()
    return [CountryPublic(iso3=c.iso3, iso2=c.iso2, numeric=c.numeric, baci_code=c.baci_code,
                          name=_names(c.names), region=c.region, currency=c.currency, kind=c.kind) for c in rows]


def parties_on(session: Session, on: dt.date | None = None) -> PartiesPublic:
    """SCO members, observers and partners on day `on` (default: today), with their names."""
    day = on or dt.date.today()
    statuses = party_statuses(session, day)
    return PartiesPublic(on=day, parties=[PartyPublic(iso3=i, status=s, name=_names(session.get(Country, i).names))
                                          for i, s in statuses.items()])


def _public(row: HsCode) -> HsCodePublic:
    texts = {lang: text_in(row.descriptions, lang) for lang in ("en", "ru", "zh")}
    return HsCodePublic(revision=row.revision, code=row.code, level=row.level, parent=row.parent,
                        section=row.section, description=texts)


def hs_code(session: Session, *, revision: str, code: str) -> HsCodePublic:
    """One HS code of one revision with descriptions in en/ru/zh (missing ones marked "[en] ...").
    Raises NotFound for an unknown revision or code."""
    hs_description(session, revision, "00")  # raises NotFound for an unknown revision
    row = session.get(HsCode, (revision.upper(), normalise_hs_code(code)))
    if row is None:
        raise NotFound(f"HS code {code!r} does not exist in {revision.upper()}")
    return _public(row)


def hs_codes(session: Session, *, revision: str, prefix: str = "", limit: int = 200) -> list[HsCodePublic]:
    """Codes of one revision starting with `prefix`, in code order. Raises NotFound for an unknown revision."""
    hs_description(session, revision, "00")
    rows = session.scalars(select(HsCode).where(HsCode.revision == revision.upper())
                           .where(HsCode.code.startswith(prefix, autoescape=True))
                           .order_by(HsCode.code).limit(limit)).all()
    return [_public(r) for r in rows]
