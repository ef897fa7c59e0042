"""Rows to CSV bytes for spreadsheets, one batch at a time (the exports stream): products in
`HEADER` order by default, stock levels in `LEVELS_HEADER` order.

UTF-8 with a byte-order mark first (Excel needs it to read UTF-8; LibreOffice accepts it), the
standard `csv` module's quoting and CRLF line ends (RFC 4180), decimals as stored (prices with 2,
costs and values with 4),
timestamps in ISO 8601 as the JSON writes them, and text cells guarded against formulas.
"""

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row

from app.spreadsheets.columns import HEADER, guarded

BOM = "\ufeff"


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # as stored: prices with 2 decimals, costs with 4
    if isinstance(value, datetime):
        return value.isoformat()
    return guarded(str(value))


class CsvEncoder:
    """Writes rows in `header` order as CSV text, starting with the BOM and the header."""

    def __init__(self, header: Sequence[str] = HEADER) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)
        self._width = len(header)
        self._buffer.write(BOM)
        self._writer.writerow(header)

    def encode(self, rows: Iterable[Row[Any]]) -> bytes:
        """The CSV of `rows` (the BOM and header too, the first time), as UTF-8."""
        self._writer.writerows([cell(value) for value in row[: self._width]] for row in rows)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text.encode("utf-8")


async def csv_stream(
    first: Sequence[Row[Any]], rest: AsyncIterator[Sequence[Row[Any]]], header: Sequence[str] = HEADER
) -> AsyncIterator[bytes]:
    """The whole export: the BOM, the header and `first`, then every batch of `rest`."""
    encoder = CsvEncoder(header)
    yield encoder.encode(first)
    async for batch in rest:
        yield encoder.encode(batch)
