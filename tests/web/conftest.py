"""Portal tests over HTTP (FastAPI's TestClient) on a clean bank per test."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def client(bank):
    from scobank.api.app import create_app

    with TestClient(create_app()) as c:
        yield c
