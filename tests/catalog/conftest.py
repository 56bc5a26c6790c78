"""Catalog tests: a clean bank each, the REST API through TestClient, the CLI in-process."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def client(bank) -> TestClient:
    """The API as the installation's operator (who may do everything): these tests are about the
    catalog; who may do what is the access area's matrix."""
    from scobank.access.reader import OPERATOR
    from scobank.api.app import create_app
    from scobank.deps import current_reader

    app = create_app()
    app.dependency_overrides[current_reader] = lambda: OPERATOR
    return TestClient(app)


@pytest.fixture
def kz_stat(bank) -> str:
    """An organisation of Kazakhstan, made the way a platform administrator does it."""
    result = bank.cli("orgs", "create", "kz-stat", "--party", "KAZ", "--name", "Bureau of National Statistics",
                      "--name-ru", "Бюро национальной статистики")
    assert result.exit_code == 0, result.stderr
    return "kz-stat"
