"""Reading an import file: what spreadsheets write is understood, and every bad cell reported."""

import io
from decimal import Decimal
from typing import Any

import pytest

from app.core.exceptions import FileTooLargeError, InvalidFileError
from app.spreadsheets.reader import ImportReader


def read(text: str | bytes, max_rows: int = 100) -> tuple[ImportReader, list[tuple[int, dict[str, Any]]]]:
    data = text.encode() if isinstance(text, str) else text
    reader = ImportReader(io.BytesIO(data), max_rows)
    return reader, [(row.line, row.values) for row in reader.rows()]


def problems(reader: ImportReader) -> list[tuple[int, str | None, str]]:
    return [(problem.line, problem.column, problem.reason) for problem in reader.problems]


def refused(text: str) -> list[tuple[int, str | None, str]]:
    with pytest.raises(InvalidFileError) as raised:
        read(text)
    return [(problem.line, problem.column, problem.reason) for problem in raised.value.problems]


def test_bom_crlf_quoted_commas_and_line_breaks_and_any_column_order() -> None:
    text = '\ufeffQuantity,price,Name,description\r\n3,"1,50","Cup, large","two\r\nlines"\r\n0,2,Lid,""\r\n'
    reader, rows = read(text.replace('"1,50"', "1.50"))
    assert problems(reader) == []
    assert reader.columns == ("name", "description", "price", "quantity")
    assert rows == [
        (2, {"quantity": 3, "price": Decimal("1.50"), "name": "Cup, large", "description": "two\r\nlines"}),
        (3, {"quantity": 0, "price": Decimal("2"), "name": "Lid", "description": ""}),
    ]


def test_an_export_reads_back_as_its_values() -> None:
    text = (
        "\ufeffid,name,sku,barcode,description,price,quantity,reorder_level,created_at,updated_at\r\n"
        "7,'=cup,'-CUP,4006381333931,'@note,7.50,3,5,2026-12-03T12:00:00+00:00,2026-12-03T12:00:00+00:00\r\n"
        "8,Plain,,,,0.00,0,0,2026-12-03T12:00:00+00:00,2026-12-03T12:00:00+00:00\r\n"
    )
    reader, rows = read(text)
    assert problems(reader) == []
    assert rows[0] == (
        2,
        {
            "name": "=cup",
            "sku": "-CUP",
            "barcode": "4006381333931",
            "description": "@note",
            "price": Decimal("7.50"),
            "quantity": 3,
            "reorder_level": 5,
        },
    )
    assert rows[1][1]["sku"] is None
    assert rows[1][1]["barcode"] is None


def test_every_bad_cell_is_reported_with_its_line_and_the_good_rows_still_read() -> None:
    text = (
        "name,price,quantity,sku,barcode,reorder_level\n"
        "Good,1,1,G-1,,0\n"
        ",x,-1,bad sku,4006381333932,1.5\n"
        '"multi\nline name",2,2,,,\n'
        "Short,1\n"
        "Also good,3.999,,,,\n"
    )
    reader, rows = read(text)
    assert [line for line, _ in rows] == [2, 4]  # a quoted line break stays in one row (line 4)
    assert rows[1][1]["name"] == "multi\nline name"
    assert problems(reader) == [
        (3, "name", "is required"),
        (3, "price", "Input should be a valid decimal"),
        (3, "quantity", "must be a whole number, 0 or more"),
        (3, "sku", "may contain only the letters A-Z and a-z, digits and - _ . /"),
        (
            3,
            "barcode",
            "has a wrong check digit: a GTIN starting 400638133393 ends in 1"
            " (if a spreadsheet wrote it as a number, format the column as text and type it again)",
        ),
        (3, "reorder_level", "must be a whole number, 0 or more"),
        (5, None, "has 2 cells; the header has 6"),
        (6, "price", "Decimal input should have no more than 2 decimal places"),
    ]


def test_empty_number_cells_are_zero_and_blank_rows_are_skipped() -> None:
    reader, rows = read("name,price,quantity,reorder_level\n\nCup,1,,\n,,,\n")
    assert problems(reader) == []
    assert rows == [(3, {"name": "Cup", "price": Decimal("1"), "quantity": 0, "reorder_level": 0})]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "name,price,quantiy",
            [
                (
                    1,
                    "quantiy",
                    "unknown column; the columns are id, name, sku, barcode, description, price,"
                    " quantity, reorder_level, average_cost, stock_value, created_at, updated_at",
                )
            ],
        ),
        ("name,price,price", [(1, "price", "appears more than once")]),
        ("name,quantity", [(1, "price", "is required: the header must have this column")]),
    ],
)
def test_a_bad_header_refuses_the_file(header: str, expected: list[tuple[int, str, str]]) -> None:
    assert refused(header + "\nCup,1,1\n") == expected


def test_an_empty_file_is_refused() -> None:
    assert refused("") == [(1, None, "the file is empty: the first line must name the columns")]
    assert refused("\ufeff") == [(1, None, "the file is empty: the first line must name the columns")]


def test_text_that_is_not_utf8_is_reported_in_its_cell() -> None:
    reader, rows = read(b"name,price\nCup,1\nCaf\xe9,2\n")
    assert rows == [(2, {"name": "Cup", "price": Decimal("1")})]
    assert problems(reader) == [(3, "name", "is not UTF-8 text: save the file as 'CSV UTF-8'")]


def test_broken_quoting_stops_the_reading() -> None:
    reader, _ = read('name,price\n"Cup"x,1\n')
    assert [(line, column) for line, column, _ in problems(reader)] == [(2, None)]


def test_more_rows_than_the_limit_is_too_large() -> None:
    _, rows = read("name,price\nA,1\n\nB,1\n", max_rows=2)
    assert len(rows) == 2
    with pytest.raises(FileTooLargeError, match="more than 2 products"):
        read("name,price\nA,1\nB,1\nC,1\n", max_rows=2)


def test_a_file_saved_where_the_decimal_mark_is_a_comma_reads_as_the_same_products() -> None:
    excel = '\ufeffname;price;quantity;description\r\nMilk jug;7,50;3;"Steel; 600 ml, polished"\r\n'
    reader, rows = read(excel + "Teapot;1.234,50;1;\r\nCup;4.25;2;\r\n")
    assert reader.separator == ";"
    assert rows == [
        (
            2,
            {
                "name": "Milk jug",
                "price": Decimal("7.50"),
                "quantity": 3,
                "description": "Steel; 600 ml, polished",
            },
        ),
        (3, {"name": "Teapot", "price": Decimal("1234.50"), "quantity": 1, "description": ""}),
        (4, {"name": "Cup", "price": Decimal("4.25"), "quantity": 2, "description": ""}),
    ]
    tabs, tab_rows = read("name\tprice\nMilk jug\t7,5\n")
    assert (tabs.separator, tab_rows) == ("\t", [(2, {"name": "Milk jug", "price": Decimal("7.5")})])


def test_a_comma_file_keeps_its_comma_rules() -> None:
    reader, rows = read('name,price\nMilk jug,"7,50"\n')
    assert (reader.separator, rows) == (",", [])  # a decimal comma in a comma file is not guessed at
    assert problems(reader)[0][:2] == (2, "price")
