"""What a command line says when it cannot use DATABASE_URL: each failure as what is wrong and
what to do (a wrong password, a database that does not exist or is not migrated, nothing
listening, a URL that is not PostgreSQL's), never a traceback and never the password."""

import errno

from pydantic import ValidationError
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from app.core.database import DATABASE_UNAVAILABLE, is_database_unavailable

WRONG_LOGIN = frozenset({"28P01", "28000"})  # invalid_password, invalid_authorization_specification
NO_DATABASE = "3D000"  # invalid_catalog_name
NO_TABLE = "42P01"  # undefined_table: the migrations have not run


def settings_problem(error: ValidationError) -> str:
    """Why the settings were refused, naming each variable (but never its value)."""
    reasons = [
        f"{'.'.join(map(str, problem['loc'])).upper()} {problem['msg'].removeprefix('Value error, ')}"
        for problem in error.errors(include_url=False, include_input=False)
    ]
    return "; ".join(reasons)


def _sqlstate(error: BaseException) -> str:
    original = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    return str(getattr(original, "sqlstate", "") or "")


def refused(error: OSError) -> bool:
    """A refused connection, also when every address of the host refused it (asyncio then raises
    one OSError, "Multiple exceptions: [Errno 111] ...", for ::1 and 127.0.0.1 together)."""
    return isinstance(error, ConnectionRefusedError) or f"[Errno {errno.ECONNREFUSED}]" in str(error)


def database_problem(error: BaseException, url: str) -> str | None:
    """What is wrong with reaching `url` and what to do, or None when `error` is not about it."""
    target = make_url(url)
    where, database = f"{target.host or 'localhost'}:{target.port or 5432}", target.database
    state = _sqlstate(error)
    if state in WRONG_LOGIN:
        return (
            f"PostgreSQL at {where} refused the login of {target.username!r}: check the user and"
            " password in DATABASE_URL."
        )
    if state == NO_DATABASE:
        return (
            f"database {database!r} does not exist on {where}: check the name at the end of"
            " DATABASE_URL (./run.sh makes inventory_db, and another with ./run.sh --create-database)."
        )
    if state == NO_TABLE:
        return (
            f"database {database!r} on {where} has no tables yet: apply the migrations first"
            " (alembic upgrade head, which ./run.sh runs)."
        )
    if isinstance(error, OSError):
        reason = "connection refused" if refused(error) else error.strerror or error
        return (
            f"nothing answers at {where} ({reason}): is PostgreSQL running there,"
            " and is DATABASE_URL's host and port right? (./run.sh starts one.)"
        )
    if is_database_unavailable(error):
        return f"{DATABASE_UNAVAILABLE} (at {where})."
    return None
