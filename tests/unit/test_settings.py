"""Settings and the one place uvicorn's flags come from (run.sh, Docker and bench/ share it)."""

import sys

from app.config import Settings
from app.serve import uvicorn_command, uvicorn_flags


def test_plain_postgresql_urls_use_asyncpg() -> None:
    settings = Settings(database_url="postgresql://u:p@db:5432/shop")
    assert settings.database_url == "postgresql+asyncpg://u:p@db:5432/shop"


def test_web_concurrency_is_the_one_workers_setting() -> None:
    settings = Settings(web_concurrency=3, host="0.0.0.0", port=9000)  # noqa: S104  (a value, not a bind)
    assert uvicorn_flags(settings)[:2] == ["--workers", "3"]
    command = uvicorn_command(settings)
    assert command[:4] == [sys.executable, "-m", "uvicorn", "app.main:app"]
    assert command[4:9] == ["--host", "0.0.0.0", "--port", "9000", "--no-access-log"]  # noqa: S104
    assert "--access-log" in uvicorn_command(Settings(access_log=True))


def test_cors_origins_are_a_comma_separated_list() -> None:
    assert Settings(cors_origins=" https://a.example ,, https://b.example").cors_origin_list == [
        "https://a.example",
        "https://b.example",
    ]
