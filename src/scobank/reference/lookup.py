"""The reference area's contract: what other areas call to read countries, parties, HS and rates.

Everything here reads the store (loaded by `load_reference`), never the files; errors are typed
(`NotFound` with a message naming what was asked for and what exists).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.errors import NotFound
from scobank.reference.aliases import alias_iso3
from scobank.reference.convert import concordance_steps, convert_hs
from scobank.reference.hs import REVISIONS
from scobank.reference.models import Country, CountryCode, ExchangeRate, HsCode
from scobank.reference.parties import last_day_of, statuses_on

__all__ = [
    "Rate", "baci_code_table", "bloc_members", "concordance_steps", "convert_hs", "country_names", "country_table",
    "hs_description", "hs_table", "normalise_hs_code", "party_statuses", "resolve_country", "text_in", "usd_rate",
]


@dataclass(frozen=True)
class Rate:
    """Units of a currency per USD in `year`, and where the figure comes from."""

    per_usd: float
    year: int
    source: str


def _countries(session: Session):
    return select(Country).where(Country.kind != "international").order_by(Country.iso3)


def country_table(session: Session) -> pa.Table:
    """Every country (current and historical; not the INT pseudo-party): iso3, iso2, numeric (ISO),
    baci_code (CEPII's current code: India 699, USA 842, ...), name_en."""
    rows = session.scalars(_countries(session)).all()
    return pa.table({
        "iso3": pa.array([c.iso3 for c in rows], pa.string()),
        "iso2": pa.array([c.iso2 for c in rows], pa.string()),
        "numeric": pa.array([c.numeric for c in rows], pa.int32()),
        "baci_code": pa.array([c.baci_code for c in rows], pa.int32()),
        "name_en": pa.array([c.names.get("en") for c in rows], pa.string()),
    })


def baci_code_table(session: Session) -> pa.Table:
    """Every CEPII/BACI country code, old aliases included (58 -> BEL, 280 -> DEU): baci_code, iso3."""
    rows = session.execute(select(CountryCode.code, CountryCode.iso3)
                           .where(CountryCode.scheme == "baci").order_by(CountryCode.code)).all()
    return pa.table({"baci_code": pa.array([r[0] for r in rows], pa.int32()),
                     "iso3": pa.array([r[1] for r in rows], pa.string())})


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е").strip()


# ISO 3166 alpha-3 codes withdrawn and reassigned to the same country under a new code, as old trade data
# and old code lists still carry them (ISO 3166-3). SCG, ANT, SUN, CSK, DDR are countries of their own
# (the HISTORICAL rows of the country table) and stay as they are.
LEGACY_ISO3: dict[str, str] = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "BUR": "MMR", "YUG": "SCG", "FXX": "FRA"}


def country_code(value: str) -> str:
    """The bank's ISO3 form of a country code as people and old files write it: trimmed, upper-case,
    a withdrawn code replaced by its successor (`LEGACY_ISO3`: "rom" -> "ROU", "ZAR" -> "COD")."""
    code = str(value).strip().upper()
    return LEGACY_ISO3.get(code, code)


def country_codes(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """`country_code` over a column of codes (nulls kept)."""
    import pyarrow.compute as pc

    upper = pc.utf8_upper(pc.utf8_trim_whitespace(pc.cast(values, pa.string())))
    for old, new in LEGACY_ISO3.items():
        upper = pc.if_else(pc.equal(upper, old), new, upper)
    return upper


def resolve_country(session: Session, value: str) -> str:
    """ISO3 of a country given as ISO3, ISO2, ISO numeric, BACI code, or a name in any language we hold
    (en/ru/zh/ar/es/fr and official forms). ISO numeric wins over BACI when a number is both.

    Raises NotFound naming the value when nothing matches.
    """
    text = str(value).strip()
    found: str | None = None
    if text.isdigit():
        number = int(text)
        found = session.scalar(select(Country.iso3).where(Country.numeric == number)
                               .where(Country.kind != "international").limit(1)) \
            or session.scalar(select(CountryCode.iso3).where(CountryCode.scheme == "baci")
                              .where(CountryCode.code == number))
    elif len(text) == 3 and text.isascii() and text.isalpha():
        found = session.scalar(select(Country.iso3).where(Country.iso3 == country_code(text))
                               .where(Country.kind != "international"))
    elif len(text) == 2 and text.isascii() and text.isalpha():
        found = session.scalar(select(Country.iso3).where(Country.iso2 == text.upper()))
    if found is None and text:
        found = alias_iso3(text)
    if found is None and text:
        wanted = _fold(text)
        for country in session.scalars(_countries(session)):
            names = [v for k, v in country.names.items() if k != "aliases"] + country.names.get("aliases", [])
            if any(_fold(n) == wanted for n in names):
                found = country.iso3
                break
    if found is None:
        raise NotFound(f"unknown country {text!r}: not an ISO3, ISO2, ISO numeric or BACI code, "
                       "nor a country name in en/ru/zh")
    return found


def _revision(session: Session, revision: str) -> str:
    rev = revision.strip().upper()
    if rev not in REVISIONS:
        raise NotFound(f"unknown HS revision {revision!r}; known: {', '.join(REVISIONS)}")
    if session.scalar(select(HsCode.code).where(HsCode.revision == rev).limit(1)) is None:
        loaded = sorted(session.scalars(select(HsCode.revision).distinct()))
        raise NotFound(f"HS revision {rev} is not loaded in this bank; loaded: {', '.join(loaded) or 'none'}")
    return rev


def hs_table(session: Session, revision: str) -> pa.Table:
    """Every code of `revision` ("HS92", "HS12", "HS17", "HS22"): code (zero-padded str), level (int8).

    Raises NotFound for an unknown or unloaded revision."""
    rev = _revision(session, revision)
    rows = session.execute(select(HsCode.code, HsCode.level).where(HsCode.revision == rev)
                           .order_by(HsCode.code)).all()
    return pa.table({"code": pa.array([r[0] for r in rows], pa.string()),
                     "level": pa.array([r[1] for r in rows], pa.int8())})


def normalise_hs_code(code: str | int) -> str:
    """Restore the leading zero a spreadsheet dropped: 101 -> "0101", 10121 -> "010121"."""
    text = str(code).strip()
    return text.zfill(len(text) + 1) if text.isdigit() and len(text) % 2 else text


def hs_description(session: Session, revision: str, code: str | int, lang: str = "en") -> str | None:
    """The description of `code` in `lang`. When that language is missing, the English text is
    returned marked "[en] ..." (a visible fallback, never silently another language). None when the
    code does not exist in that revision."""
    rev = _revision(session, revision)
    row = session.get(HsCode, (rev, normalise_hs_code(code)))
    return None if row is None else text_in(row.descriptions, lang)


FALLBACK_MARK = "[en]"  # before a text shown in English for want of the reader's language
# after a text that the bank derived from other texts (its source is in texts["derived"][lang])
DERIVED_MARK = {"ru": "[сводное]", "zh": "[归纳]", "en": "[derived]"}


def text_in(texts: dict | None, lang: str) -> str | None:
    """`texts[lang]` (followed by DERIVED_MARK when `texts["derived"]` says it was derived), or the English
    text marked "[en] ..." when that language is missing; None when there is no text at all."""
    texts = texts or {}
    if texts.get(lang):
        derived = lang in (texts.get("derived") or {})
        return f"{texts[lang]} {DERIVED_MARK.get(lang, DERIVED_MARK['en'])}" if derived else texts[lang]
    if texts.get("en"):
        return f"{FALLBACK_MARK} {texts['en']}"
    return None


def country_names(session: Session, codes: Iterable[str] | None, lang: str = "en") -> dict[str, str]:
    """ISO3 -> the country's name in `lang` (SCO usage for parties: Кыргызстан, 吉尔吉斯斯坦), marked
    "[en] ..." where the bank has only English; every country when `codes` is None. Codes the bank does not
    know are left out."""
    query = select(Country.iso3, Country.names)
    if codes is not None:
        query = query.where(Country.iso3.in_(sorted({str(c).upper() for c in codes if c})))
    names: dict[str, str] = {}
    for iso3, texts in session.execute(query):
        text = text_in({k: v for k, v in (texts or {}).items() if isinstance(v, str)}, lang)
        if text:
            names[iso3] = text
    return names


def party_statuses(session: Session, on: dt.date) -> dict[str, str]:
    """iso3 -> "member" | "observer" | "partner" for every SCO party on day `on`."""
    return statuses_on(session, on)


def bloc_members(session: Session, year: int) -> list[str]:
    """ISO3 codes of the SCO members on 31 December of `year`, sorted (2022: 8; 2023: + IRN; 2024: + BLR)."""
    return sorted(iso3 for iso3, s in statuses_on(session, last_day_of(year)).items() if s == "member")


def usd_rate(session: Session, currency: str, year: int) -> Rate:
    """Units of `currency` per USD in `year` with its source; USD itself is 1. Raises NotFound."""
    code = currency.strip().upper()
    if code == "USD":
        return Rate(per_usd=1.0, year=year, source="identity")
    row = session.get(ExchangeRate, (code, year))
    if row is None:
        years = sorted(session.scalars(select(ExchangeRate.year).where(ExchangeRate.currency == code)))
        have = f"years held for {code}: {years[0]}-{years[-1]}" if years else f"no rate at all for {code}"
        raise NotFound(f"no exchange rate for {code} in {year} ({have})")
    return Rate(per_usd=row.per_usd, year=row.year, source=row.source)
