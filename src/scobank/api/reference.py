"""REST endpoints of the reference area (thin: parse, call a service, return its public shape)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query

from scobank.deps import DbSession, RequirePlatformAdmin
from scobank.reference import directory
from scobank.stewardship import parties as party_statuses_service
from scobank.reference.schemas import (
    CountryPublic,
    HsCodePublic,
    PartiesPublic,
    PartyPeriodPublic,
    PartyStatusSet,
)

router = APIRouter(tags=["reference"])


@router.get("/reference/countries", response_model=list[CountryPublic])
def list_countries(session: DbSession) -> list[CountryPublic]:
    """Every country with its codes and names (and the INT pseudo-party of international bodies)."""
    return directory.list_countries(session)


@router.get("/reference/parties", response_model=PartiesPublic)
def list_parties(session: DbSession, on: dt.date | None = None) -> PartiesPublic:
    """SCO members, observers and partners on day `on` (default: today)."""
    return directory.parties_on(session, on)


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


@router.get("/reference/hs/{revision}/{code}", response_model=HsCodePublic)
def get_hs_code(revision: str, code: str, session: DbSession) -> HsCodePublic:
    """One HS code of one revision with descriptions in en/ru/zh (missing ones marked "[en] ...")."""
    return directory.hs_code(session, revision=revision, code=code)


@router.get("/reference/hs/{revision}", response_model=list[HsCodePublic])
def list_hs_codes(revision: str, session: DbSession,
                  prefix: str = Query("", max_length=6, pattern=r"^\d*$"),
                  limit: int = Query(200, ge=1, le=10000)) -> list[HsCodePublic]:
    """Codes of one revision starting with `prefix` (e.g. 72 for iron and steel), in code order."""
    return directory.hs_codes(session, revision=revision, prefix=prefix, limit=limit)
