"""The catalogue in a real browser: SKU, barcode and reorder level through the form, a barcode
scanner (digits, then Enter), the low-stock marks and switch, CSV export and the import with its
dry-run report; then what PostgreSQL holds."""

import csv
import io
import time
from pathlib import Path

import asyncpg
import pytest
from httpx import AsyncClient

from tests.browser.shop import Shop
from tests.support.payloads import create_product
from tests.support.sql import one_row

pytestmark = [pytest.mark.browser, pytest.mark.server]

HEADER = (
    "id,name,sku,barcode,description,price,quantity,reorder_level,"
    "average_cost,stock_value,created_at,updated_at"
)
SHELF = [  # name, description, price, quantity, reorder level, barcode
    ("Espresso cup", "White porcelain, 90 ml", "7.50", 24, 6, "4006381333931"),
    ("Cappuccino mug", "Stoneware, 300 ml, speckled glaze", "12.90", 3, 6, "5901234123457"),
    ("French press", "Borosilicate glass and steel, 1 litre", "34.00", 6, 2, None),
    ("Pour-over dripper", "Ceramic cone, size 02", "22.50", 9, 3, None),
    ("Paper filters", "Size 02, pack of 100", "5.95", 0, 10, "96385074"),
    ("Coffee beans, house blend", "Medium roast, 250 g", "9.80", 40, 12, None),
    ("Loose-leaf green tea", "Sencha, 100 g tin", "11.20", 12, 4, None),
    ("Hand grinder", "Conical ceramic burrs, adjustable", "45.00", 2, 2, None),
]


async def stock_the_shelf(client: AsyncClient) -> None:
    for index, (name, description, price, quantity, reorder, barcode) in enumerate(SHELF, 1):
        await create_product(
            client,
            name=name,
            description=description,
            price=price,
            quantity=quantity,
            reorder_level=reorder,
            barcode=barcode,
            sku=f"CAF-{index:03}",
        )


async def test_catalogue_fields_from_the_form_and_the_scanner_finds_the_product(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection
) -> None:
    await stock_the_shelf(client)
    shop.open()
    shop.add_product(name="Oat milk", price="2.49", quantity="12", sku="oat-1l", barcode="4012345678908")
    assert "check digit" in shop.text_of("error-barcode", "check digit").lower()
    shop.fill("product-barcode", "4012345678901")
    shop.fill("product-reorder", "4")
    shop.by_id("product-submit").click()
    shop.wait_open("product-dialog", False)
    stored = await one_row(
        db, "SELECT sku, barcode, reorder_level, quantity FROM products WHERE name = 'Oat milk'"
    )
    assert stored == {"sku": "oat-1l", "barcode": "4012345678901", "reorder_level": 4, "quantity": 12}

    shop.scan("5901234123457")
    assert shop.text_of("focus-banner", "Cappuccino mug").startswith("Barcode 5901234123457: Cappuccino mug")
    assert shop.names() == ["Cappuccino mug"]
    shop.scan("4012345678901")  # the next scan replaces the previous one
    shop.until(lambda _: shop.names() == ["Oat milk"], "the second scan did not find Oat milk")
    shop.scan("0000000000000")
    assert shop.status("No product") == "No product has barcode 0000000000000."
    shop.by_id("focus-clear").click()
    shop.until(
        lambda _: len(shop.names()) == len(SHELF) + 1, "'Show all products' did not bring the list back"
    )


async def test_low_stock_is_marked_and_can_be_shown_alone(shop: Shop, client: AsyncClient) -> None:
    await stock_the_shelf(client)
    shop.open()
    low = {name for name, _, _, quantity, reorder, _ in SHELF if quantity <= reorder}
    assert low == {"Cappuccino mug", "Paper filters", "Hand grinder"}
    assert set(shop.names("#product-rows tr[data-low-stock=true]")) == low
    assert len(shop.css("#product-rows tr.low .badge")) == len(low)
    shop.screenshot("list")
    shop.by_id("low-stock").click()
    shop.until(lambda _: set(shop.names()) == low, "the switch did not show only the low-stock products")
    assert shop.by_id("page-info").text == "Products 1–3 of 3"
    assert "low_stock=true" in str(shop.by_id("export-csv").get_attribute("href"))


def downloaded(folder: Path) -> Path:
    """The one finished download in `folder` (waits up to 10 s)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        files = [path for path in folder.iterdir() if not path.name.endswith(".crdownload")]
        if files:
            return files[0]
        time.sleep(0.05)
    raise AssertionError("the export was never downloaded")


async def test_export_then_import_with_a_dry_run_first(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection, tmp_path: Path
) -> None:
    await stock_the_shelf(client)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    shop.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    shop.open()
    shop.by_id("export-csv").click()
    exported = downloaded(downloads)
    assert exported.name.startswith("products-")
    text = exported.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff" + HEADER)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [row["name"] for row in rows] == [name for name, *_ in SHELF]

    rows[0]["price"] = "7.90"  # Espresso cup: a new price
    rows[1]["quantity"] = "15"  # Cappuccino mug: a delivery counted in the spreadsheet
    rows.append({**dict.fromkeys(rows[0], ""), "name": "Oat milk", "price": "2.49", "quantity": "12"})
    edited = tmp_path / "edited.csv"
    with edited.open("w", newline="", encoding="utf-8") as sink:
        writer = csv.DictWriter(sink, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    before_dry_run = await db.fetch("SELECT * FROM products ORDER BY id")
    shop.by_id("import-open").click()
    shop.wait_open("import-dialog")
    shop.by_id("import-file").send_keys(str(edited))
    report = shop.text_of("import-report", "Check passed")
    assert report.startswith("Check passed; importing would make: 1 new, 2 updated, 6 unchanged.")
    shop.screenshot("import-dry-run")
    assert await db.fetch("SELECT * FROM products ORDER BY id") == before_dry_run  # a dry run changes nothing

    shop.visible("import-confirm").click()
    assert shop.text_of("import-report", "Imported") == "Imported: 1 new, 2 updated, 6 unchanged."
    shop.by_id("import-dialog").find_element("css selector", ".cancel").click()
    shop.row("Oat milk")  # the list was reloaded
    assert await db.fetchval("SELECT count(*) FROM products") == len(SHELF) + 1
    assert await db.fetchval("SELECT price::text FROM products WHERE name = 'Espresso cup'") == "7.90"
    correction = await one_row(
        db,
        "SELECT m.reason, m.delta, m.quantity_after FROM stock_movements m"
        " JOIN products p ON p.id = m.product_id WHERE p.name = 'Cappuccino mug' ORDER BY m.id DESC LIMIT 1",
    )
    assert correction == {"reason": "correction", "delta": 12, "quantity_after": 15}


async def test_a_bad_file_lists_every_bad_cell_and_imports_nothing(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection, tmp_path: Path
) -> None:
    await create_product(client, name="Milk jug", price="16.75")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,price,quantity\nMilk jug,15.00,3\nTea infuser,abc,2\nGift card,25.00,-1\n")
    shop.open()
    shop.by_id("import-open").click()
    shop.wait_open("import-dialog")
    shop.by_id("import-file").send_keys(str(bad))
    assert shop.text_of("import-report", "problem").startswith(
        "The file has 2 problem(s); nothing was imported."
    )
    lines_and_columns = [
        tuple(cell.text for cell in row.find_elements("css selector", "td")[:2])
        for row in shop.css("[data-testid=import-bad-cell]")
    ]
    assert lines_and_columns == [("3", "price"), ("4", "quantity")]
    assert not shop.by_id("import-confirm").is_displayed()
    assert await one_row(db, "SELECT count(*) AS n, min(price)::text AS price FROM products") == {
        "n": 1,
        "price": "16.75",
    }


async def test_a_european_spreadsheet_shows_the_codes_it_would_change(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection, tmp_path: Path
) -> None:
    await create_product(client, name="Paper filters", price="5.95", sku="0001")
    saved = tmp_path / "filters.csv"  # what Excel writes in Germany, with the SKU column as numbers
    saved.write_bytes("\ufeffname;price;sku\r\nPaper filters;6,25;1\r\n".encode())
    shop.open()
    shop.by_id("import-open").click()
    shop.wait_open("import-dialog")
    assert "semicolons" in shop.by_id("import-format").text
    shop.by_id("import-file").send_keys(str(saved))
    assert shop.text_of("import-report", "Check passed").startswith(
        "Check passed; importing would make: 0 new, 1 updated, 0 unchanged."
    )
    changes = [
        [cell.text for cell in row.find_elements("css selector", "td")]
        for row in shop.css("[data-testid=import-change]")
    ]
    assert changes == [["2", "SKU", "0001", "1"]]
    assert "leading zeros" in shop.by_id("import-report").text
    assert await db.fetchval("SELECT sku FROM products") == "0001"  # only checked
    shop.visible("import-confirm").click()
    shop.text_of("import-report", "Imported")
    stored = await db.fetchrow("SELECT price::text, sku FROM products")
    assert stored is not None
    assert (stored["price"], stored["sku"]) == ("6.25", "1")
