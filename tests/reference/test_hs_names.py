"""Russian HS 2022 texts from the TN VED EAEU files: a subheading divided at 10 digits is named from its
10-digit codes and says so; every heading with 10-digit codes carries their Russian words for search
(not shown as its name)."""

from __future__ import annotations

from scobank.reference.hs_names import DERIVED, language_names


def test_a_heading_carries_the_russian_words_of_its_ten_digit_codes_for_search(data_dir):
    terms = language_names(data_dir)["8445"]["terms"]["ru"]
    for word in ("чесальные", "гребнечесальные", "кольцепрядильные"):
        assert word in terms
    assert "прочие" not in terms.split("; ")


def test_the_search_words_are_not_a_name_and_the_heading_keeps_its_official_name(data_dir):
    names = language_names(data_dir)["3102"]
    assert names["ru"] == "Удобрения минеральные или химические, азотные"
    assert "мочевина" in names["terms"]["ru"] and "ru" not in names.get("derived", {})


def test_a_subdivided_subheading_gets_a_russian_name_from_its_ten_digit_codes_marked_derived(data_dir):
    urea = language_names(data_dir)["310210"]  # divided into 3102 10 100 0 / 900 0: no XXXXXX0000 code
    assert urea["ru"].startswith("Удобрения минеральные или химические, азотные: мочевина")
    assert urea["derived"]["ru"] == DERIVED["ru"]


def test_every_subheading_under_a_russian_heading_has_a_russian_name(data_dir):
    names = language_names(data_dir)
    headings = {c for c, n in names.items() if len(c) == 4 and "ru" in n}
    subheadings = [c for c, n in names.items() if len(c) == 6 and c[:4] in headings]
    assert len(headings) == 957
    assert len(subheadings) > 5000 and all("ru" in names[c] for c in subheadings)  # 3,103 named before


def test_derived_names_keep_latin_species_and_formulas_as_printed_and_drop_only_footnote_marks(data_dir):
    names = language_names(data_dir)
    assert "(Beta vulgaris var. conditiva)" in names["120991"]["ru"]  # the species, not "beta vulgaris"
    assert names["690320"]["ru"].endswith("глинозема (Al2O3)")  # the formula's own bracket stays
    assert names["020130"]["ru"].endswith("высококачественная говядина и др.")  # "говядина12)": footnote 12 dropped
