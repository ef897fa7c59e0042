"""The HTTP layer every router shares: the connection dependency (`deps`), the Idempotency-Key
route class (`idempotency`), error handlers (`errors`), body limits (`limits`), query models
(`query`), paging headers (`paging`), OpenAPI response tables and path types (`responses`),
JSON rendering (`rendering`); the routers themselves are in `routes`."""
