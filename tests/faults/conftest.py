"""Every test here starts with empty tables in the test database."""

import pytest


@pytest.fixture(autouse=True)
def _start_empty(empty_tables: None) -> None:
    """Requesting `empty_tables` is the whole job."""
