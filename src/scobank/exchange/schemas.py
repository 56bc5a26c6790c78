"""Shapes the exchange shows and accepts (API, CLI --json). Table models never leave the server.

Anonymity: `EnterpriseCard` is what anyone sees of an enterprise (country, sectors, size band); names,
places and contacts are in `EnterprisePrivate` for the owner, and `Contacts` after mutual interest.
"""

from __future__ import annotations

import re

from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from scobank.exchange.kinds import SIZE_BANDS
from scobank.db import DbId
from scobank.timestamps import StoredUtcDateTime, UtcDateTime

LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


def _check_langs(value: dict[str, str]) -> dict[str, str]:
    for key in value:
        if not LANG.match(key):
            raise ValueError(f"{key!r} is not a language code such as 'en', 'ru' or 'zh'")
    return value


class Texts(BaseModel):
    """Texts by language, with the author's language marked original."""

    original_language: str = "en"

    @model_validator(mode="after")
    def _original_present(self):
        title = getattr(self, "title", None) or getattr(self, "name", None)
        if title is not None and self.original_language not in title:
            raise ValueError(f"the text in the original language {self.original_language!r} is missing")
        return self


class EnterpriseCreate(Texts):
    name: dict[str, str] = Field(min_length=1)
    description: dict[str, str] = Field(default_factory=dict)
    party: str | None = Field(default=None, description="ISO3; default: the reader's party")
    region: str | None = None
    city: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    sectors: list[str] = Field(default_factory=list, description="ISIC rev. 4 codes")
    products: list[str] = Field(default_factory=list, description="HS codes, 2, 4 or 6 digits")
    certifications: list[str] = Field(default_factory=list)
    size_band: str = "small"
    languages: list[str] = Field(default_factory=list)
    contacts: dict[str, str] = Field(default_factory=dict, description="private until mutual interest")

    _langs = field_validator("name", "description")(lambda cls, v: _check_langs(v))

    @field_validator("size_band")
    @classmethod
    def _size(cls, value):
        if value not in SIZE_BANDS:
            raise ValueError(f"size_band must be one of {', '.join(SIZE_BANDS)}")
        return value

    @field_validator("products")
    @classmethod
    def _products(cls, value):
        from scobank.exchange.kinds import normalise_hs

        return [normalise_hs(v) for v in value]


class EnterpriseUpdate(BaseModel):
    name: dict[str, str] | None = None
    description: dict[str, str] | None = None
    region: str | None = None
    city: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    sectors: list[str] | None = None
    products: list[str] | None = None
    certifications: list[str] | None = None
    size_band: str | None = None
    languages: list[str] | None = None
    contacts: dict[str, str] | None = None


class EnterpriseCard(BaseModel):
    """What anyone sees: no name, place or contact."""

    party: str
    sectors: list[str]
    size_band: str
    certifications: list[str]
    generated: bool
    # No certificate is checked by the bank: shown everywhere with this label.
    certifications_status: Literal["self-declared"] = "self-declared"
    # Countries whose steward verified the company's registry identifier (the "verified" badge).
    verified_in: list[str] = []


class EnterprisePrivate(EnterpriseCard):
    id: int
    name: dict[str, str]
    description: dict[str, str]
    original_language: str
    region: str | None
    city: str | None
    lat: float | None
    lon: float | None
    products: list[str]
    languages: list[str]
    contacts: dict[str, str]
    owner_user_id: int | None
    organisation_id: int | None
    created_at: UtcDateTime


class ListingCreate(Texts):
    enterprise_id: DbId
    kind: str
    title: dict[str, str] = Field(min_length=1)
    description: dict[str, str] = Field(default_factory=dict)
    details: dict = Field(default_factory=dict)
    expires_at: StoredUtcDateTime | None = Field(default=None, description="default: 90 days after publication")

    _langs = field_validator("title", "description")(lambda cls, v: _check_langs(v))


class ListingUpdate(BaseModel):
    title: dict[str, str] | None = None
    description: dict[str, str] | None = None
    details: dict | None = None
    expires_at: StoredUtcDateTime | None = None


class ListingPublic(BaseModel):
    id: int
    kind: str
    side: str
    status: str
    title: dict[str, str]
    description: dict[str, str]
    original_language: str
    details: dict
    hs_code: str | None
    expires_at: UtcDateTime
    published_at: UtcDateTime | None
    renewals: int
    generated: bool
    enterprise: EnterpriseCard
    mine: bool = False
    enterprise_id: int | None = Field(default=None, description="only shown to the owner")


class ListingPage(BaseModel):
    total: int
    items: list[ListingPublic]


class Contacts(BaseModel):
    """The counterpart revealed after mutual interest."""

    interest_id: int
    enterprise_id: int
    name: dict[str, str]
    party: str
    region: str | None
    city: str | None
    contacts: dict[str, str]
    generated: bool
