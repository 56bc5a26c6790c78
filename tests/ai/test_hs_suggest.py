"""HS suggestions from the CLI and the API, as a listing form or an ingest of product lists uses them."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient


def test_zinc_coated_flat_steel_is_suggested_heading_7210_with_a_six_digit_code(bank):
    """(A known weakness: "galvanised steel sheet" alone misses 7210, whose text says "coated with
    zinc"; the model does not equate the two words.)"""
    result = bank.cli("ai", "hs-suggest", "Zinc-coated flat-rolled steel, width 1250 mm", "--top", "5", "--json")
    assert result.exit_code == 0, result.stderr
    suggestions = json.loads(result.stdout)
    assert len(suggestions) == 5
    assert "7210" in [s["heading"] for s in suggestions]
    first = suggestions[0]
    assert set(first) >= {"code", "heading", "score", "description"}
    assert len(first["code"]) == 6 and first["code"].startswith(first["heading"])
    scores = [s["score"] for s in suggestions]
    assert scores == sorted(scores, reverse=True)
    assert len({s["heading"] for s in suggestions}) == 5


def test_a_russian_description_gets_the_heading_with_its_russian_name(bank):
    result = bank.cli("ai", "hs-suggest", "Пшеница мягкая продовольственная 3 класса", "--top", "3", "--json")
    assert result.exit_code == 0, result.stderr
    wheat = [s for s in json.loads(result.stdout) if s["heading"] == "1001"]
    assert wheat and wheat[0]["heading_names"]["ru"].lower().startswith("пшеница")
    assert wheat[0]["heading_names"]["en"] == "Wheat and meslin"


def test_an_empty_description_is_a_clear_error(bank):
    result = bank.cli("ai", "hs-suggest", "  ", "--json")
    assert result.exit_code != 0
    assert "empty" in result.stderr


@pytest.fixture
def client(bank) -> TestClient:
    from scobank.api.app import create_app

    return TestClient(create_app())


def test_the_api_suggests_codes_for_a_chinese_description(client):
    response = client.get("/api/v1/ai/hs-suggest", params={"text": "新鲜苹果，冷库储藏", "top": 3})
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 3
    assert "0808" in [s["heading"] for s in body]


def test_the_api_refuses_a_top_out_of_range(client):
    response = client.get("/api/v1/ai/hs-suggest", params={"text": "apples", "top": 500})
    assert response.status_code == 422
