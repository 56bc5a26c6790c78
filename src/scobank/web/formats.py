"""Numbers, money and dates written the way a reader of each language expects (Babel CLDR data)."""

from __future__ import annotations

from datetime import date, datetime

from babel import dates, numbers

LOCALES = {"en": "en_US", "ru": "ru_RU", "zh": "zh_Hans_CN"}


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, "en_US")


def number(value: float | int | None, lang: str, *, digits: int = 0) -> str:
    """1234567.8 -> "1,234,568" (en), "1 234 568" (ru), "1,234,568" (zh); None -> "—"."""
    if value is None:
        return "—"
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=fmt, locale=locale_of(lang))


def compact(value: float | int | None, lang: str) -> str:
    """A short reading of a large number: 1.2M (en), 1,2 млн (ru), 120万 (zh)."""
    if value is None:
        return "—"
    return numbers.format_compact_decimal(value, format_type="short", fraction_digits=1,
                                          locale=locale_of(lang))


def usd(value: float | int | None, lang: str) -> str:
    """Money in US dollars, compact: $1.2B / 1,2 млрд $ / US$12亿."""
    if value is None:
        return "—"
    return numbers.format_compact_currency(value, "USD", format_type="short", fraction_digits=1,
                                           locale=locale_of(lang))


def percent(value: float | None, lang: str, *, digits: int = 1) -> str:
    if value is None:
        return "—"
    fmt = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return numbers.format_percent(value, format=fmt, locale=locale_of(lang))


def day(value: date | datetime | None, lang: str) -> str:
    """A date in the reader's way: Nov 29, 2026 / 29 нояб. 2026 г. / 2026年11月29日."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    return dates.format_date(value, format="medium", locale=locale_of(lang))


def moment(value: datetime | str | None, lang: str) -> str:
    """A UTC timestamp (or its ISO text, "Z" allowed) with minutes, in the reader's way, marked UTC."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.removesuffix("Z"))
    return dates.format_datetime(value, format="medium", locale=locale_of(lang)) + " UTC"


def cell(value: object, lang: str) -> str:
    """A table cell as read: decimals grouped with up to three places (1 234,5 in ru); whole numbers,
    codes and years as they are (2020, not 2,020); empty as "—"."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return numbers.format_decimal(value, format="#,##0.###", locale=locale_of(lang))
    return str(value)
