"""Browser tests: the shop page in a real headless Chromium against a real uvicorn."""
