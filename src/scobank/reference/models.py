"""Tables of the reference area. Other areas reach them through `scobank.reference` services."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from scobank.db import Base


class Country(Base):
    """A country or territory. ISO 3166 alpha-3 is the key everywhere inside the bank."""

    __tablename__ = "countries"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str | None] = mapped_column(String(2))
    numeric: Mapped[int | None] = mapped_column(Integer, index=True)
    baci_code: Mapped[int | None] = mapped_column(Integer, index=True)
    names: Mapped[dict] = mapped_column(JSON, default=dict)  # {"en": ..., "ru": ..., "zh": ...}
    region: Mapped[str | None] = mapped_column(String(80))
    currency: Mapped[str | None] = mapped_column(String(3))
    # "country" (current ISO 3166-1), "historical" (ISO 3166-3: SUN, CSK, ... still found in trade data)
    # or "international": the reserved code INT, the "party" of international organisations
    # (OECD, World Bank, ...), which belong to no country. country_table() leaves INT out.
    kind: Mapped[str] = mapped_column(String(16), default="country", server_default="country")


class CountryCode(Base):
    """Another scheme's code for a country, e.g. every CEPII/BACI code, including old aliases
    (58 Belgium-Luxembourg -> BEL, 280 West Germany -> DEU) that `Country.baci_code` cannot hold."""

    __tablename__ = "country_codes"

    scheme: Mapped[str] = mapped_column(String(16), primary_key=True)  # "baci"
    code: Mapped[int] = mapped_column(Integer, primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), ForeignKey("countries.iso3"), index=True)


class PartyStatus(Base):
    """One period of a country's standing in the SCO: member, observer or partner, from-to dates."""

    __tablename__ = "party_statuses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), ForeignKey("countries.iso3"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # member | observer | partner
    valid_from: Mapped[date] = mapped_column(Date)  # first day of the status
    valid_to: Mapped[date | None] = mapped_column(Date)  # first day it no longer holds; None = still
    source: Mapped[str | None] = mapped_column(String(200))  # the decision, or who edited it


class HsCode(Base):
    """One code of one HS revision at level 2, 4 or 6, with descriptions by language."""

    __tablename__ = "hs_codes"

    revision: Mapped[str] = mapped_column(String(8), primary_key=True)  # "HS22", "HS17", ...
    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # zero-padded string
    level: Mapped[int] = mapped_column(Integer)
    parent: Mapped[str | None] = mapped_column(String(6))
    section: Mapped[str | None] = mapped_column(String(8))
    descriptions: Mapped[dict] = mapped_column(JSON, default=dict)


class ClassificationCode(Base):
    """One code of a product classification other than HS (SITC rev. 2, the OECD ICIO industries), with
    names by language; HS codes are `HsCode`. Read through `scobank.reference.products`."""

    __tablename__ = "classification_codes"

    classification: Mapped[str] = mapped_column(String(16), primary_key=True)  # "SITC2", "ICIO-ISIC4"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)  # as datasets write it: "3330", "C10T12"
    level: Mapped[int] = mapped_column(Integer)  # SITC digits (1..4); 1 for ICIO industries
    names: Mapped[dict] = mapped_column(JSON, default=dict)  # {"en": ...}


class ProductNamesStamp(Base):
    """One row per product classification ("HS22", "SITC2", ...): a stamp that every writer of its names
    (`HsCode.descriptions`, `ClassificationCode.names`) replaces in the same transaction
    (`scobank.reference.name_stamps`), so a process holding names in memory (the HS model, the SITC
    terms of search) learns of a change by reading one row by key instead of the names themselves."""

    __tablename__ = "product_name_stamps"

    classification: Mapped[str] = mapped_column(String(16), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


class HsConcordance(Base):
    """Share of a source code's trade that goes to a target code of another revision."""

    __tablename__ = "hs_concordance"

    from_revision: Mapped[str] = mapped_column(String(8), primary_key=True)
    from_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    to_revision: Mapped[str] = mapped_column(String(8), primary_key=True)
    to_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)


class ExchangeRate(Base):
    """Units of `currency` per USD for a year, with where the figure comes from."""

    __tablename__ = "exchange_rates"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    per_usd: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200))
