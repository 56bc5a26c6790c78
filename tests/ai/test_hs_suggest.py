"""HS suggestions from the CLI and the API, as a customs broker, a listing form or an ingest of
product lists uses them: codes understood, case ignored, Chinese read, and a clear answer for
anything that is not a product description."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient


def _suggest(bank, text, top=5):
    from scobank.ai.hs_suggest import suggest_hs

    with bank.session() as s:
        return suggest_hs(s, text, top=top)


def test_zinc_coated_flat_steel_is_suggested_heading_7210_with_a_six_digit_code(bank):
    result = bank.cli("ai", "hs-suggest", "Zinc-coated flat-rolled steel, width 1250 mm", "--top", "5", "--json")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "ok" and answer["language"] == "en"
    suggestions = answer["suggestions"]
    assert len(suggestions) == 5
    assert "7210" in [s["heading"] for s in suggestions]
    first = suggestions[0]
    assert len(first["code"]) == 6 and first["code"].startswith(first["heading"])
    assert 0 < first["confidence"] <= 100 and first["confidence"] == round(100 * first["score"])
    scores = [s["score"] for s in suggestions]
    assert scores == sorted(scores, reverse=True) and sum(scores) <= 1.0001  # probabilities over headings
    assert len({s["heading"] for s in suggestions}) == 5


def test_a_russian_description_gets_the_heading_with_its_russian_name(bank):
    result = bank.cli("ai", "hs-suggest", "Пшеница мягкая продовольственная 3 класса", "--top", "3", "--json")
    assert result.exit_code == 0, result.stderr
    wheat = [s for s in json.loads(result.stdout)["suggestions"] if s["heading"] == "1001"]
    assert wheat and wheat[0]["heading_names"]["ru"].lower().startswith("пшеница")
    assert wheat[0]["heading_names"]["en"] == "Wheat and meslin"
    assert "пшеница" in wheat[0]["matched_words"]


@pytest.mark.parametrize(("text", "heading"), [("Нефть сырая", "2709"), ("梳棉机", "8445"), ("尿素化肥", "3102")])
def test_the_examples_of_the_issue_find_their_heading(bank, text, heading):
    assert heading in [s.heading for s in _suggest(bank, text).suggestions]


def test_upper_and_lower_case_give_the_same_suggestions(bank):
    upper, lower = _suggest(bank, "НЕФТЬ СЫРАЯ"), _suggest(bank, "нефть сырая")
    assert [s.heading for s in upper.suggestions] == [s.heading for s in lower.suggestions]
    assert "2709" in [s.heading for s in upper.suggestions]


@pytest.mark.parametrize(("text", "code", "heading"), [("8445", "8445", "8445"), ("844511", "844511", "8445"),
                                                       ("27.09", "2709", "2709"), ("8445.11", "844511", "8445")])
def test_a_typed_code_is_understood(bank, text, code, heading):
    answer = _suggest(bank, text)
    assert answer.status == "code"
    assert [(s.heading, s.confidence) for s in answer.suggestions] == [(heading, 100)]
    assert answer.suggestions[0].code.startswith(code[:6])


def test_a_code_that_does_not_exist_says_so(bank):
    answer = _suggest(bank, "9977")
    assert answer.status == "no-match" and "9977 is not an HS 2022 code" in answer.message


@pytest.mark.parametrize(("text", "status"), [("🚜🚜🚜", "no-words"), ("", "no-words"), ("   ", "no-words"),
                                              ("!!!???", "no-words"), ("asdfghjkl qwerty", "no-match"),
                                              ("Болат прокаты, қалыңдығы 4 мм", "language-not-supported"),
                                              ("इस्पात की चादरें", "language-not-supported")])
def test_what_is_not_a_product_description_gets_a_clear_answer_and_no_suggestion(bank, text, status):
    answer = _suggest(bank, text)
    assert (answer.status, answer.suggestions) == (status, [])
    assert answer.message.endswith(".")


def test_a_ten_thousand_character_text_is_read_up_to_its_limit_and_says_so(bank):
    answer = _suggest(bank, "Hot-rolled steel coils, non-alloy. " * 300)  # 10,500 characters
    assert answer.truncated and "first 2,000 characters" in answer.message
    assert answer.status == "ok" and "7208" in [s.heading for s in answer.suggestions]


@pytest.fixture
def client(bank) -> TestClient:
    from scobank.api.app import create_app

    return TestClient(create_app())


def test_the_api_suggests_codes_for_a_chinese_description(client):
    response = client.get("/api/v1/ai/hs-suggest", params={"text": "新鲜苹果，冷库储藏", "top": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["language"] == "zh"
    assert len(body["suggestions"]) == 3
    assert "0808" in [s["heading"] for s in body["suggestions"]]


def test_the_api_answers_an_emoji_with_no_words_and_refuses_a_top_out_of_range(client):
    assert client.get("/api/v1/ai/hs-suggest", params={"text": "🚜🚜🚜"}).json()["status"] == "no-words"
    response = client.get("/api/v1/ai/hs-suggest", params={"text": "apples", "top": 500})
    assert response.status_code == 422
