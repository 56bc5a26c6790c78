"""HTTP hardening, as one ASGI middleware around the whole app:

- security headers on every response (no sniffing, no framing, a strict same-origin CSP for pages,
  no referrer leaks, no caching of API answers that depend on credentials);
- request bodies over the route's limit are refused with 413 before they are read, whether announced
  by Content-Length or streamed in chunks: SCOBANK_MAX_UPLOAD_BYTES (plus a little for form fields)
  on the routes that take uploads (marked with UPLOAD_ROUTE in their OpenAPI extra), and
  SCOBANK_MAX_BODY_BYTES (1 MiB) on every other route, so that an anonymous 300 MB POST to a login
  costs the server nothing;
- a body cut off before its end (the client stopped sending: a dropped connection, a killed browser)
  is answered 400 `upload-interrupted`, saying how much arrived, instead of a parsing error, and is
  logged as such: the route never ran, so nothing was read, spooled or published.
"""

from __future__ import annotations

import json
import logging
import re

from scobank.config import get_settings
from scobank.errors import UploadInterrupted

FORM_OVERHEAD = 1 << 20  # multipart boundaries and small form fields around the file
UPLOAD_ROUTE = {"x-upload": True}  # `openapi_extra=UPLOAD_ROUTE` on a route that takes a file upload
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _too_large(what: str) -> tuple[dict, bytes]:
    body = json.dumps({"ok": False, "code": "too-large", "problems": [],
                       "message": f"the request is larger than {what}"}).encode()
    return {"type": "http.response.start", "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close"), *HEADERS]}, body


def _interrupted(scope, received: int, declared: int | None) -> tuple[dict, bytes]:
    """The answer to a body that stopped before its end (logged once, without the body)."""
    whole = f" of {declared:,}" if declared is not None else ""
    error = UploadInterrupted(f"the request was interrupted after {received:,}{whole} bytes of its body had "
                              "arrived; nothing was read or published; send it again")
    logging.getLogger("scobank.uploads").warning("upload interrupted: %s %s after %s%s bytes; nothing was "
                                                 "published", scope.get("method"), scope.get("path"), f"{received:,}",
                                                 whole)
    body = json.dumps(error.to_dict()).encode()
    return {"type": "http.response.start", "status": error.status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close"), *HEADERS]}, body


def _flat_routes(routes):
    """Every route of a route table, those of included routers too (FastAPI includes them lazily)."""
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
        else:
            yield route


def _upload_patterns(app) -> list[tuple[re.Pattern, frozenset[str]]]:
    """The path patterns and methods of the routes marked UPLOAD_ROUTE (computed once per app)."""
    found = getattr(app, "_upload_patterns", None)
    if found is None:
        found = [(route.path_regex, frozenset(route.methods or ()))
                 for route in _flat_routes(getattr(app, "routes", ()))
                 if (getattr(route, "openapi_extra", None) or {}).get("x-upload")]
        app._upload_patterns = found
    return found


def body_limit(scope) -> tuple[int, str]:
    """The largest body this request may send, and the 413 message that states it."""
    settings = get_settings()
    path, method = scope.get("path", ""), scope.get("method", "GET")
    for pattern, methods in _upload_patterns(scope.get("app")):
        if method in methods and pattern.match(path):
            return (settings.max_upload_bytes + FORM_OVERHEAD,
                    f"the upload limit of {settings.max_upload_bytes:,} bytes (SCOBANK_MAX_UPLOAD_BYTES)")
    return (settings.max_body_bytes, f"the limit of {settings.max_body_bytes:,} bytes for a request that "
                                     "uploads no file (SCOBANK_MAX_BODY_BYTES)")


class Hardening:
    """ASGI middleware: `app.add_middleware(Hardening)`."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, what = body_limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            start, body = _too_large(what)
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        path = scope.get("path", "")
        extra = list(HEADERS)
        if not path.startswith(("/api/docs", "/api/redoc")):
            extra.append((b"content-security-policy", CSP.encode()))
        if path.startswith("/api/"):
            extra.append((b"cache-control", b"no-store"))
        if get_settings().session_cookie_secure:
            extra.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        received, exceeded, replaced, reading, cut = 0, False, False, True, False
        size = int(declared) if declared is not None and declared.isdigit() else None

        async def counted_receive():
            nonlocal received, exceeded, reading, cut
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                reading = bool(message.get("more_body"))
                if received > limit:  # stop reading; the answer becomes 413 below
                    exceeded = True
                    return {"type": "http.disconnect"}
            elif message["type"] == "http.disconnect" and reading and (received or size):
                cut = True  # gone before the end of the body: the answer becomes 400 below
            return message

        async def send_with_headers(message):
            nonlocal replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                if exceeded or cut:
                    replaced = True
                    start, body = _too_large(what) if exceeded else _interrupted(scope, received, size)
                    await send(start)
                    await send({"type": "http.response.body", "body": body})
                    return
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *[(k, v) for k, v in extra if k not in names]]}
            await send(message)

        await self.app(scope, counted_receive, send_with_headers)
        if cut and not replaced:  # the app gave no answer: the interruption is still logged
            _interrupted(scope, received, size)
