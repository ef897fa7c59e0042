"""Liveness and readiness probes."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.database import engine
from app.errors import DATABASE_UNAVAILABLE, is_database_unavailable
from app.schemas import ErrorMessage

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", summary="The process is up")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="The database answers",
    responses={503: {"model": ErrorMessage, "description": "The database is unreachable"}},
)
async def ready() -> JSONResponse:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        if not is_database_unavailable(exc):
            raise
        return JSONResponse({"detail": DATABASE_UNAVAILABLE}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
