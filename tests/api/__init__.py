"""The HTTP contract, exercised through the app (httpx on ASGI) against the test database."""
