"""The embedder contract other areas rely on: `scobank.ai.embedder().embed(texts)`."""

from __future__ import annotations

import numpy as np
import pytest


def test_embed_returns_unit_float32_rows_and_translations_are_neighbours():
    from scobank.ai import embedder

    model = embedder()
    assert model is embedder()  # loaded once per process
    vectors = model.embed(["Copper cathodes, grade A", "Медные катоды марки А", "A级阴极铜", "Children's toys"])
    assert vectors.shape == (4, model.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 3] + 0.3 and sims[0, 2] > sims[0, 3] + 0.3


def test_an_unknown_embedder_name_is_a_clear_error():
    from scobank.ai import embedder
    from scobank.errors import BadRequest

    with pytest.raises(BadRequest, match="unknown embedder 'nope'"):
        embedder("nope")
