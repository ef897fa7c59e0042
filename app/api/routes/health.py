"""Liveness and readiness probes.

`/health/ready` runs `SELECT 1` on a pooled connection; when the database cannot be reached,
app.api.errors answers 503 with the usual `detail`, as for every other route.
"""

from fastapi import APIRouter
from sqlalchemy import text

from app.api.deps import Connection, ConnectionRoute
from app.schemas import ErrorMessage

router = APIRouter(prefix="/health", tags=["health"], route_class=ConnectionRoute)


@router.get("", summary="The process is up")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="The database answers",
    responses={503: {"model": ErrorMessage, "description": "The database is unreachable"}},
)
async def ready(db: Connection) -> dict[str, str]:
    await db.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}
