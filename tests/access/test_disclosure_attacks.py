"""The three attacks of issue 17, item 2, as the RUS viewer made them: over HTTP, against a KAZ dataset
published "aggregates only, k=5" with one cell of 123,456,789 that no answer may give away. The rules
themselves are in tests/lake/test_disclosure.py; these tests use only the API a reader has, so they run
against any version of the bank (they failed on the one before scobank.lake.disclosure)."""

from __future__ import annotations

import pytest

from tests.access.conftest import publish

HIDDEN = 123_456_789
PARTNERS = ["KAZ", "CHN", "IND", "PAK", "IRN", "UZB"]
# 30 other records of 6,000,000: each total lies between 1e8 and 1e9, so rounding it to three
# significant figures moves it by at most 500,000 (0.4 % of the hidden cell)
OTHERS = [(PARTNERS[i % len(PARTNERS)], f"p{i}", 6_000_000) for i in range(1, 31)]


@pytest.fixture
def ask(bank, world, client, tmp_path):
    text = "partner,product,value\n" + "".join(f"{p},{q},{v}\n" for p, q, v in [("XXX", "p0", HIDDEN), *OTHERS])
    publish(bank, tmp_path, "kz-partners", "kz-stat", text)
    policy = bank.cli("policy", "set", "kz-partners", "--audience", "members", "--aggregates-only", "5")
    assert policy.exit_code == 0, policy.stderr

    def rows(**params):
        return client.get("/api/v1/datasets/kz-partners/rows", params=params, headers=world.headers("ru_viewer"))
    return rows


def test_a_filter_on_the_value_cannot_find_the_hidden_cell(ask):
    for probe in ("value:range:123456788,123456790", "value:eq:123456789"):
        answer = ask(filter=probe, agg="count")
        assert answer.status_code == 403, (probe, answer.text)
        assert "'value' is a measure" in answer.json()["message"]


def test_the_suppressed_groups_say_nothing_about_whether_a_row_matches(ask):
    answers = []
    for partner in ("XXX", "NONE"):  # the hidden cell's partner, and one that has no row
        answer = ask(filter=f"partner:eq:{partner}", group_by="partner", agg="value:sum")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        answers.append((body["rows"], body["suppressed_groups"]))
    assert answers[0] == answers[1], answers


def test_two_totals_differenced_do_not_give_the_hidden_cell(ask):
    with_it = ask(agg="value:sum")
    without = ask(filter="partner:in:" + ",".join(PARTNERS), agg="value:sum")
    assert with_it.status_code == 200 and without.status_code == 200, (with_it.text, without.text)
    estimate = with_it.json()["rows"][0]["value_sum"] - without.json()["rows"][0]["value_sum"]
    assert abs(estimate - HIDDEN) > 0.05 * HIDDEN, estimate  # the noise of one record is 10-20 %
