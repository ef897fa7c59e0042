"""Exception handlers, the one place where errors become status codes and JSON bodies.

Domain errors (app.core.exceptions): `NotFoundError` is 404, `ConflictError` 409, `FileTooLargeError`
413, `InvalidFileError` 422 (a list of bad cells), `KeyReusedError` 422 (a sentence), all
rendered by `domain_error_response`, which the idempotency layer shares; validation is 422
(FastAPI's list shape); an unreachable database is 503. No request, however malformed, gets a
500 with a stack trace.
"""

import logging
import math
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

from app.core.database import DATABASE_UNAVAILABLE, is_database_unavailable
from app.core.exceptions import (
    BatchLineError,
    ConflictError,
    DomainError,
    FileTooLargeError,
    InvalidFileError,
    KeyReusedError,
    NotFoundError,
)

logger = logging.getLogger("inventory")


def json_safe(value: Any) -> Any:
    """A copy of `value` that JSON can encode (validation errors echo arbitrary client input)."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return json_safe(str(value))


def error(status_code: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status_code)


async def validation_failed(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": json_safe(exc.errors())}, status_code=422)


DOMAIN_STATUS: dict[type[DomainError], int] = {
    NotFoundError: status.HTTP_404_NOT_FOUND,
    ConflictError: status.HTTP_409_CONFLICT,
    FileTooLargeError: status.HTTP_413_CONTENT_TOO_LARGE,
    KeyReusedError: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


def domain_error_response(exc: DomainError) -> JSONResponse:
    """The answer to a refusal of the data layer (which changed nothing), by its kind."""
    if isinstance(exc, InvalidFileError):  # every bad cell, each with its line, column and reason
        problems = [asdict(problem) for problem in exc.problems]
        status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return JSONResponse({"detail": json_safe(problems)}, status_code=status_code)
    cause = exc.refusal if isinstance(exc, BatchLineError) else exc  # a basket answers as its line would
    kind = next(kind for kind in type(cause).__mro__ if kind in DOMAIN_STATUS)
    return JSONResponse(json_safe(exc.body()), status_code=DOMAIN_STATUS[kind])


async def domain_refused(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return domain_error_response(exc)


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    """Last resort: 503 for database trouble, otherwise a logged 500 without internals."""
    if is_database_unavailable(exc):
        logger.warning(
            "database unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__
        )
        return error(status.HTTP_503_SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE)
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error(status.HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_failed)
    app.add_exception_handler(DomainError, domain_refused)
    app.add_exception_handler(sa_exc.SQLAlchemyError, unexpected)
    app.add_exception_handler(OSError, unexpected)
    app.add_exception_handler(Exception, unexpected)
