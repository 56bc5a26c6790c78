"""An upload cut in the middle of its body (issue 17, item 8: "interrupted uploads say so"), sent by a
real HTTP client to a live server: nothing is published or half-written, the spooled file is gone, the
server says in its log that the upload was interrupted (no traceback), a client that can still read is
told so, and the same upload sent whole afterwards is published."""

from __future__ import annotations

import os
import socket
import time

import httpx
import pytest

from tests.access.conftest import publish, world  # noqa: F401 - the fixture
from tests.access.test_admission import _serve

pytestmark = pytest.mark.db
BOUNDARY = "scobank-cut-test"


def _body(rows: int) -> bytes:
    text = "region,year,tonnes\n" + "".join(f"R{i},{2000 + i % 20},{i}\n" for i in range(rows))
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n{text}\r\n--{BOUNDARY}--\r\n").encode()


def _send_part(url: str, token: str, body: bytes, *, sent: int, half_close: bool) -> bytes:
    """POST `body` declared whole but cut after `sent` bytes; what the server answered (b"" if none)."""
    host, port = url.removeprefix("http://").split(":")
    head = (f"POST /api/v1/datasets/kz-cut/versions HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(head + body[:sent])
        time.sleep(0.5)
        if not half_close:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            return b""  # closed at once (a reset): the client is gone
        conn.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while chunk := conn.recv(65536):
                answer += chunk
        except (ConnectionResetError, TimeoutError):
            pass
        return answer


def _uploads_left(bank) -> list[str]:
    folder = bank.home / "staging" / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_cut_upload_publishes_nothing_leaves_nothing_and_says_so(bank, world, tmp_path):  # noqa: F811
    publish(bank, tmp_path, "kz-cut", "kz-stat")
    body = _body(200_000)
    log = tmp_path / "server.log"
    server, url = _serve(bank, SCOBANK_RATE_PER_CLIENT="0")
    try:
        headers = world.headers("kz_editor")
        token = headers["Authorization"].removeprefix("Bearer ")
        told = _send_part(url, token, body, sent=len(body) // 2, half_close=True)
        _send_part(url, token, body, sent=len(body) // 3, half_close=False)
        time.sleep(1.0)
        versions = httpx.get(f"{url}/api/v1/datasets/kz-cut/versions", headers=headers, timeout=30).json()
        left = _uploads_left(bank)
        whole = httpx.post(f"{url}/api/v1/datasets/kz-cut/versions", headers=headers, timeout=120,
                           files={"file": ("cut.csv", body.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n--", 1)[0])})
    finally:
        server.terminate()
        errors = server.communicate(timeout=30)[1].decode()
    log.write_text(errors)
    assert [v["number"] for v in versions] == [1]
    assert left == []
    assert "Traceback" not in errors, errors[-3000:]
    assert errors.count("upload interrupted") == 2, errors[-3000:]
    if told:  # uvicorn closes on the client's half-close; were an answer sent, it tells the truth
        assert b" 400 " in told.split(b"\r\n", 1)[0] and b"interrupted" in told, told[:500]
    assert whole.status_code == 201, whole.text
    assert whole.json()["version"]["number"] == 2 and whole.json()["version"]["row_count"] == 200_000
    assert os.listdir(bank.home / "staging" / "uploads") == []


def test_the_answer_to_a_cut_body_says_it_was_interrupted_and_how_much_arrived(bank, world):  # noqa: F811
    """The app itself (every middleware and route), driven over ASGI with a body that stops half-way:
    the answer is 400 upload-interrupted, not FastAPI's "error parsing the body"."""
    import asyncio
    import concurrent.futures
    import json

    from scobank.api.app import create_app

    publish_token = world.tokens["kz_editor"]
    body = _body(20_000)
    sent: list[dict] = []
    chunks = [body[:len(body) // 4], body[len(body) // 4:len(body) // 2]]

    async def receive():
        if chunks:
            return {"type": "http.request", "body": chunks.pop(0), "more_body": True}
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/v1/datasets/kz-cut/versions", "raw_path": b"/api/v1/datasets/kz-cut/versions",
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 80),
             "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {publish_token}".encode()),
                         (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
                         (b"content-length", str(len(body)).encode())]}
    # an event loop of its own, in a thread of its own: a browser test earlier in this worker may have
    # left one running on the main thread
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, create_app()(scope, receive, send)).result(timeout=120)
    start, answer = sent[0], json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert start["status"] == 400 and answer["code"] == "upload-interrupted"
    assert answer["message"] == (f"the request was interrupted after {len(body) // 2:,} of {len(body):,} bytes of "
                                 "its body had arrived; nothing was read or published; send it again")
