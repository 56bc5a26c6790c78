"""REST endpoints of the reference area (thin: parse, call a service, return its public shape)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from scobank.api.deps import DbSession, RequirePlatformAdmin
from scobank.errors import NotFound
from scobank.reference.lookup import hs_description, normalise_hs_code, party_statuses, text_in
from scobank.reference.models import Country, HsCode
from scobank.stewardship import parties as party_statuses_service

router = APIRouter(tags=["reference"])


class CountryPublic(BaseModel):
    iso3: str
    iso2: str | None
    numeric: int | None
    baci_code: int | None
    name: dict[str, str]
    region: str | None
    currency: str | None
    kind: str


class PartyPublic(BaseModel):
    iso3: str
    status: str
    name: dict[str, str]


class PartiesPublic(BaseModel):
    on: dt.date
    parties: list[PartyPublic]


class PartyStatusSet(BaseModel):
    status: str = Field(description="member, observer or partner")
    valid_from: dt.date
    valid_to: dt.date | None = Field(None, description="first day it no longer holds; none = open")
    source: str = Field("edited by an administrator", max_length=200, description="the decision behind it")


class PartyPeriodPublic(BaseModel):
    iso3: str
    status: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str | None


class HsCodePublic(BaseModel):
    revision: str
    code: str
    level: int
    parent: str | None
    section: str | None
    description: dict[str, str | None]


def _names(names: dict) -> dict[str, str]:
    return {k: v for k, v in names.items() if k != "aliases" and isinstance(v, str)}


@router.get("/reference/countries", response_model=list[CountryPublic])
def list_countries(session: DbSession) -> list[CountryPublic]:
    """Every country with its codes and names (and the INT pseudo-party of international bodies)."""
    rows = session.scalars(select(Country).order_by(Country.iso3)).all()
    return [CountryPublic(iso3=c.iso3, iso2=c.iso2, numeric=c.numeric, baci_code=c.baci_code,
                          name=_names(c.names), region=c.region, currency=c.currency, kind=c.kind) for c in rows]


@router.get("/reference/parties", response_model=PartiesPublic)
def list_parties(session: DbSession, on: dt.date | None = None) -> PartiesPublic:
    """SCO members, observers and partners on day `on` (default: today)."""
    day = on or dt.date.today()
    statuses = party_statuses(session, day)
    return PartiesPublic(on=day, parties=[PartyPublic(iso3=i, status=s, name=_names(session.get(Country, i).names))
                                          for i, s in statuses.items()])


@router.put("/reference/parties/{party}", response_model=PartyPeriodPublic)
def set_party_status(party: str, body: PartyStatusSet, session: DbSession,
                     admin: RequirePlatformAdmin) -> PartyPeriodPublic:
    """(Platform administrators) the country `party` (ISO3) holds `status` over [valid_from, valid_to);
    overlapping periods of that country are shortened or replaced."""
    row = party_statuses_service.set_party_status(
        session, iso3=party.upper(), status=body.status, valid_from=body.valid_from, valid_to=body.valid_to,
        source=f"{body.source} ({admin.email})", actor=admin)
    return PartyPeriodPublic(iso3=row.iso3, status=row.status, valid_from=row.valid_from, valid_to=row.valid_to,
                             source=row.source)


def _public(row: HsCode) -> HsCodePublic:
    texts = {lang: text_in(row.descriptions, lang) for lang in ("en", "ru", "zh")}
    return HsCodePublic(revision=row.revision, code=row.code, level=row.level, parent=row.parent,
                        section=row.section, description=texts)


@router.get("/reference/hs/{revision}/{code}", response_model=HsCodePublic)
def get_hs_code(revision: str, code: str, session: DbSession) -> HsCodePublic:
    """One HS code of one revision with descriptions in en/ru/zh (missing ones marked "[en] ...")."""
    hs_description(session, revision, "00")  # raises NotFound for an unknown revision
    row = session.get(HsCode, (revision.upper(), normalise_hs_code(code)))
    if row is None:
        raise NotFound(f"HS code {code!r} does not exist in {revision.upper()}")
    return _public(row)


@router.get("/reference/hs/{revision}", response_model=list[HsCodePublic])
def list_hs_codes(revision: str, session: DbSession,
                  prefix: str = Query("", max_length=6, pattern=r"^\d*$"),
                  limit: int = Query(200, ge=1, le=10000)) -> list[HsCodePublic]:
    """Codes of one revision starting with `prefix` (e.g. 72 for iron and steel), in code order."""
    hs_description(session, revision, "00")
    rows = session.scalars(select(HsCode).where(HsCode.revision == revision.upper())
                           .where(HsCode.code.startswith(prefix, autoescape=True))
                           .order_by(HsCode.code).limit(limit)).all()
    return [_public(r) for r in rows]
