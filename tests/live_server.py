"""A real uvicorn server of the bank on a free 127.0.0.1 port, for the tests that talk HTTP to it as an
outside client would (the browser tests, the standards' own clients): `live_server(env)` starts it over
the bank that `env` names, yields its address once /api/v1/health answers, and stops it."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(env: dict[str, str]) -> Iterator[str]:
    """The address (http://127.0.0.1:PORT) of a server of `create_app` run with `env`, up and answering."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "scobank.api.app:create_app", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                               "--timeout-keep-alive", "75"],  # as `scobank serve` runs it
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: {server.stdout.read().decode()[-3000:]}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer within 60 s")
