"""What a command line says for a database it cannot reach, for the errors asyncpg raises where
`localhost` has two addresses (a fresh Debian's ::1 and 127.0.0.1) as well as one."""

import pytest

from app.cli.database_problems import database_problem

URL = "postgresql+asyncpg://inventory_user:secret@localhost:1/inventory_db"
BOTH_REFUSED = OSError(
    "Multiple exceptions: [Errno 111] Connect call failed ('::1', 1, 0, 0),"
    " [Errno 111] Connect call failed ('127.0.0.1', 1)"
)


@pytest.mark.parametrize("error", [ConnectionRefusedError(111, "Connect call failed"), BOTH_REFUSED])
def test_a_refused_connection_says_so_on_any_number_of_addresses(error: OSError) -> None:
    said = database_problem(error, URL)
    assert said is not None
    assert said.startswith("nothing answers at localhost:1 (connection refused): is PostgreSQL running there")
    assert "secret" not in said


def test_an_unknown_host_names_the_resolver_s_reason() -> None:
    said = database_problem(OSError(-2, "Name or service not known"), URL)
    assert said is not None
    assert "(Name or service not known)" in said
