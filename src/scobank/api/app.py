"""The application: the routers of every area under /api/v1, the portal's pages at the root, one
error handler per kind of failure for both surfaces, OpenAPI at /api/openapi.json and its docs
(Swagger UI at /api/docs, ReDoc at /api/redoc) served from the installed `fastapi-offline` package."""

from __future__ import annotations

import importlib
import threading
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from scobank import __version__
from scobank.api.errors import error_language, error_response, http_error, invalid_parameters, is_api, reject_unknown_query
from scobank.api.openapi import install_openapi
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
    "scobank.api.sdmx",
)
# CKAN's Action API (read), at both places CKAN clients look for it (ckanapi calls /api/action/).
CKAN_ROUTER = ("scobank.api.ckan", ("/api/3/action", "/api/action"))
# The portal: modules holding `router` for HTML pages, mounted at the root.
WEB_ROUTERS = ("scobank.web.pages",)
DOCS_STATIC = "/api/docs/static"  # Swagger UI's and ReDoc's scripts, from the fastapi-offline wheel


def _answer(request: Request, error: ScobankError, *, headers: dict | None = None,
            http_status: int | None = None) -> Response:
    """JSON for /api/ paths, the portal's error page for the rest."""
    if is_api(request):
        return error_response(error, headers, lang=error_language(request))
    from scobank.web.pages import error_page

    return error_page(request, error, http_status)


async def on_scobank_error(request: Request, exc: ScobankError) -> Response:
    return _answer(request, exc)


async def on_storage_error(request: Request, exc: OSError) -> Response:
    """A full disk or an unwritable folder is a StorageError (507) naming the path; any other OSError
    is our bug."""
    storage = storage_error(exc)
    if storage is None:
        raise exc
    return _answer(request, storage)


async def on_invalid_request(request: Request, exc: RequestValidationError) -> Response:
    return _answer(request, invalid_parameters(exc))


async def on_http_error(request: Request, exc: HTTPException) -> Response:
    return _answer(request, http_error(request, exc), headers=exc.headers, http_status=exc.status_code)


async def on_pool_exhausted(request: Request, exc: PoolTimeout) -> JSONResponse:
    return JSONResponse({"ok": False, "code": "overloaded", "problems": [],
                         "message": "the bank is busy; retry after the time in Retry-After"},
                        status_code=503, headers={"Retry-After": "1"})


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
    from scobank.bank import start

    start()  # access's organisation lookup, ai's listeners (scobank.bank.start)
    app = FastAPIOffline(
        lifespan=lifespan,
        title="SCO Data Bank",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url="/api/redoc",
        static_url=DOCS_STATIC,
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
    )

    from scobank.access.hardening import Hardening
    from scobank.api.admission import Admission

    app.add_middleware(Hardening)  # security headers, body limits per route
    app.add_exception_handler(PoolTimeout, on_pool_exhausted)
    app.add_exception_handler(OSError, on_storage_error)
    app.add_exception_handler(ScobankError, on_scobank_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(HTTPException, on_http_error)
    for name in API_ROUTERS:
        app.include_router(importlib.import_module(name).router, prefix="/api/v1",
                           dependencies=[Depends(reject_unknown_query)])
    for prefix in CKAN_ROUTER[1]:  # CKAN takes parameters it does not use: no unknown-parameter check
        app.include_router(importlib.import_module(CKAN_ROUTER[0]).router, prefix=prefix,
                           include_in_schema=prefix == CKAN_ROUTER[1][0])  # documented once
    for name in WEB_ROUTERS:
        module = importlib.import_module(name)
        if hasattr(module, "mount"):
            module.mount(app)
        app.include_router(module.router)
    # Added last, so outermost (around the portal's timing middleware too): bounded concurrency, fair
    # queue, per-client rate (503/429); a refusal costs no other middleware.
    app.add_middleware(Admission)
    install_openapi(app)
    return app
