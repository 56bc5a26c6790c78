"""Loading countries: codes (ISO3, ISO2, ISO numeric, CEPII/BACI) and names in en/ru/zh (+ar/es/fr).

From SCOBANK_DATA_DIR/countries when present (DataHub country-codes, CEPII BACI V202201 codes), otherwise
from pycountry. Either way SCO usage wins for members and partners (NAME_OVERRIDES): pycountry and the UN
names say "Киргизия"/"吉尔吉斯坦" or "Российская Федерация", the SCO says "Кыргызстан"/"吉尔吉斯斯坦",
"Россия". The other names stay resolvable (names["aliases"]).

Reserved code INT: the "party" of international organisations (OECD, World Bank, CEPII's data as
published by an international body...). It is a row of `countries` with kind="international" so that
organisations can point at it, but it is not a country: country_table() and resolve_country() leave it out.
"""

from __future__ import annotations

import csv
import gettext
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from scobank.reference.models import Country, CountryCode

INTERNATIONAL = "INT"

# SCO usage for members, observers and partners: (en, ru, zh). Sources: sco.int in each language,
# the Chinese MFA country pages (fmprc.gov.cn) and the Russian MFA (mid.ru) country names.
NAME_OVERRIDES: dict[str, tuple[str, str, str]] = {
    "CHN": ("China", "Китай", "中国"),
    "RUS": ("Russia", "Россия", "俄罗斯"),
    "KAZ": ("Kazakhstan", "Казахстан", "哈萨克斯坦"),
    "KGZ": ("Kyrgyzstan", "Кыргызстан", "吉尔吉斯斯坦"),
    "TJK": ("Tajikistan", "Таджикистан", "塔吉克斯坦"),
    "UZB": ("Uzbekistan", "Узбекистан", "乌兹别克斯坦"),
    "IND": ("India", "Индия", "印度"),
    "PAK": ("Pakistan", "Пакистан", "巴基斯坦"),
    "IRN": ("Iran", "Иран", "伊朗"),
    "BLR": ("Belarus", "Беларусь", "白俄罗斯"),
    "AFG": ("Afghanistan", "Афганистан", "阿富汗"),
    "MNG": ("Mongolia", "Монголия", "蒙古国"),
    "LKA": ("Sri Lanka", "Шри-Ланка", "斯里兰卡"),
    "TUR": ("Türkiye", "Турция", "土耳其"),
    "ARM": ("Armenia", "Армения", "亚美尼亚"),
    "AZE": ("Azerbaijan", "Азербайджан", "阿塞拜疆"),
    "KHM": ("Cambodia", "Камбоджа", "柬埔寨"),
    "NPL": ("Nepal", "Непал", "尼泊尔"),
    "EGY": ("Egypt", "Египет", "埃及"),
    "QAT": ("Qatar", "Катар", "卡塔尔"),
    "SAU": ("Saudi Arabia", "Саудовская Аравия", "沙特阿拉伯"),
    "KWT": ("Kuwait", "Кувейт", "科威特"),
    "MDV": ("Maldives", "Мальдивы", "马尔代夫"),
    "MMR": ("Myanmar", "Мьянма", "缅甸"),
    "ARE": ("United Arab Emirates", "Объединённые Арабские Эмираты", "阿拉伯联合酋长国"),
    "BHR": ("Bahrain", "Бахрейн", "巴林"),
    "LAO": ("Laos", "Лаос", "老挝"),
}

# Countries gone from ISO 3166-1 that trade data still carries (ISO 3166-3 codes; BACI codes).
HISTORICAL: tuple[tuple[str, int, str, str, str], ...] = (
    ("SUN", 810, "USSR", "СССР", "苏联"),
    ("CSK", 200, "Czechoslovakia", "Чехословакия", "捷克斯洛伐克"),
    ("DDR", 278, "German Democratic Republic", "ГДР", "民主德国"),
    ("ANT", 530, "Netherlands Antilles", "Нидерландские Антильские острова", "荷属安的列斯"),
    ("SCG", 891, "Serbia and Montenegro", "Сербия и Черногория", "塞尔维亚和黑山"),
)
# BACI codes that differ from ISO numeric (CEPII BACI V202201 country list), for the fallback without
# the data dir. The first code of each country is its current one; the others are old aliases.
BACI_SPECIAL: dict[str, tuple[int, ...]] = {
    "IND": (699,), "USA": (842,), "CHE": (757,), "NOR": (579,), "FRA": (251,), "ITA": (381,),
    "BEL": (56, 58), "DEU": (276, 280), "ZAF": (710, 711), "SDN": (729, 736),
}
_INT_ROW = {"iso3": INTERNATIONAL, "iso2": None, "numeric": None, "baci_code": None, "region": None,
            "currency": None, "kind": "international",
            "names": {"en": "International organisation", "ru": "Международная организация",
                      "zh": "国际组织"}}


def load_countries(session: Session, data_dir: Path | None) -> str:
    """Insert every country (and INT) when the table is empty; return a summary fragment."""
    if session.scalar(select(func.count()).select_from(Country)):
        return "countries: already loaded"
    folder = data_dir / "countries" if data_dir else None
    if folder and (folder / "country-codes_datahub.csv").is_file():
        rows, baci = _rows_from_datahub(folder)
        origin = "DataHub country-codes + CEPII BACI codes"
    else:
        rows, baci = _rows_from_pycountry()
        origin = "pycountry (no SCOBANK_DATA_DIR)"
    known = {r["iso3"] for r in rows}
    for iso3, code, en, ru, zh in HISTORICAL:
        if iso3 not in known:
            rows.append({"iso3": iso3, "iso2": None, "numeric": None, "baci_code": code, "region": None,
                         "currency": None, "kind": "historical", "names": {"en": en, "ru": ru, "zh": zh}})
            baci.setdefault(code, iso3)
    for row in rows:
        _apply_override(row)
    rows.append(dict(_INT_ROW))
    session.execute(insert(Country), rows)
    iso3s = {r["iso3"] for r in rows}
    codes = [{"scheme": "baci", "code": c, "iso3": i} for c, i in sorted(baci.items()) if i in iso3s]
    session.execute(insert(CountryCode), codes)
    return f"{len(rows) - 1} countries ({origin})"


def _apply_override(row: dict) -> None:
    names = row["names"]
    if row["iso3"] in NAME_OVERRIDES:
        aliases = set(names.get("aliases", []))
        for lang, name in zip(("en", "ru", "zh"), NAME_OVERRIDES[row["iso3"]], strict=True):
            if names.get(lang) and names[lang] != name:
                aliases.add(names[lang])
            names[lang] = name
        names["aliases"] = sorted(aliases)


def _rows_from_datahub(folder: Path) -> tuple[list[dict], dict[int, str]]:
    with open(folder / "country-codes_datahub.csv", encoding="utf-8", newline="") as fh:
        source = [r for r in csv.DictReader(fh) if r["ISO3166-1-Alpha-3"].strip()]
    baci = _baci_codes(folder / "baci_country_codes_V202201.csv")
    rows = []
    for r in source:
        iso3 = r["ISO3166-1-Alpha-3"].strip()
        numeric = int(r["ISO3166-1-numeric"]) if r["ISO3166-1-numeric"].strip() else None
        codes = [c for c, i in baci.items() if i == iso3]
        baci_code = numeric if numeric in codes else (min(codes) if codes else None)
        rows.append({
            "iso3": iso3, "iso2": r["ISO3166-1-Alpha-2"].strip() or None, "numeric": numeric,
            "baci_code": baci_code, "region": r["Sub-region Name"] or r["Region Name"] or None,
            "currency": r["ISO4217-currency_alphabetic_code"].strip()[:3] or None, "kind": "country",
            "names": _datahub_names(r),
        })
    return rows, baci


def _datahub_names(r: dict) -> dict:
    def first(*cols: str) -> str | None:
        for col in cols:
            value = (r.get(col) or "").replace("*", "").strip()
            if value:
                return value
        return None

    names = {
        "en": first("official_name_en", "CLDR display name", "UNTERM English Short"),
        "ru": first("official_name_ru", "UNTERM Russian Short"),
        "zh": first("official_name_cn", "UNTERM Chinese Short"),
        "ar": first("official_name_ar", "UNTERM Arabic Short"),
        "es": first("official_name_es", "UNTERM Spanish Short"),
        "fr": first("official_name_fr", "UNTERM French Short"),
    }
    names = {k: v for k, v in names.items() if v}
    aliases = {first(c) for c in ("CLDR display name", "UNTERM English Short", "UNTERM English Formal",
                                  "UNTERM Russian Short", "UNTERM Russian Formal", "UNTERM Chinese Short",
                                  "UNTERM Chinese Formal")}
    names["aliases"] = sorted(a for a in aliases if a and a not in names.values())
    return names


def _baci_codes(path: Path) -> dict[int, str]:
    """CEPII code -> ISO3 (the file is Latin-1, as CEPII ships it). Codes marked N/A are skipped."""
    with open(path, encoding="latin-1", newline="") as fh:
        return {int(r["country_code"]): r["iso_3digit_alpha"].strip() for r in csv.DictReader(fh)
                if r["iso_3digit_alpha"].strip() not in ("", "N/A")}


def _rows_from_pycountry() -> tuple[list[dict], dict[int, str]]:
    import pycountry

    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    rows, baci = [], {}
    for c in pycountry.countries:
        numeric = int(c.numeric)
        codes = BACI_SPECIAL.get(c.alpha_3, (numeric,))
        for code in codes:
            baci[code] = c.alpha_3
        en = getattr(c, "common_name", None) or c.name
        rows.append({
            "iso3": c.alpha_3, "iso2": c.alpha_2, "numeric": numeric, "baci_code": codes[0],
            "region": None, "currency": None, "kind": "country",
            "names": {"en": en, "ru": ru.gettext(c.name), "zh": zh.gettext(c.name),
                      "aliases": sorted({c.name, getattr(c, "official_name", c.name)} - {en})},
        })
    return rows, baci
