"""Security headers, upload limits, no path traversal, no secrets in logs."""

from __future__ import annotations

import logging

import pytest

from scobank.config import reset_settings


def test_every_response_carries_the_security_headers(client):
    for path in ("/api/v1/health", "/", "/api/v1/no-such-route"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["referrer-policy"] == "same-origin"
    assert client.get("/api/v1/health").headers["cache-control"] == "no-store"


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(bank, client, monkeypatch):
    monkeypatch.setenv("SCOBANK_MAX_UPLOAD_BYTES", "1000")
    reset_settings()
    big = b"x" * (3 << 20)
    answer = client.post("/api/v1/datasets/anything/versions", content=big,
                         headers={"content-type": "application/octet-stream"})
    assert answer.status_code == 413
    assert answer.json()["code"] == "too-large" and "1,000 bytes" in answer.json()["message"]


def test_a_streamed_body_over_the_limit_is_refused_too(bank, client, monkeypatch):
    monkeypatch.setenv("SCOBANK_MAX_UPLOAD_BYTES", "1000")
    reset_settings()

    def chunks():
        for _ in range(4):
            yield b"y" * (1 << 20)

    answer = client.post("/api/v1/auth/login", content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413


@pytest.mark.parametrize("path", ["/static/../secret.key", "/static/%2e%2e/secret.key", "/static/..%2fsecret.key",
                                  "/static/%2e%2e%2f%2e%2e%2fetc/passwd", "/static//etc/passwd",
                                  "/api/v1/datasets/..%2f..%2fsecret.key/signature"])
def test_no_file_route_reaches_outside_its_folder(bank, client, path):
    from scobank.access.secret_key import secret_key

    secret = secret_key()
    answer = client.get(path)
    assert answer.status_code in (400, 404)
    assert secret not in answer.content and b"root:" not in answer.content


def test_passwords_and_tokens_never_reach_the_logs(bank, world, client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/api/v1/auth/login", json={"email": world.emails["kz_viewer"], "password": "correct horse battery"})
    client.post("/api/v1/auth/login", json={"email": world.emails["kz_viewer"], "password": "a wrong guess!"})
    client.get("/api/v1/auth/me", headers=world.headers("kz_viewer"))
    made = client.post("/api/v1/tokens", json={"scope": "read"}, headers=world.headers("kz_viewer")).json()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("correct horse battery", "a wrong guess!", world.tokens["kz_viewer"], made["token"]):
        assert secret not in logged


def test_a_300_mb_anonymous_login_is_refused_before_a_byte_of_it_is_read(bank, client):
    read = []

    def chunks():
        for _ in range(300):
            read.append(1)
            yield b"z" * (1 << 20)

    answer = client.post("/api/v1/auth/login", content=chunks(),
                         headers={"content-type": "application/json", "content-length": str(300 << 20)})
    assert answer.status_code == 413
    assert answer.json() == {"ok": False, "code": "too-large", "problems": [], "message":
                             "the request is larger than the limit of 1,048,576 bytes for a request that "
                             "uploads no file (SCOBANK_MAX_BODY_BYTES)"}
    assert len(read) <= 1  # the client may have sent its first chunk; the server read none of the rest


def test_json_routes_take_small_bodies_and_upload_routes_the_upload_limit(bank, world, client):
    two_mib = b"x" * (2 << 20)
    steward = world.headers("kz_steward")
    answer = client.post("/api/v1/datasets", content=two_mib, headers={**steward, "content-type": "application/json"})
    assert answer.status_code == 413
    # The upload route reads 2 MiB (and then finds no file in it): not refused for its size.
    answer = client.post("/api/v1/datasets/kz-trade/versions", content=two_mib,
                         headers={**steward, "content-type": "application/octet-stream"})
    assert answer.status_code != 413
