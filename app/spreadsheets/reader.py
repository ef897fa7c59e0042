"""Read a CSV import file: the header, then the product rows, each cell validated as the JSON is.

Pure Python, no database: `ImportReader` reads a binary file (the spooled request body) row by
row, so memory holds one batch of rows, never the whole file. It accepts what spreadsheets
write: a UTF-8 byte-order mark, CRLF or LF line ends, quoted cells with commas or line breaks,
cells separated by commas, or by semicolons or tabs (what Excel and LibreOffice write where the
decimal mark is a comma: the separator the header line uses most is the file's, and a price may
then be written `7,50` or `1.234,50`),
columns in any order (header names compared case-insensitively), blank rows (skipped), and the
export's own cells (`id` and the timestamps, ignored; the formula guard, undone). A bad cell
does not stop the reading: every one is collected in `problems`, with its line (the row number
a spreadsheet shows; the header is line 1), its column and the reason.
"""

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from pydantic import TypeAdapter, ValidationError

from app.core.exceptions import BadCell, FileTooLargeError, InvalidFileError
from app.core.validation import Barcode, Description, Price, ProductName, Quantity, Sku
from app.spreadsheets.columns import HEADER, READ_ONLY_COLUMNS, unguarded

REQUIRED_COLUMNS = ("name", "price")
WHOLE_NUMBER = re.compile(r"[0-9]+")
SPREADSHEET_NUMBER = re.compile(r"[0-9.,]+([eE][+-]?[0-9]+)?")
NOT_UTF8 = "is not UTF-8 text: save the file as 'CSV UTF-8'"
SEPARATORS = (",", ";", "\t")
DECIMAL_COMMA = re.compile(r"\s*([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+),([0-9]+)\s*")
"""A number written with a decimal comma, maybe with dots between thousands: 7,50 or 1.234,50."""
BARCODE_HINT = " (if a spreadsheet wrote it as a number, format the column as text and type it again)"


def _adapter(annotation: Any) -> Callable[[str], Any]:
    return TypeAdapter(annotation).validate_python


def _whole_number(validate: Callable[[Any], Any]) -> Callable[[str], Any]:
    """An integer cell: digits only; an empty cell is 0, as a spreadsheet counts it."""

    def parse(cell: str) -> Any:
        cell = cell.strip()
        if not cell:
            return validate(0)
        if not WHOLE_NUMBER.fullmatch(cell):
            raise ValueError("must be a whole number, 0 or more")
        return validate(int(cell))

    return parse


def _optional(validate: Callable[[str], Any]) -> Callable[[str], Any]:
    """A code cell: empty means the product has none (an update clears it)."""
    return lambda cell: validate(cell) if cell.strip() else None


def _required(validate: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(cell: str) -> Any:
        if not cell.strip():
            raise ValueError("is required")
        return validate(cell)

    return parse


PARSERS: dict[str, Callable[[str], Any]] = {
    "name": _required(_adapter(ProductName)),
    "sku": _optional(_adapter(Sku)),
    "barcode": _optional(_adapter(Barcode)),
    "description": _adapter(Description),
    "price": _required(_adapter(Price)),
    "quantity": _whole_number(_adapter(Quantity)),
    "reorder_level": _whole_number(_adapter(Quantity)),
}
"""Each column the import writes, with the parser of its cells (ValueError/ValidationError: bad)."""
WRITABLE_COLUMNS = tuple(name for name in HEADER if name in PARSERS)


@dataclass(frozen=True)
class ImportRow:
    """One valid product row: its line and its values, by column name."""

    line: int
    values: dict[str, Any]


def utf8(cell: str) -> None:
    try:
        cell.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(NOT_UTF8) from None


def reason(error: ValueError) -> str:
    """The message of a refused cell, without Pydantic's 'Value error, ' prefix."""
    if isinstance(error, ValidationError):
        return error.errors()[0]["msg"].removeprefix("Value error, ")
    return str(error)


def separator_of(header_line: str) -> str:
    """The separator the header line uses most (a comma when it has none: one column)."""
    return max(SEPARATORS, key=header_line.count) if any(mark in header_line for mark in SEPARATORS) else ","


def decimal_point(cell: str) -> str:
    """`7,50` as `7.50` and `1.234,50` as `1234.50`; any other cell as it is."""
    number = DECIMAL_COMMA.fullmatch(cell)
    return f"{number[1].replace('.', '')}.{number[2]}" if number else cell


class ImportReader:
    """The header and the rows of one import file; `problems` collects every bad cell.

    Reading the header happens at construction: a file without `name` and `price` columns, or
    with an unknown or repeated one, raises InvalidFileError at once (no row could be read).
    """

    def __init__(self, file: IO[bytes], max_rows: int) -> None:
        self.max_rows = max_rows
        self.problems: list[BadCell] = []
        # Bytes that are not UTF-8 become lone surrogates, reported for the cell that has them.
        self._text = io.TextIOWrapper(file, encoding="utf-8-sig", errors="surrogateescape", newline="")
        first_line = self._text.readline()
        self.separator = separator_of(first_line)
        self._records = csv.reader(
            itertools.chain([first_line] if first_line else [], self._text),
            delimiter=self.separator,
            strict=True,
        )
        self._line = 0
        header = next(self._read_records(), None)
        if header is None:
            raise InvalidFileError(
                [
                    BadCell(
                        line=1, column=None, reason="the file is empty: the first line must name the columns"
                    )
                ]
            )
        self.header = [name.strip().lower() for name in header]
        self._check_header()
        self.columns = tuple(name for name in WRITABLE_COLUMNS if name in self.header)
        """The columns this file writes, in `HEADER` order; products keep the values of the others."""

    def _read_records(self) -> Iterator[list[str]]:
        """CSV records, numbered in `_line`; broken CSV (such as a stray quote) ends the reading."""
        while True:
            try:
                record = next(self._records)
            except StopIteration:
                return
            except csv.Error as error:
                self._stop(f"is not valid CSV ({error})")
                return
            self._line += 1
            yield record

    def _stop(self, problem: str) -> None:
        self.problems.append(
            BadCell(
                line=self._line + 1,
                column=None,
                reason=f"line {self._line + 1} {problem}; reading stopped here",
            )
        )

    def _check_header(self) -> None:
        problems = [
            BadCell(line=1, column=name, reason=f"unknown column; the columns are {', '.join(HEADER)}")
            for name in self.header
            if name not in HEADER
        ]
        problems += [
            BadCell(line=1, column=name, reason="appears more than once")
            for position, name in enumerate(self.header)
            if name in HEADER and name in self.header[:position]
        ]
        problems += [
            BadCell(line=1, column=name, reason="is required: the header must have this column")
            for name in REQUIRED_COLUMNS
            if name not in self.header
        ]
        if problems:
            raise InvalidFileError(problems)

    def rows(self) -> Iterator[ImportRow]:
        """The valid product rows, in file order; the bad ones go to `problems`.

        Raises FileTooLargeError on the first row beyond `max_rows` (blank rows do not count).
        """
        products = 0
        for record in self._read_records():
            if not any(cell.strip() for cell in record):
                continue
            products += 1
            if products > self.max_rows:
                raise FileTooLargeError(
                    f"The file has more than {self.max_rows} products; import it in parts"
                )
            row = self._parse(record)
            if row is not None:
                yield row

    def _parse(self, record: list[str]) -> ImportRow | None:
        if len(record) != len(self.header):
            self.problems.append(
                BadCell(
                    line=self._line,
                    column=None,
                    reason=f"has {len(record)} cells; the header has {len(self.header)}",
                )
            )
            return None
        values: dict[str, Any] = {}
        valid = True
        for name, cell in zip(self.header, record, strict=True):
            if name in READ_ONLY_COLUMNS:
                continue
            value = unguarded(cell)
            if name == "price" and self.separator != ",":
                value = decimal_point(value)
            try:
                utf8(value)
                values[name] = PARSERS[name](value)
            except ValueError as error:
                hint = (
                    BARCODE_HINT if name == "barcode" and SPREADSHEET_NUMBER.fullmatch(value.strip()) else ""
                )
                self.problems.append(BadCell(line=self._line, column=name, reason=reason(error) + hint))
                valid = False
        return ImportRow(self._line, values) if valid else None
