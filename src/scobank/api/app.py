"""The FastAPI application: routers of every area, one error handler, OpenAPI at /api/openapi.json."""

from __future__ import annotations

import importlib
import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import TimeoutError as PoolTimeout

from scobank import __version__
from scobank.errors import ScobankError, storage_error

# Each module holds `router` (an APIRouter) for one area, mounted under /api/v1.
API_ROUTERS = (
    "scobank.api.system",
    "scobank.api.reference",
    "scobank.api.catalog",
    "scobank.api.access",
    "scobank.api.ledger",
    "scobank.api.analytics",
    "scobank.api.exchange",
    "scobank.api.ai",
    "scobank.api.search",
    "scobank.api.sql",
)
# CKAN's Action API (read), at both places CKAN clients look for it (ckanapi calls /api/action/).
CKAN_ROUTER = ("scobank.api.ckan", ("/api/3/action", "/api/action"))
# The portal: modules holding `router` for HTML pages, mounted at the root.
WEB_ROUTERS = ("scobank.web.pages",)


@asynccontextmanager
async def lifespan(app: FastAPI):
    """While serving: publish a signed ledger checkpoint every SCOBANK_CHECKPOINT_SECONDS (0: never)."""
    from scobank.access.checkpoints import publish_every
    from scobank.config import get_settings

    seconds, stop = get_settings().checkpoint_seconds, threading.Event()
    publisher = threading.Thread(target=publish_every, args=(seconds, stop), daemon=True,
                                 name="ledger-checkpoints") if seconds > 0 else None
    if publisher is not None:
        publisher.start()
    try:
        yield
    finally:
        stop.set()


def create_app() -> FastAPI:
    from scobank.ai.kinds import register_listeners

    register_listeners()  # ai drops the vectors of changed datasets, listings, enterprises
    app = FastAPI(
        lifespan=lifespan,
        title="SCO Data Bank",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )

    from scobank.access.hardening import Hardening
    from scobank.api.admission import Admission

    app.add_middleware(Hardening)  # security headers, upload size limit
    app.add_middleware(Admission)  # outermost: bounded concurrency, fair queue, per-client rate (503/429)

    @app.exception_handler(PoolTimeout)
    async def pool_exhausted(request: Request, exc: PoolTimeout) -> JSONResponse:
        return JSONResponse({"ok": False, "code": "overloaded", "problems": [],
                             "message": "the bank is busy; retry after the time in Retry-After"},
                            status_code=503, headers={"Retry-After": "1"})

    @app.exception_handler(OSError)
    async def storage_failed(request: Request, exc: OSError) -> JSONResponse:
        storage = storage_error(exc)
        if storage is None:
            raise exc
        return JSONResponse(storage.to_dict(), status_code=storage.status)

    @app.exception_handler(ScobankError)
    async def scobank_error(request: Request, exc: ScobankError) -> JSONResponse:
        return JSONResponse(exc.to_dict(), status_code=exc.status)

    for name in API_ROUTERS:
        app.include_router(importlib.import_module(name).router, prefix="/api/v1")
    for prefix in CKAN_ROUTER[1]:
        app.include_router(importlib.import_module(CKAN_ROUTER[0]).router, prefix=prefix)
    for name in WEB_ROUTERS:
        module = importlib.import_module(name)
        if hasattr(module, "mount"):
            module.mount(app)
        app.include_router(module.router)
    return app
