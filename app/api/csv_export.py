"""What the CSV exports share (`GET /products.csv`, `GET /stock.csv`, `GET /reports/valuation.csv`):
the batch size, the streamed answer and its OpenAPI entry.

The first batch is read before answering, so that a database outage is a clean 503 before any
byte is sent; the rest stream batch after batch (app.spreadsheets.writer).
"""

from collections.abc import AsyncIterator, Sequence
from typing import Any

from fastapi.responses import StreamingResponse
from sqlalchemy import Row

from app.api.responses import OpenAPIResponses
from app.spreadsheets.writer import csv_stream

EXPORT_BATCH = 2000
CSV_ANSWER: OpenAPIResponses = {
    200: {"content": {"text/csv": {}}, "description": "UTF-8 CSV with a byte-order mark"}
}


async def csv_download(
    batches: AsyncIterator[Sequence[Row[Any]]], header: Sequence[str], filename: str
) -> StreamingResponse:
    """The export of `batches` as a CSV attachment named `filename`, `header` first."""
    first = await anext(batches)
    return StreamingResponse(
        csv_stream(first, batches, header),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
