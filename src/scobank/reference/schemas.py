"""The public shapes of reference data, as the API returns them and the portal shows them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


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
