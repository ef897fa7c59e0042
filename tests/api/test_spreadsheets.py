"""CSV export and import: the bytes a spreadsheet gets, and what an import leaves in PostgreSQL."""

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient, Response

from app.core.config import Settings
from app.crud.product_import import MERGE_BATCH
from app.spreadsheets.columns import HEADER
from tests.support.app import AppFactory, asgi_client
from tests.support.payloads import create_product
from tests.support.sql import assert_ledger_holds, movements

BOM = b"\xef\xbb\xbf"
GTIN = "4006381333931"
SNAPSHOT = "SELECT * FROM products ORDER BY id"
LEDGER = "SELECT count(*) FROM stock_movements"


async def export(client: AsyncClient, query: str = "") -> list[dict[str, str]]:
    """GET /products.csv, checked for its framing, read back as one dict per row."""
    response = await client.get(f"/products.csv?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(BOM + ",".join(HEADER).encode() + b"\r\n")
    return list(csv.DictReader(io.StringIO(response.content[len(BOM) :].decode(), newline="")))


def as_csv(rows: list[dict[str, Any]], columns: tuple[str, ...] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns)
    writer.writeheader()
    writer.writerows(rows)
    return BOM + buffer.getvalue().encode()


async def upload(client: AsyncClient, body: str | bytes, query: str = "") -> Response:
    content = body.encode() if isinstance(body, str) else body
    return await client.post(
        f"/products/import?{query}", content=content, headers={"content-type": "text/csv"}
    )


async def snapshot(db: asyncpg.Connection) -> list[dict[str, Any]]:
    return [dict(row) for row in await db.fetch(SNAPSHOT)]


@pytest.fixture
async def shelf(client: AsyncClient) -> list[dict[str, Any]]:
    """Products with every kind of cell: codes, formula starts, commas, quotes, line breaks."""
    return [
        await create_product(
            client, name="Espresso cup", price="7.5", quantity=24, sku="CUP-1", barcode=GTIN
        ),
        await create_product(client, name="=HYPERLINK(1)", description='-3 "quoted", with a comma', price=0),
        await create_product(
            client, name="Lid", description="two\nlines", sku="-LID", quantity=2, reorder_level=5
        ),
        await create_product(
            client, name="Thé vert 緑茶", description="\tindented", price="1234567.89", quantity=0
        ),
    ]


async def test_export_writes_what_the_json_says(client: AsyncClient, shelf: list[dict[str, Any]]) -> None:
    rows = await export(client)
    expected = [
        {name: "" if product[name] is None else str(product[name]) for name in HEADER} for product in shelf
    ]
    expected[1]["name"] = "'=HYPERLINK(1)"
    expected[1]["description"] = '\'-3 "quoted", with a comma'
    expected[2]["sku"] = "'-LID"
    expected[3]["description"] = "'\tindented"
    assert rows == expected
    assert [row["price"] for row in rows] == ["7.50", "0.00", "19.99", "1234567.89"]


async def test_exported_bytes_quote_and_guard_cells(client: AsyncClient) -> None:
    product = await create_product(client, name="@cmd", description='a "b", c\r\nd', price="1.1", sku="-1")
    response = await client.get("/products.csv")
    line = response.content.split(b"\r\n", 1)[1]
    stamp = product["created_at"].encode()
    assert (
        line == b'1,\'@cmd,\'-1,,"a ""b"", c\r\nd",1.10,5,0,0.0000,0.0000,' + stamp + b"," + stamp + b"\r\n"
    )


async def test_an_empty_export_is_the_header(client: AsyncClient) -> None:
    assert await export(client) == []


@pytest.mark.parametrize(
    "query",
    ["", "low_stock=true", "low_stock=false", "q=cup", "sku=cup-1", f"barcode={GTIN}", "max_price=10"],
)
async def test_export_takes_the_filters_of_the_list(
    client: AsyncClient, shelf: list[dict[str, Any]], query: str
) -> None:
    listed = (await client.get(f"/products?limit=1000&{query}")).json()
    assert [int(row["id"]) for row in await export(client, query)] == [product["id"] for product in listed]


async def test_export_streams_every_row_once_across_batches(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    await db.execute(
        "INSERT INTO products (name, description, price, quantity, reorder_level)"
        " SELECT 'Item ' || n, '', n % 100, n % 7, n % 5 FROM generate_series(1, 4500) AS n"
    )
    rows = await export(client)
    assert [int(row["id"]) for row in rows] == list(range(1, 4501))
    low = await export(client, "low_stock=true")
    assert [int(row["id"]) for row in low] == [
        row["id"]
        for row in await db.fetch("SELECT id FROM products WHERE quantity <= reorder_level ORDER BY id")
    ]


async def test_an_unedited_export_imports_as_unchanged_and_writes_nothing(
    client: AsyncClient, db: asyncpg.Connection, shelf: list[dict[str, Any]]
) -> None:
    exported = (await client.get("/products.csv")).content
    before = await snapshot(db)
    response = await upload(client, exported)
    assert (response.status_code, response.json()) == (
        200,
        {"created": 0, "updated": 0, "unchanged": len(shelf), "changes": []},
    )
    assert await snapshot(db) == before  # updated_at too


async def test_a_spreadsheet_round_trip(
    client: AsyncClient, db: asyncpg.Connection, shelf: list[dict[str, Any]]
) -> None:
    rows: list[dict[str, Any]] = await export(client)
    rows[0]["price"] = "6.90"
    rows[2]["quantity"] = "40"
    rows[3]["description"] = "now, with a comma\nand a line"
    rows.append(
        {"name": "Milk jug", "price": "16.75", "quantity": "10", "sku": "JUG-600", "reorder_level": "3"}
    )
    rows.append({"name": "Tea infuser", "price": "4.5", "description": "=fine mesh"})
    response = await upload(client, as_csv(rows).replace(b"\r\n", b"\n"))
    assert (response.status_code, response.json()) == (
        200,
        {"created": 2, "updated": 3, "unchanged": 1, "changes": []},
    )
    await assert_ledger_holds(db)

    again = await export(client)
    assert [row["name"] for row in again] == [row["name"] for row in rows]
    untouched = ("id", "name", "sku", "barcode", "reorder_level", "created_at")
    for before, after in zip(rows[:4], again[:4], strict=True):
        assert {key: after[key] for key in untouched} == {key: before[key] for key in untouched}
    assert (again[0]["price"], again[2]["quantity"], again[3]["description"]) == (
        "6.90",
        "40",
        "now, with a comma\nand a line",
    )
    assert again[1] == rows[1]  # unchanged: not even updated_at moved
    assert {key: again[4][key] for key in ("name", "sku", "barcode", "description", "price", "quantity")} == {
        "name": "Milk jug",
        "sku": "JUG-600",
        "barcode": "",
        "description": "",
        "price": "16.75",
        "quantity": "10",
    }
    assert (again[5]["description"], again[5]["quantity"], again[5]["reorder_level"]) == (
        "'=fine mesh",
        "0",
        "0",
    )
    assert int(again[4]["id"]) < int(again[5]["id"])  # created in the file's order
    assert await db.fetchval("SELECT description FROM products WHERE name = 'Tea infuser'") == "=fine mesh"
    assert (await upload(client, (await client.get("/products.csv")).content)).json()["updated"] == 0


async def test_quantities_an_import_changes_are_correction_movements(
    client: AsyncClient, db: asyncpg.Connection, shelf: list[dict[str, Any]]
) -> None:
    body = (
        "name,price,quantity\nEspresso cup,7.50,30\nLid,19.99,0\nThé vert 緑茶,1234567.89,0\n"
        "Jug,3,8\nBowl,2,0\n"
    )
    response = await upload(client, body)
    assert response.json() == {"created": 2, "updated": 2, "unchanged": 1, "changes": []}
    cup, lid, tea = (product["id"] for product in (shelf[0], shelf[2], shelf[3]))
    assert (await movements(db, cup))[1:] == [
        {"delta": 6, "quantity_after": 30, "reason": "correction", "note": ""}
    ]
    assert (await movements(db, lid))[1:] == [
        {"delta": -2, "quantity_after": 0, "reason": "correction", "note": ""}
    ]
    assert await movements(db, tea) == []  # quantity 0 before and after: nothing to record
    jug = await db.fetchval("SELECT id FROM products WHERE name = 'Jug'")
    bowl = await db.fetchval("SELECT id FROM products WHERE name = 'Bowl'")
    assert await movements(db, jug) == [{"delta": 8, "quantity_after": 8, "reason": "initial", "note": ""}]
    assert await movements(db, bowl) == []
    await assert_ledger_holds(db)


async def test_names_match_case_insensitively_and_absent_columns_keep_their_values(
    client: AsyncClient, db: asyncpg.Connection, shelf: list[dict[str, Any]]
) -> None:
    body = "\ufeffPrice,NAME\r\n8.00,espresso CUP\r\n1,New one\r\n"
    response = await upload(client, body)
    assert (response.status_code, response.json()) == (
        200,
        {"created": 1, "updated": 1, "unchanged": 0, "changes": []},
    )
    cup = await db.fetchrow("SELECT * FROM products WHERE id = $1", shelf[0]["id"])
    assert cup is not None
    assert (cup["name"], str(cup["price"]), cup["quantity"], cup["sku"], cup["barcode"]) == (
        "espresso CUP",
        "8.00",
        24,
        "CUP-1",
        GTIN,
    )
    new = await db.fetchrow("SELECT * FROM products WHERE name = 'New one'")
    assert new is not None
    assert (new["description"], new["quantity"], new["reorder_level"], new["sku"]) == ("", 0, 0, None)


async def test_an_empty_code_cell_clears_the_code(
    client: AsyncClient, db: asyncpg.Connection, shelf: list[dict[str, Any]]
) -> None:
    response = await upload(client, "name,price,sku,barcode\nEspresso cup,7.50,,\n")
    assert response.json() == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "changes": [
            {"line": 2, "column": "barcode", "before": "4006381333931", "after": None},
            {"line": 2, "column": "sku", "before": "CUP-1", "after": None},
        ],
    }
    assert await db.fetchval(
        "SELECT sku IS NULL AND barcode IS NULL FROM products WHERE id = $1", shelf[0]["id"]
    )


async def test_one_bad_row_changes_nothing_and_every_bad_cell_is_listed(
    client: AsyncClient, db: asyncpg.Connection, shelf: list[dict[str, Any]]
) -> None:
    body = (
        "name,price,quantity,sku,barcode\n"
        "Espresso cup,9.99,1,CUP-1,\n"  # a valid update: must not happen
        "Brand new,1,1,NEW-1,\n"  # a valid create: must not happen
        "Lid,-1,1.5,LID,4006381333932\n"
        "brand NEW,2,2,,\n"  # the same name as line 3
        "Other,3,3,cup-1,\n"  # the SKU of line 2
        f"Third,3,3,,{GTIN}\n"  # the barcode of Espresso cup, which line 2 keeps
        ",,,,\n"  # blank: skipped
        "Fourth,4,4,-LID,\n"  # the SKU of Lid, which the file does not change
    )
    before, recorded = await snapshot(db), await db.fetchval(LEDGER)
    response = await upload(client, body)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"line": 4, "column": "price", "reason": "Input should be greater than or equal to 0"},
        {"line": 4, "column": "quantity", "reason": "must be a whole number, 0 or more"},
        {
            "line": 4,
            "column": "barcode",
            "reason": "has a wrong check digit: a GTIN starting 400638133393 ends in 1"
            " (if a spreadsheet wrote it as a number, format the column as text and type it again)",
        },
        {"line": 5, "column": "name", "reason": "this name (in any case) repeats line 3"},
        {"line": 6, "column": "sku", "reason": "this SKU (in any case) repeats line 2"},
        {
            "line": 6,
            "column": "sku",
            "reason": "this SKU (in any case) belongs to the product named 'Espresso cup'",
        },
        {
            "line": 7,
            "column": "barcode",
            "reason": "this barcode belongs to the product named 'Espresso cup'",
        },
        {"line": 9, "column": "sku", "reason": "this SKU (in any case) belongs to the product named 'Lid'"},
    ]
    assert await snapshot(db) == before
    assert await db.fetchval(LEDGER) == recorded


async def test_a_dry_run_reports_and_changes_nothing(
    client: AsyncClient, db: asyncpg.Connection, shelf: list[dict[str, Any]]
) -> None:
    before, recorded = await snapshot(db), await db.fetchval(LEDGER)
    body = "name,price,quantity\nEspresso cup,7.50,30\nLid,19.99,2\nNew,1,1\n"
    response = await upload(client, body, "dry_run=true")
    assert (response.status_code, response.json()) == (
        200,
        {"created": 1, "updated": 1, "unchanged": 1, "changes": []},
    )
    assert await snapshot(db) == before
    assert await db.fetchval(LEDGER) == recorded
    assert (await upload(client, body)).json() == {"created": 1, "updated": 1, "unchanged": 1, "changes": []}


async def test_an_unknown_column_is_422(client: AsyncClient, db: asyncpg.Connection) -> None:
    response = await upload(client, "name,price,quantiy\nCup,1,1\n")
    assert response.status_code == 422
    assert [(item["line"], item["column"]) for item in response.json()["detail"]] == [(1, "quantiy")]
    assert await db.fetchval("SELECT count(*) FROM products") == 0


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/x-www-form-urlencoded", "text/csv; charset=latin-1", ""]
)
async def test_a_body_that_is_not_utf8_csv_is_415(client: AsyncClient, content_type: str) -> None:
    response = await client.post(
        "/products/import", content=b"name,price\nCup,1\n", headers={"content-type": content_type}
    )
    assert response.status_code == 415
    assert "text/csv" in response.json()["detail"]


async def test_files_beyond_the_json_body_limit_are_read(client: AsyncClient, db: asyncpg.Connection) -> None:
    body = "name,description,price\n" + "".join(f"Item {n},{'x' * 1000},1\n" for n in range(300))
    assert len(body) > Settings().max_body_bytes
    assert (await upload(client, body)).json() == {
        "created": 300,
        "updated": 0,
        "unchanged": 0,
        "changes": [],
    }
    assert await db.fetchval("SELECT count(*) FROM products") == 300


@pytest.fixture
async def small_limits(app_factory: AppFactory) -> AsyncIterator[AsyncClient]:
    """A client on an app whose import limits are 2,000 bytes and 3 products."""
    async with app_factory(import_max_bytes=2000, import_max_rows=3) as limited, asgi_client(limited) as http:
        yield http


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("name,price\n" + "A,1\n" * 600, "Content Too Large"),
        ("name,price\nA,1\nB,1\n\nC,1\nD,1\n", "The file has more than 3 products; import it in parts"),
    ],
)
async def test_beyond_the_limits_is_413_and_changes_nothing(
    small_limits: AsyncClient, db: asyncpg.Connection, body: str, detail: str
) -> None:
    response = await upload(small_limits, body)
    assert (response.status_code, response.json()) == (413, {"detail": detail})
    assert await db.fetchval("SELECT count(*) FROM products") == 0
    assert (await upload(small_limits, "name,price\nA,1\nB,1\n\nC,1\n")).status_code == 200


async def test_a_european_spreadsheet_imports_as_it_reads(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    body = "\ufeffname;price;quantity;sku\r\nMilk jug;16,75;3;JUG-600\r\nGift card;1.025,00;10;\r\n"
    response = await upload(client, body.encode("utf-8"))
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0, "changes": []}
    stored = await db.fetch("SELECT name, price::text, quantity, sku FROM products ORDER BY name")
    assert [tuple(row) for row in stored] == [
        ("Gift card", "1025.00", 10, None),
        ("Milk jug", "16.75", 3, "JUG-600"),
    ]
    await assert_ledger_holds(db)


async def test_a_dry_run_shows_the_codes_a_spreadsheet_changed(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    await create_product(client, name="Filters", sku="0001", barcode="0614141000036")
    before = await snapshot(db)
    body = "name,price,sku,barcode\nFilters,5.95,1,614141000036\n"  # what a spreadsheet does to 0001
    checked = await upload(client, body, "dry_run=true")
    changes = [  # both still valid codes, so nothing else would have said so
        {"line": 2, "column": "barcode", "before": "0614141000036", "after": "614141000036"},
        {"line": 2, "column": "sku", "before": "0001", "after": "1"},
    ]
    assert checked.json() == {"created": 0, "updated": 1, "unchanged": 0, "changes": changes}
    assert await snapshot(db) == before


async def test_an_import_larger_than_a_merge_batch_is_merged_whole_in_line_order(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    rows = MERGE_BATCH + 500
    names = [f"Bulk {number:05d}" for number in range(rows)]
    header = "name,price,quantity\n"
    first = await upload(
        client, header + "".join(f"{name},1.00,{number % 3}\n" for number, name in enumerate(names))
    )
    assert first.json() == {"created": rows, "updated": 0, "unchanged": 0, "changes": []}
    stored = [row["name"] for row in await db.fetch("SELECT name FROM products ORDER BY id")]
    assert stored == names  # created in the file's order, across the batches
    changed = {0, MERGE_BATCH - 1, MERGE_BATCH, rows - 1}  # both sides of a batch's edge
    body = "".join(
        f"{name},{'2.00' if number in changed else '1.00'},{number % 3 + (1 if number in changed else 0)}\n"
        for number, name in enumerate(names)
    )
    second = await upload(client, header + body)
    assert second.json() == {
        "created": 0,
        "updated": len(changed),
        "unchanged": rows - len(changed),
        "changes": [],
    }
    raised = await db.fetch("SELECT name FROM products WHERE price = 2 ORDER BY id")
    assert [row["name"] for row in raised] == [names[number] for number in sorted(changed)]
    await assert_ledger_holds(db)
