"""The controlled vocabularies DCAT-AP 3 asks for, as IRIs: EU Publications Office authority tables
(file types, frequencies, languages, data themes, countries), IANA media types and SPDX checksums.
A value the bank holds as free text is mapped here; one that maps to nothing is left out of the
DCAT document (never invented)."""

from __future__ import annotations

AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA = "https://www.iana.org/assignments/media-types/"
SPDX_SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"

# export format -> (EU file type, IANA media type or None when IANA registers none)
EXPORT_FORMATS = {"csv": ("CSV", "text/csv"), "parquet": ("PARQUET", "application/vnd.apache.parquet"),
                  "json": ("JSON", "application/json"), "ndjson": ("JSON", None)}
# plain media types, for the surfaces that still name them (CKAN resources, exports)
MEDIA_TYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet", "json": "application/json",
               "ndjson": "application/x-ndjson"}

# update_frequency as stewards write it -> EU frequency authority code
FREQUENCIES = {
    "annual": "ANNUAL", "annually": "ANNUAL", "yearly": "ANNUAL", "semiannual": "ANNUAL_2",
    "semi-annual": "ANNUAL_2", "biannual": "ANNUAL_2", "quarterly": "QUARTERLY", "monthly": "MONTHLY",
    "weekly": "WEEKLY", "daily": "DAILY", "irregular": "IRREG", "never": "NEVER", "continuous": "CONT",
    "biennial": "BIENNIAL", "triennial": "TRIENNIAL", "unknown": "UNKNOWN", "other": "OTHER",
}
# ISO 639-1 as the bank stores it -> EU language authority code (ISO 639-3 based)
LANGUAGES = {"en": "ENG", "ru": "RUS", "zh": "ZHO", "kk": "KAZ", "ky": "KIR", "tg": "TGK", "uz": "UZB",
             "hi": "HIN", "ur": "URD", "fa": "FAS", "be": "BEL", "mn": "MON", "tr": "TUR"}
# the bank's themes -> EU data theme (dataset-theme authority)
THEMES = {"trade": "ECON", "industry": "ECON", "economy": "ECON", "macro": "ECON", "finance": "ECON",
          "prices": "ECON", "energy": "ENER", "agriculture": "AGRI", "environment": "ENVI",
          "transport": "TRAN", "population": "SOCI", "society": "SOCI", "health": "HEAL",
          "education": "EDUC", "science": "TECH", "technology": "TECH", "government": "GOVE",
          "geography": "REGI", "regions": "REGI", "international": "INTR"}
# the EU data themes' English labels, as the authority table gives them
THEME_LABELS = {"ECON": "Economy and finance", "ENER": "Energy", "AGRI": "Agriculture, fisheries, forestry and food",
                "ENVI": "Environment", "TRAN": "Transport", "SOCI": "Population and society", "HEAL": "Health",
                "EDUC": "Education, culture and sport", "TECH": "Science and technology",
                "GOVE": "Government and public sector", "REGI": "Regions and cities", "INTR": "International issues"}
LICENSES = {
    "CC-BY-4.0": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
    "CC0-1.0": "http://publications.europa.eu/resource/authority/licence/CC0",
    "PDDL-1.0": "http://publications.europa.eu/resource/authority/licence/ODC_PDDL",
    "ODC-PDDL-1.0": "http://publications.europa.eu/resource/authority/licence/ODC_PDDL",
    "ODbL-1.0": "http://publications.europa.eu/resource/authority/licence/ODC_BL",
    "Apache-2.0": "http://publications.europa.eu/resource/authority/licence/APACHE_2_0",
}


def file_type(fmt: str) -> str:
    return f"{AUTHORITY}file-type/{EXPORT_FORMATS[fmt][0]}"


def media_type(fmt: str) -> str | None:
    media = EXPORT_FORMATS[fmt][1]
    return f"{IANA_MEDIA}{media}" if media else None


def frequency(text: str | None) -> str | None:
    code = FREQUENCIES.get((text or "").strip().lower())
    return f"{AUTHORITY}frequency/{code}" if code else None


def language(code: str) -> str | None:
    found = LANGUAGES.get(code.split("-")[0].lower())
    return f"{AUTHORITY}language/{found}" if found else None


def data_theme(theme: str) -> tuple[str, str] | None:
    """(IRI, English label) of the EU data theme a bank theme belongs to."""
    code = THEMES.get(theme.strip().lower())
    return (f"{AUTHORITY}data-theme/{code}", THEME_LABELS[code]) if code else None


def country(iso3: str) -> str:
    return f"{AUTHORITY}country/{iso3}"
