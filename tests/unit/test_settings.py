"""Settings and the one place uvicorn's flags come from (run.sh, Docker and bench/ share it)."""

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from app.cli.serve import open_to_the_network, uvicorn_command, uvicorn_flags
from app.core.access import AuthMode
from app.core.config import DEFAULT_DATABASE_URL, Settings


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


def test_auth_off_beyond_loopback_warns_at_start_up() -> None:
    for host in ("0.0.0.0", "192.168.1.20", "::", "shop.example"):  # noqa: S104  (values, not binds)
        warning = open_to_the_network(Settings(host=host, port=8000))
        assert warning is not None
        assert host in warning
        assert "AUTH_MODE" in warning
    for host in ("127.0.0.1", "127.0.1.1", "localhost", "::1", "[::1]"):
        assert open_to_the_network(Settings(host=host)) is None
    assert open_to_the_network(Settings(host="0.0.0.0", auth_mode=AuthMode.WRITES)) is None  # noqa: S104
    assert Settings().auth_mode is AuthMode.OFF


def test_python_m_app_serve_gives_that_warning_before_uvicorn_starts() -> None:
    """192.0.2.1 (TEST-NET-1) is no address of this machine: uvicorn fails to bind and exits."""
    served = subprocess.run(
        [sys.executable, "-m", "app.cli.serve"],
        env={**os.environ, "HOST": "192.0.2.1", "PORT": "8000", "AUTH_MODE": "off", "WEB_CONCURRENCY": "1"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert served.returncode != 0
    assert served.stderr.startswith("WARNING:  AUTH_MODE is off and the service listens on 192.0.2.1")


def test_no_proxy_is_trusted_to_name_the_client_unless_named() -> None:
    assert "--no-proxy-headers" in uvicorn_command(Settings())
    named = uvicorn_command(Settings(forwarded_allow_ips="172.28.0.10"))
    assert named[named.index("--forwarded-allow-ips") + 1] == "172.28.0.10"
    with pytest.raises(ValidationError, match="never"):
        Settings(forwarded_allow_ips="*")


def test_the_migrations_run_as_the_owner_unless_one_role_is_given() -> None:
    default = Settings(database_url=DEFAULT_DATABASE_URL, migration_database_url=None)
    assert default.migration_url.startswith("postgresql+asyncpg://inventory_owner:")
    one_role = Settings(database_url="postgresql://shop:pw@db:5432/shop")
    assert one_role.migration_url == one_role.database_url
    two_roles = Settings(
        database_url="postgresql://shop:pw@db/shop", migration_database_url="postgresql://own:pw@db/shop"
    )
    assert two_roles.migration_url == "postgresql+asyncpg://own:pw@db/shop"
    assert Settings(migration_database_url="").migration_database_url is None
