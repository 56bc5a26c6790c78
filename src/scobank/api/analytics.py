"""REST endpoints of the analytics area (thin: parse, call a service, return its public shape).

Inputs are datasets in the bank (`dataset` slug, optional `version`), read through the access gate
with purpose "statistics" and recorded in the ledger. Results are JSON tables (AnalyticsResult).
"""

from __future__ import annotations

from dataclasses import asdict
from enum import IntEnum
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from scobank.analytics import profile, service
from scobank.analytics.mirror import mirror_trade
from scobank.analytics.opportunities import Weights
from scobank.analytics.reader_labels import result_in
from scobank.analytics.service import AnalyticsResult
from scobank.analytics.country_sets import CountrySetName
from scobank.analytics.goods import ProductScope
from scobank.api.errors import error_language
from scobank.deps import CurrentReader, DbSession, VersionQuery
from scobank.reference.lookup import country_code


class HsLevel(IntEnum):
    """HS digits to aggregate products to (a query string "4" arrives as text: an int enum accepts it)."""

    chapter = 2
    heading = 4
    subheading = 6

router = APIRouter(prefix="/analytics", tags=["analytics"])
# The language periods and units are written in (`reader_labels`): `?lang=`, Accept-Language, English.
Lang = Annotated[str, Depends(error_language)]
Limit = Query(500, ge=1, le=100_000, description="Rows returned per table (rows_total gives the full count).")
Year = Annotated[int | None, Query(ge=1900, le=2100, description="a calendar year")]
Weight = Annotated[float, Query(ge=0, le=1, description="a weight between 0 and 1")]


CountrySetQuery = Query("ranked", description="ranked (default: the countries the Growth Lab ranks, plus "
                        "population >= 1M and goods trade >= US$1bn; products below 0.001% of world exports "
                        "dropped) or all (every country and product of the dataset)")
Products = Query("goods", description="goods (default: HS chapters 01-97, ICIO sectors A-C), services "
                 "(ICIO D-T) or all")


def _codes(text: str | None) -> list[str] | Literal["all"] | None:
    """Comma-separated country codes in the bank's form (lower case and withdrawn codes accepted);
    "all" (any case) for every country; None when not given (the service's default)."""
    if not text or not text.strip():
        return None
    if text.strip().lower() == "all":
        return "all"
    return [country_code(c) for c in text.split(",") if c.strip()]


@router.get("/complexity", response_model=AnalyticsResult)
def complexity(lang: Lang, session: DbSession, reader: CurrentReader, dataset: str = service.EXPORTS_DATASET,
               version: VersionQuery = None, convention: Literal["ecomplexity", "standardised"] = "ecomplexity",
               rca_cutoff: float = Query(1.0, gt=0, le=1000), year: Year = None, country_set: CountrySetName = CountrySetQuery,
               limit: int = Limit):
    """ECI, COI per country and PCI per product for one year of a country-product exports dataset, ranked
    within the stated country set (each country row: rank of `of`); the period and set in parameters."""
    answer = service.complexity(session, reader=reader, dataset=dataset, version=version, convention=convention,
                                rca_cutoff=rca_cutoff, year=year, country_set=country_set, limit=limit)
    return result_in(answer, lang)


@router.get("/substitution", response_model=AnalyticsResult)
def substitution(lang: Lang, session: DbSession, reader: CurrentReader, dataset: str = service.FLOWS_DATASET,
                 version: VersionQuery = None, level: HsLevel | None = None, importer: str | None = None,
                 products: ProductScope = Products, limit: int = Limit):
    """Import substitution inside the bloc (ANALYTICS.md): extra-bloc imports; the allocated measure
    (redirectable_supply, bloc_extra_imports, allocated_value, allocated_suppliers: additive over
    members); the per-importer upper bound (bloc_room, substitutable_value, suppliers: never summed).
    Parameters state the bloc per year, the unit, bloc totals (allocated only) and notices."""
    answer = service.substitution(session, reader=reader, dataset=dataset, version=version, level=int(level) if level else None,
                                  importer=importer, products=products, limit=limit)
    return result_in(answer, lang)


@router.get("/opportunities", response_model=AnalyticsResult)
def opportunities(lang: Lang, session: DbSession, reader: CurrentReader, dataset: str = service.ICIO_FLOWS_DATASET,
                  version: VersionQuery = None, member: str | None = None, w_density: Weight = 0.60,
                  w_pci: Weight = 0.15, w_cog: Weight = 0.25, bloc_year: Year = None,
                  products: ProductScope = Products, country_set: CountrySetName = CountrySetQuery,
                  limit: int = Limit):
    """Joint-production opportunities: feasibility (weights echoed) and attractiveness. Default input: the
    OECD ICIO 2022 intermediate flows by sector, goods sectors; `bloc_year` fixes the bloc (default: the
    data's year); density, PCI and COG over the stated `country_set` (echoed with its size)."""
    answer = service.opportunity_table(session, reader=reader, dataset=dataset, version=version, member=member,
                                       weights=Weights(w_density, w_pci, w_cog), bloc_year=bloc_year,
                                       products=products, country_set=country_set, limit=limit)
    return result_in(answer, lang)


@router.get("/complementarity", response_model=AnalyticsResult)
def complementarity(lang: Lang, session: DbSession, reader: CurrentReader, dataset: str = service.FLOWS_DATASET,
                    version: VersionQuery = None, countries: str | None = None, limit: int = Limit):
    """Trade complementarity, intensity and export similarity for pairs of `countries` (comma-separated)."""
    answer = service.complementarity(session, reader=reader, dataset=dataset, version=version,
                                     countries=_codes(countries), limit=limit)
    return result_in(answer, lang)


@router.get("/overview", response_model=AnalyticsResult)
def overview(lang: Lang, session: DbSession, reader: CurrentReader, dataset: str = service.FLOWS_DATASET,
             version: VersionQuery = None, countries: str | None = None, limit: int = Limit):
    """Exports, imports, balance, growth, shares and concentration per country and year."""
    answer = service.overview(session, reader=reader, dataset=dataset, version=version,
                              countries=_codes(countries), limit=limit)
    return result_in(answer, lang)


@router.get("/dependency", response_model=AnalyticsResult)
def dependency(lang: Lang, session: DbSession, reader: CurrentReader, dataset: str = service.ICIO_FLOWS_DATASET,
               version: VersionQuery = None, bloc_year: Year = None, member: str | None = None,
               products: ProductScope = Products, limit: int = Limit):
    """Members' intermediate inputs bought outside the bloc (OECD ICIO 2022 dataset in the bank, read
    for statistics), their outside suppliers, the bloc members selling the same sector (RCA >= 1) and
    the allocated substitution. The bloc is that of the data's year (2022) unless `bloc_year`."""
    answer = service.dependency(session, reader=reader, dataset=dataset, version=version, bloc_year=bloc_year,
                                member=member, products=products, limit=limit)
    return result_in(answer, lang)


class ForecastPointPublic(BaseModel):
    year: int
    mean: float
    intervals: dict[int, tuple[float, float]]  # level (%) -> (low, high)


class BacktestPublic(BaseModel):
    origins: int
    mase: float
    smape: float


class ModelForecastPublic(BaseModel):
    model: str
    points: list[ForecastPointPublic]
    backtest: BacktestPublic | None


class ForecastPublic(BaseModel):
    years: list[int]
    values: list[float]
    horizon: int
    levels: list[int]
    best_model: str
    models: list[ModelForecastPublic]
    beats_naive: bool
    verdict: str


@router.get("/convert", response_model=AnalyticsResult)
def convert(lang: Lang, session: DbSession, reader: CurrentReader, dataset: str = service.FLOWS_DATASET, version: VersionQuery = None,
            hs_to: str | None = None, currency: str | None = None, hs_from: str | None = None,
            exporter: str | None = None, importer: str | None = None, limit: int = Limit):
    """A bilateral trade dataset's flows in another HS revision (concordance weights, totals kept) and/or
    in a member's currency (the rate and its year on every row). `hs_from` defaults to the dataset's
    classification."""
    answer = service.conversion(session, reader=reader, dataset=dataset, version=version, hs_to=hs_to,
                                currency=currency, hs_from=hs_from, exporter=exporter, importer=importer,
                                limit=limit)
    return result_in(answer, lang)


@router.get("/forecast", response_model=ForecastPublic)
def forecast(session: DbSession, reader: CurrentReader, country: str = Query(..., min_length=3, max_length=3),
             indicator: str = Query("exports_goods_bop"), horizon: int = Query(5, ge=1, le=20),
             dataset: str = "wdi-macro-1960-2024", version: VersionQuery = None) -> ForecastPublic:
    """A country's annual series from a macro dataset in the bank (default the WDI table; through the gate,
    purpose statistics) forecast `horizon` years ahead by AutoETS, AutoARIMA and two baselines, with
    80/95% intervals and a rolling-origin backtest (MASE, sMAPE)."""
    from scobank.analytics.forecast import country_forecast

    return ForecastPublic(**asdict(country_forecast(session, reader=reader, country=country, indicator=indicator,
                                                    horizon=horizon, dataset=dataset, version=version)))


@router.get("/members/{iso3}/profile", response_model=AnalyticsResult)
def member_profile(lang: Lang, iso3: str, session: DbSession, reader: CurrentReader,
                   exports_dataset: str = service.EXPORTS_DATASET,
                   flows_dataset: str = service.PROFILE_FLOWS_DATASET, top: int = Query(10, ge=1, le=1000), country_set: CountrySetName = CountrySetQuery):
    """A member at a glance: top exports with RCA, ECI rank "of" the stated set, substitution rows,
    complementarity (the bilateral dataset the portal's profile reads by default, the ICIO 2022 flows);
    its trade by product in the newest product-level data the bank holds for it (`product_level`: each
    dataset with its period); units and periods of every dataset used, in the reader's language."""
    answer = profile.member_profile(session, reader=reader, iso3=iso3, exports_dataset=exports_dataset,
                                    flows_dataset=flows_dataset, top=top, country_set=country_set)
    return result_in(answer, lang)


@router.get("/members/{iso3}/mirror", response_model=AnalyticsResult)
def member_mirror(lang: Lang, iso3: str, session: DbSession, reader: CurrentReader, limit: int = Query(500, ge=1, le=100_000)):
    """Mirror statistics: the member's trade as its partners report it (India's exports to UZB are UZB's
    imports from India), from every source dataset the reader may read; labelled as mirror data."""
    answer = mirror_trade(session, reader=reader, iso3=iso3, limit=limit)
    return result_in(answer, lang)
