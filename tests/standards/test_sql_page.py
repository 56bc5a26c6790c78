"""The SQL page in the portal: the answer as a table in the reader's language, a CSV twin, the reader's
mistakes shown beside the query, and nothing of what the reader may not read."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def portal(populated):
    from scobank.api.app import create_app

    return TestClient(create_app(), headers={"Authorization": f"Bearer {populated['analyst']}"})


def test_the_answer_is_a_table_with_a_csv_twin(portal):
    page = portal.get("/sql", params={"lang": "ru",
                                      "q": 'SELECT region, enterprises FROM "kz-industry" ORDER BY enterprises DESC'})
    assert page.status_code == 200
    html = page.text
    assert "Выполнить" in html and 'id="sql-result"' in html
    assert html.index("Алматы") < html.index("Акмола") < html.index("Абай")
    assert "format=csv" in html and "bom=true" in html


def test_mistakes_and_hidden_data_are_said_on_the_page(portal):
    hidden = portal.get("/sql", params={"q": 'SELECT * FROM "kz-secret"', "lang": "zh"})
    assert hidden.status_code == 200 and 'id="sql-error"' in hidden.text and "no table" in hidden.text
    assert "Абай" not in hidden.text
    escape = portal.get("/sql", params={"q": "SELECT * FROM read_csv('/etc/passwd')"})
    assert 'id="sql-error"' in escape.text and "root:" not in escape.text
