"""Reaching a database from the tests and bench/: the plain libpq DSN that asyncpg takes."""

from sqlalchemy.engine import make_url


def asyncpg_dsn(url: str) -> str:
    """The plain libpq form of a SQLAlchemy URL (`postgresql+asyncpg://...`), for asyncpg.connect()."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
