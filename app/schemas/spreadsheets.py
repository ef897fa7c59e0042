"""The CSV routes' bodies: the import's options, its answer and the 422 entry for a bad cell."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import SQLModel


class ImportOptions(BaseModel):
    """`POST /products/import` query parameters."""

    model_config = ConfigDict(extra="ignore")

    dry_run: Annotated[bool, Field(description="Validate and report what would happen; change nothing")] = (
        False
    )


class CodeChange(SQLModel):
    """A SKU or barcode the import changes on an existing product (a dry run shows them first)."""

    line: int
    column: str = Field(description="sku or barcode")
    before: str | None
    after: str | None


class ImportResult(SQLModel):
    """How many products the import created, changed, and found already as the file says, and
    every SKU and barcode it changes on existing products (a spreadsheet that turned `0001` into
    `1` shows here)."""

    created: int
    updated: int
    unchanged: int
    changes: list[CodeChange] = []


class CellError(SQLModel):
    """One bad cell of an import: its line (the header is line 1), its column and what is wrong."""

    line: int
    column: str | None = Field(description="The column's header; null when the whole line is wrong")
    reason: str


class ImportRefused(SQLModel):
    """A 422 of the import: every bad cell of the file; nothing was imported."""

    detail: list[CellError]
