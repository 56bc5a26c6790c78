"""Periods and units of analysis results in the reader's language, from the portal's catalogs: every form
the bank's data declares, and the visible "[en]" marker for a label of no known form."""

from __future__ import annotations

import pytest

from scobank.analytics.reader_labels import localized, period_text, unit_text


@pytest.mark.parametrize(("label", "ru", "zh"), [
    ("1998-2000 average", "в среднем за 1998-2000 гг.", "1998-2000年平均"),
    ("FY2024-25", "2024/25 финансовый год", "2024-25财年"),
    ("2017-2019", "2017-2019 гг.", "2017-2019年"),
    ("2022", "2022", "2022"),  # a year is written alike in the three languages
    ("FY2023-24, FY2024-25", "2023/24 финансовый год, 2024/25 финансовый год", "2023-24财年, 2024-25财年"),
    ("harvest season", "[en] harvest season", "[en] harvest season"),
])
def test_period_labels(label, ru, zh):
    assert (period_text(label, "en"), period_text(label, "ru"), period_text(label, "zh")) == (label, ru, zh)


@pytest.mark.parametrize(("unit", "en", "ru", "zh"), [
    ("USD", "US dollars", "долл. США", "美元"),
    ("USD thousand", "thousand US dollars", "тыс. долларов США", "千美元"),
    ("USD million", "million US dollars", "млн долл. США", "百万美元"),
    ("KZT million", "million KZT", "млн KZT", "百万KZT"),
    ("relative weight", "relative weights (not money)", "относительные веса (не деньги)", "相对权重（非货币）"),
    ("barrels", "barrels", "[en] barrels", "[en] barrels"),
])
def test_units(unit, en, ru, zh):
    assert (unit_text(unit, "en"), unit_text(unit, "ru"), unit_text(unit, "zh")) == (en, ru, zh)


def test_a_result_keeps_its_codes_and_gains_the_words():
    result = {"exports_period": {"kind": "multi-year", "label": "1998-2000 average", "years": [1998, 1999, 2000]},
              "exports_unit": "relative weight", "sources": [{"periods": ["FY2024-25"], "unit": "USD million"}],
              "rows": [{"period": "FY2024-25", "year": 2024, "unit": "USD million", "value": 1.5}]}
    ru = localized(result, "ru")
    assert ru["exports_period"] == {"kind": "multi-year", "label": "в среднем за 1998-2000 гг.",
                                    "years": [1998, 1999, 2000]}
    assert (ru["exports_unit"], ru["exports_unit_label"]) == ("relative weight", "относительные веса (не деньги)")
    assert ru["sources"] == [{"periods": ["2024/25 финансовый год"], "unit": "USD million",
                              "unit_label": "млн долл. США"}]
    assert ru["rows"] == [{"period": "2024/25 финансовый год", "year": 2024, "unit": "USD million",
                           "unit_label": "млн долл. США", "value": 1.5}]
    assert localized(result, "en")["rows"][0]["period"] == "FY2024-25"
