"""The API as a client sees it, over HTTP (FastAPI's TestClient) on a clean bank per test."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def app(bank):
    from scobank.api.app import create_app

    return create_app()


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c
