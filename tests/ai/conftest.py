"""AI tests: the real embedder (no stand-in). The HS nomenclature's embeddings are a derived cache
keyed by model and nomenclature hash, so all AI tests share one cache folder that survives the run
(var/ai-cache in the checkout, or SCOBANK_AI_CACHE_DIR): the first run embeds ~8,000 HS texts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def _shared_ai_cache() -> None:
    os.environ.setdefault("SCOBANK_AI_CACHE_DIR", str(REPO / "var" / "ai-cache"))
