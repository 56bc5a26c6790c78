"""Russian HS 2022 texts from the TN VED EAEU files: every heading with 10-digit codes carries their
Russian words for search (not shown as its name)."""

from __future__ import annotations

from scobank.reference.hs_names import language_names


def test_a_heading_carries_the_russian_words_of_its_ten_digit_codes_for_search(data_dir):
    terms = language_names(data_dir)["8445"]["terms"]["ru"]
    for word in ("чесальные", "гребнечесальные", "кольцепрядильные"):
        assert word in terms
    assert "прочие" not in terms.split("; ")


def test_the_search_words_are_not_a_name_and_the_heading_keeps_its_official_name(data_dir):
    names = language_names(data_dir)["3102"]
    assert names["ru"] == "Удобрения минеральные или химические, азотные"
    assert "мочевина" in names["terms"]["ru"] and "ru" not in names.get("derived", {})
