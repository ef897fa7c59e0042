"""The tables, one module each; importing this package registers them all on `SQLModel.metadata`."""

from app.models.product import NAME_UNIQUE_INDEX, PRODUCTS, READ_COLUMNS, Product, ProductBase

__all__ = ["NAME_UNIQUE_INDEX", "PRODUCTS", "READ_COLUMNS", "Product", "ProductBase"]
