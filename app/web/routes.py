"""`GET /` (the shop's page) and `/static/*` (its scripts and styles), straight from `static/`.

No build step and no CDN: the files in `static/` are what the browser gets. Every answer says
`Cache-Control: no-cache` with an `ETag`, so a browser revalidates each file (a `304` when it
is unchanged) and an updated page shows on the next load, never a stale mix of old and new
modules. Module scripts need a JavaScript MIME type, so the types are set here rather than
guessed from the machine's MIME table. The page talks only to this origin (its CSP says so).
"""

import os
from pathlib import Path

from fastapi import APIRouter, Request, Response
from starlette.datastructures import Headers
from starlette.responses import FileResponse
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).parent / "static"

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
}


class PageFiles(StaticFiles):
    """StaticFiles with the page's MIME types and headers (also on a `304`)."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        media_type = MEDIA_TYPES.get(Path(full_path).suffix)
        response = FileResponse(
            full_path,
            status_code=status_code,
            stat_result=stat_result,
            media_type=media_type,
            headers=HEADERS,
        )
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response


static_files = PageFiles(directory=STATIC_DIR)
router = APIRouter()


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
async def page(request: Request) -> Response:
    """index.html, revalidated on every load."""
    return await static_files.get_response("index.html", request.scope)
