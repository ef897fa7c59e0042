"""What the CSV export and import share: the columns, and the guard against spreadsheet formulas.

A cell that starts with `=`, `+`, `-`, `@`, tab or CR would run as a formula when a spreadsheet
opens the file (OWASP "CSV Injection"), so the export writes it with a leading `'`, which makes
any spreadsheet show it as text. `unguarded` undoes exactly that, so that an exported file
imports back as the same values: a value that itself starts with `'` before such a character
gets one more `'` on the way out and loses one on the way in.
"""

from app.models import READ_COLUMNS

HEADER = tuple(column.name for column in READ_COLUMNS)
"""The export's header row, in `READ_COLUMNS` order."""
LEVELS_HEADER = ("product_id", "product_name", "sku", "location_id", "location_name", "quantity")
"""The header of `GET /stock.csv`: one row per product and location holding some."""
READ_ONLY_COLUMNS = frozenset({"id", "average_cost", "stock_value", "created_at", "updated_at"})
"""Columns an import accepts (an export has them) but ignores: the database sets these."""

GUARD = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(cell: str) -> str:
    """The cell as a spreadsheet must show it: text, never a formula."""
    return GUARD + cell if cell.lstrip(GUARD).startswith(FORMULA_STARTS) else cell


def unguarded(cell: str) -> str:
    """The value an exported cell stands for (the inverse of `guarded`)."""
    if cell.startswith(GUARD) and cell.lstrip(GUARD).startswith(FORMULA_STARTS):
        return cell[1:]
    return cell
