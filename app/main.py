"""The ASGI application: `create_app(settings)`, and `app.main:app` built from the environment.

The app owns its engine: the lifespan builds it from the settings it was given and disposes
of it at shutdown; routes borrow connections through app.api.deps. The lifespan also runs the
background jobs, on a pool of one connection of their own (so they never take a request's): the
purge of expired idempotency keys (app.tasks.purge) and the fold of the value summaries
(app.tasks.fold); every write route honours Idempotency-Key (app.api.idempotency).
"""

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from app.api.errors import install_error_handlers
from app.api.head import HeadAsGet
from app.api.hosts import AllowedHosts
from app.api.idempotency import REPLAYED_HEADER, require_idempotent_writes
from app.api.limits import BodySizeLimit
from app.api.routes import health, locations, products, reports, spreadsheets, stock
from app.auth.middleware import ApiKeyAuth
from app.auth.openapi import document_security
from app.auth.throttle import FailureThrottle
from app.core.access import AuthMode
from app.core.config import Settings, get_settings
from app.core.database import BACKGROUND_CONNECTIONS, build_engine
from app.tasks.fold import fold_forever
from app.tasks.purge import purge_forever
from app.web import routes as web

DESCRIPTION = """\
Track the products of a shop: what it sells, at what price, how many are on the shelf.

Prices are exact decimals, sent and returned as strings such as `"19.99"`; timestamps are
ISO 8601 in UTC, such as `"2026-11-26T12:00:00.000000+00:00"`.
Every change of a quantity is a stock movement in the ledger (`/movements`).
Every error body is JSON with a `detail`.
"""


def create_app(settings: Settings) -> FastAPI:
    """The app: the API, the shop's page (/ and /static), Swagger UI (/docs) and ReDoc (/redoc).

    Outermost, a Host not in `ALLOWED_HOSTS` is 400 (app.api.hosts) and a HEAD is answered as its
    GET (app.api.head). Request bodies are limited to `MAX_BODY_BYTES`, CSV imports to
    `IMPORT_MAX_BYTES` (413); API
    keys are checked as `AUTH_MODE` says (app.auth) before routing (with no middleware at all when
    it is off); CORS is off unless
    `CORS_ORIGINS` is set (it wraps the key check, so that preflight requests need no key and
    refusals carry its headers).
    """

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        application.state.engine = build_engine(settings)
        jobs = build_engine(settings, connections=BACKGROUND_CONNECTIONS)  # never a request's
        tasks = [asyncio.create_task(forever(jobs, settings)) for forever in (purge_forever, fold_forever)]
        # Everything imported so far lives as long as the process: move it out of the garbage
        # collector's generations, so that its full passes stop rescanning it during requests.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await jobs.dispose()
            await application.state.engine.dispose()

    application = FastAPIOffline(
        title="Inventory",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        redirect_slashes=False,  # its redirect would echo the request's Host: /products/ is a 404
    )
    application.state.settings = settings
    install_error_handlers(application)
    application.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        path_limits={spreadsheets.IMPORT_PATH: settings.import_max_bytes},
    )
    if settings.auth_mode is not AuthMode.OFF:  # off, no layer at all: it would only pass requests on
        throttle = FailureThrottle(settings.auth_failure_limit, settings.auth_failure_window_seconds)
        application.add_middleware(ApiKeyAuth, mode=settings.auth_mode, throttle=throttle)
    document_security(application, settings.auth_mode)
    if settings.cors_origin_list:
        application.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
            expose_headers=[
                "Link",
                "Location",
                "Retry-After",
                "WWW-Authenticate",
                "X-Total-Count",
                REPLAYED_HEADER,
            ],
        )
    application.add_middleware(HeadAsGet)
    if settings.allowed_host_list is not None:
        application.add_middleware(AllowedHosts, names=settings.allowed_host_list)
    application.include_router(web.router)
    application.mount("/static", web.static_files, name="static")
    application.include_router(spreadsheets.router)
    application.include_router(products.router)
    application.include_router(stock.router)
    application.include_router(locations.router)
    application.include_router(reports.router)
    application.include_router(health.router)
    require_idempotent_writes(application.routes)
    return application


app = create_app(get_settings())
