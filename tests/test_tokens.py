"""The one tokenizer: a word spelt with or without a hyphen after a combining prefix is one term, in
English and Russian, in documents and queries alike; other hyphens still separate words."""

from __future__ import annotations

import pytest

from scobank.tokens import document_terms, matched_words, query_terms


@pytest.mark.parametrize(("query", "document"), [
    ("ferro-alloys", "Exports of ferroalloys: ferrochrome, ferrosilicon"),
    ("ferroalloys", "High-carbon ferro-alloys from Aktobe"),
    ("ферро-сплавы", "Поставка ферросплавов, ферросилиций"),
    ("ФЕРРОСПЛАВЫ", "ферро-сплавы высокоуглеродистые"),
    ("petrochemical", "petro-chemical plant capacity"),
])
def test_a_hyphenated_prefix_and_the_joined_word_find_each_other(query, document):
    assert query_terms(query) <= document_terms(document)
    assert matched_words(document, query_terms(query))  # the result shows the word it matched


def test_other_hyphens_still_separate_words():
    assert query_terms("hot-rolled") == {"hot", "roll"}
    assert {"hot", "roll", "steel"} <= document_terms("hot rolled steel coils")
    assert query_terms("non-ferrous metals") == {"non", "ferrous", "metal"}
