"""The CSV routes: `GET /products.csv` and `GET /stock.csv` (exports, streamed) and
`POST /products/import`.

The exports stream batch after batch in id order (app.api.csv_export: the first is read before
answering); app.crud reads each on a connection borrowed just for it, so memory holds one batch
whatever the size of the catalogue.

The import spools the body (up to `IMPORT_MAX_BYTES`, enforced by app.api.limits) to a temporary
file, reads it row by row (app.spreadsheets.reader), stages the valid rows in batches and merges them in
one transaction on the request's connection, so that a bad row changes nothing and an outer
transaction (an Idempotency-Key) holds it.
"""

import tempfile
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from fastapi.exceptions import HTTPException
from fastapi.responses import StreamingResponse

from app.api.csv_export import CSV_ANSWER, EXPORT_BATCH, csv_download
from app.api.deps import AppSettings, Connection, Engine
from app.api.idempotency import IdempotentRoute
from app.api.query import openapi_parameters, query_model
from app.api.responses import OpenAPIResponses
from app.core.database import transaction
from app.core.exceptions import InvalidFileError
from app.core.filters import ProductFilter
from app.crud import product as products
from app.crud import product_import as crud
from app.crud import stock
from app.schemas import CodeChange, ErrorMessage, ImportOptions, ImportRefused, ImportResult
from app.spreadsheets.columns import HEADER, LEVELS_HEADER
from app.spreadsheets.reader import ImportReader

router = APIRouter(tags=["spreadsheets"], route_class=IdempotentRoute)

IMPORT_PATH = "/products/import"
STAGING_BATCH = 1000
SPOOL_IN_MEMORY = 1024 * 1024
"""Bytes of an uploaded file kept in memory; the rest of it goes to a temporary file."""
CSV_TYPES = frozenset({"text/csv", "application/csv", "text/plain"})
UTF8 = frozenset({"utf-8", "utf8"})

IMPORT_ERRORS: OpenAPIResponses = {
    413: {
        "model": ErrorMessage,
        "description": "Beyond IMPORT_MAX_BYTES or IMPORT_MAX_ROWS; nothing changed",
    },
    415: {"model": ErrorMessage, "description": "The body is not sent as text/csv in UTF-8"},
    422: {
        "model": ImportRefused,
        "description": "Every bad cell of the file (the header is line 1); nothing changed",
        "content": {
            "application/json": {
                "example": {"detail": [{"line": 3, "column": "price", "reason": "is required"}]}
            }
        },
    },
}


@router.get(
    "/products.csv",
    summary="Export the products matching the filters as CSV (every one, no paging)",
    response_class=StreamingResponse,
    responses=CSV_ANSWER,
    openapi_extra=openapi_parameters(ProductFilter),
)
async def export_csv(
    engine: Engine, filters: Annotated[ProductFilter, Depends(query_model(ProductFilter))]
) -> StreamingResponse:
    batches = products.products_in_batches(engine=engine, filters=filters, batch_size=EXPORT_BATCH)
    return await csv_download(batches, HEADER, "products.csv")


@router.get(
    "/stock.csv",
    summary="Export where the stock is as CSV: one row per product and location holding some",
    response_class=StreamingResponse,
    responses=CSV_ANSWER,
)
async def export_levels_csv(engine: Engine) -> StreamingResponse:
    batches = stock.levels_in_batches(engine=engine, batch_size=EXPORT_BATCH)
    return await csv_download(batches, LEVELS_HEADER, "stock.csv")


def _require_csv(request: Request) -> None:
    media_type, _, parameters = request.headers.get("content-type", "").partition(";")
    charset = next(
        (
            value.strip().strip('"').lower()
            for key, _, value in (p.partition("=") for p in parameters.split(";"))
            if key.strip().lower() == "charset"
        ),
        "utf-8",
    )
    if media_type.strip().lower() not in CSV_TYPES or charset not in UTF8:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            "Send the file as UTF-8 with Content-Type: text/csv (curl: -H 'Content-Type: text/csv')",
        )


async def _spooled_body(request: Request) -> IO[bytes]:
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115  (closed by the caller)
    async for chunk in request.stream():
        body.write(chunk)
    body.seek(0)
    return body


@router.post(
    IMPORT_PATH,
    response_model=ImportResult,
    summary="Create and update products from a CSV file, all or nothing",
    responses=IMPORT_ERRORS,
    openapi_extra={
        **openapi_parameters(ImportOptions),
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {
                    "schema": {"type": "string"},
                    "example": "name,price,quantity\nMilk jug,16.75,10\n",
                }
            },
        },
    },
)
async def import_csv(
    request: Request,
    db: Connection,
    settings: AppSettings,
    options: Annotated[ImportOptions, Depends(query_model(ImportOptions))],
) -> ImportResult:
    _require_csv(request)
    with await _spooled_body(request) as body:
        reader = ImportReader(body, settings.import_max_rows)
        async with transaction(db):
            await crud.create_staging(db=db)
            batch: list[dict[str, Any]] = []
            for row in reader.rows():
                batch.append({"line": row.line, **row.values})
                if len(batch) == STAGING_BATCH:
                    await crud.stage(db=db, rows=batch)
                    batch = []
            await crud.stage(db=db, rows=batch)
            problems = reader.problems + await crud.staging_problems(db=db, columns=reader.columns)
            if problems:
                raise InvalidFileError(sorted(problems, key=lambda problem: problem.line))
            changes = [
                CodeChange(line=row.line, column=row.column, before=row.before, after=row.after)
                for row in await crud.code_changes(db=db, columns=reader.columns)
            ]
            apply = crud.preview_import if options.dry_run else crud.merge_import
            counts = await apply(db=db, columns=reader.columns)
            return ImportResult(
                created=counts.created, updated=counts.updated, unchanged=counts.unchanged, changes=changes
            )
