"""The routers, one module per resource: products, stock (moves, counts, movements), spreadsheets
(the CSV export and import) and health; none imports another (what they share is in app.api)."""
