"""The data layer, SQL only: `product`, `stock` (moves, counts, movement lists), `product_import`
(the CSV import's staging and merge), `idempotency` (keys and stored outcomes) and `api_key`.

Keyword-only functions that take plain values or the module's own filter dataclasses and return
rows or the module's own dataclasses (never an API schema); a refusal is a domain error
(app.core.exceptions), never an HTTP one.
"""
