"""The periods and units of analysis results in the reader's language, for the API (`?lang=`,
Accept-Language) and the portal alike: one formatter, the portal's Babel catalogs (`scobank.catalogs`).

Results carry the data's own labels in English ("1998-2000 average", "FY2024-25", "USD million",
"relative weight"). `period_text` and `unit_text` turn each known form into a catalog message with its
numbers filled in; a label of no known form, or one whose translation is missing, comes back in English
with the visible marker "[en] " in front: never silently English. A calendar year ("2022") is written
the same in the three languages and stays as it is. `localized` applies both to a whole result: period
labels are replaced where a person reads them (`label` of a period, `period`, `periods`), unit codes stay
(`unit`: "USD million" is what a program compares) and gain a `unit_label` beside them.
"""

from __future__ import annotations

import re
from typing import Any

from scobank.analytics.service import AnalyticsResult
from scobank.catalogs import DEFAULT_LANGUAGE, translations

FALLBACK_MARK = "[en] "


def N_(message: str) -> str:  # noqa: N802 - the extractor's keyword: "translate this where it is shown"
    return message


# (form of the English label, msgid filled with the form's groups)
PERIOD_FORMS = (
    (re.compile(r"(?P<start>\d{4})-(?P<end>\d{4}) average"), N_("%(start)s-%(end)s average")),
    (re.compile(r"(?P<start>\d{4})-(?P<end>\d{4})"), N_("%(start)s-%(end)s (years)")),
    (re.compile(r"FY(?P<start>\d{4})-(?P<end>\d{2})"), N_("financial year %(start)s-%(end)s")),
    (re.compile(r"month"), N_("month")),
)
YEAR = re.compile(r"\d{4}")
SCALES = {"": None, " thousand": N_("thousand %(currency)s"), " million": N_("million %(currency)s"),
          " billion": N_("billion %(currency)s")}
US_DOLLARS = {"": N_("US dollars"), " thousand": N_("thousand US dollars"), " million": N_("million US dollars"),
              " billion": N_("billion US dollars")}
CURRENCY = re.compile(r"(?P<currency>[A-Z]{3})(?P<scale> thousand| million| billion)?")
UNIT_WORDS = {
    "relative weight": N_("relative weights (not money)"),
    "index 0-100 (complementarity, similarity); ratio (intensity)":
        N_("index 0-100 (complementarity, similarity); ratio (intensity)"),
    "t": N_("tonnes"),
}
# Sentences results carry as labels (the mirror statistics' `label`): translated whole.
SENTENCES = (
    N_("mirror data: the member's trade as its partners report it (their exports to it are its imports), "
       "not the member's own statistics"),
)


def _in(lang: str, msgid: str, english: str, **values: str) -> str:
    """`msgid` in `lang` with `values`; the English (`english`) with the marker when it has no translation."""
    text = translations(lang).gettext(msgid) if lang != DEFAULT_LANGUAGE else msgid
    if lang != DEFAULT_LANGUAGE and text == msgid:
        return FALLBACK_MARK + english
    return text % values if values else text


def period_text(label: str | int | None, lang: str) -> str | None:
    """A period label as a person reads it in `lang`: "1998-2000 average" -> "в среднем за 1998-2000 гг.",
    "FY2024-25" -> "2024-25财年"; a year stays; a comma-separated list is read item by item."""
    if label is None or isinstance(label, int) or YEAR.fullmatch(label):
        return label if label is None else str(label)
    if ", " in label:
        return ", ".join(period_text(part, lang) for part in label.split(", "))
    for form, msgid in PERIOD_FORMS:
        found = form.fullmatch(label)
        if found:
            return _in(lang, msgid, label, **found.groupdict()) if lang != DEFAULT_LANGUAGE else label
    return label if lang == DEFAULT_LANGUAGE else FALLBACK_MARK + label


def unit_text(unit: str | None, lang: str) -> str | None:
    """A value unit as words in `lang`: "USD million" -> "million US dollars", "KZT million" -> "млн KZT",
    "relative weight" -> "relative weights (not money)"; an unknown unit marked "[en] " outside English."""
    if unit is None:
        return None
    found = CURRENCY.fullmatch(unit)
    if found:
        currency, scale = found["currency"], found["scale"] or ""
        if currency == "USD":
            return _in(lang, US_DOLLARS[scale], unit)
        return _in(lang, SCALES[scale], unit, currency=currency) if scale else currency
    if unit in UNIT_WORDS:
        return _in(lang, UNIT_WORDS[unit], unit)
    return unit if lang == DEFAULT_LANGUAGE else FALLBACK_MARK + unit


def sentence_text(text: str, lang: str) -> str:
    """A whole label sentence of `SENTENCES` in `lang` (marked "[en] " when it has no translation)."""
    return _in(lang, text, text) if text in SENTENCES else text


def _period_dict(value: dict, lang: str) -> dict:
    return {**value, "label": period_text(value["label"], lang)} if isinstance(value.get("label"), str) else value


def localized(value: Any, lang: str, *, key: str = "") -> Any:
    """`value` (a result's parameters or rows, any nesting) with its periods and units for a reader of
    `lang` (module docstring); English answers gain the `unit_label`s too, so every answer has one shape."""
    if isinstance(value, list):
        if key == "periods":
            return [period_text(v, lang) if isinstance(v, str) else v for v in value]
        return [localized(v, lang) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out[k] = localized(v, lang, key=k)
            if (k == "unit" or k.endswith("_unit")) and isinstance(v, str):
                out[f"{k}_label"] = unit_text(v, lang)
        if key == "period" or key.endswith("_period"):
            out = _period_dict(out, lang)
        return out
    if isinstance(value, str) and key == "period":
        return period_text(value, lang)
    if isinstance(value, str) and key == "label":
        return sentence_text(value, lang)
    return value


def result_in(result: AnalyticsResult, lang: str) -> AnalyticsResult:
    """An analysis result as the API answers a reader of `lang`: parameters and rows `localized`."""
    tables = {name: t.model_copy(update={"rows": localized(t.rows, lang)}) for name, t in result.tables.items()}
    return result.model_copy(update={"parameters": localized(result.parameters, lang), "tables": tables})
