"""Settings read from the environment (and an optional `.env` file)."""

from functools import lru_cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.core.access import AuthMode

URL_FORM = "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
POSTGRES_DRIVERS = frozenset({"postgres", "postgresql", "postgresql+asyncpg"})
DEFAULT_DATABASE_URL = "postgresql+asyncpg://inventory_user:inventory_pass@localhost:5432/inventory_db"
"""The serving role on the local server: it owns nothing and holds only the privileges it uses."""
DEFAULT_MIGRATION_DATABASE_URL = (
    "postgresql+asyncpg://inventory_owner:inventory_owner_pass@localhost:5432/inventory_db"
)
"""The role that owns the tables and runs the migrations, on the same local server."""


class Settings(BaseSettings):
    """Every knob of the service; each field is read from the upper-case variable of its name."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    migration_database_url: str | None = Field(
        default=None,
        description="The role that owns the tables and runs the migrations; unset: DATABASE_URL's"
        " (one role), or the local owner role when DATABASE_URL is the default too.",
    )
    db_pool_size: int = Field(
        default=20, ge=1, description="Connections each worker keeps: at least its share of the clients."
    )
    db_max_overflow: int = Field(
        default=10, ge=0, description="Extra connections a worker may open under bursts."
    )
    db_pool_timeout: float = Field(default=5.0, gt=0, description="Seconds to wait for a pooled connection.")
    db_connect_timeout: float = Field(default=3.0, gt=0, description="Seconds to wait for a new connection.")
    db_statement_timeout_ms: int = Field(default=5000, ge=0, description="PostgreSQL statement_timeout.")
    db_pgbouncer: bool = Field(
        default=False,
        description="DATABASE_URL is a PgBouncer in transaction mode: no prepared statement is reused"
        " or named twice, and no setting rides in the startup packet.",
    )
    max_body_bytes: int = Field(default=64 * 1024, ge=0, description="Larger request bodies get 413.")
    import_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=0, description="Larger CSV imports (POST /products/import) get 413."
    )
    import_max_rows: int = Field(
        default=20_000, ge=1, description="CSV imports with more product rows get 413."
    )
    host: str = Field(default="127.0.0.1", description="Where `python -m app.cli.serve` listens.")
    port: int = Field(default=8000, ge=1, le=65535)
    web_concurrency: int = Field(default=2, ge=1, description="uvicorn worker processes.")
    access_log: bool = Field(default=False, description="Log every request.")
    forwarded_allow_ips: str = Field(
        default="",
        description="Comma-separated addresses of the proxies trusted to name the client"
        " (X-Forwarded-For); empty (the default): none, the TCP peer is the client. Never '*'.",
    )
    auth_mode: AuthMode = Field(
        default=AuthMode.OFF, description="off: no keys; writes: writes need a write key; all: every route."
    )
    auth_failure_limit: int = Field(default=20, ge=1, description="Invalid keys per address before 429.")
    auth_failure_window_seconds: float = Field(default=60.0, gt=0, description="The window of that limit.")
    idempotency_ttl_hours: float = Field(
        default=24, gt=0, description="How long a write's Idempotency-Key is remembered."
    )
    idempotency_purge_seconds: float = Field(
        default=300, gt=0, description="How often each worker deletes keys older than the TTL."
    )
    value_fold_seconds: float = Field(
        default=10,
        gt=0,
        description="How often each worker folds the value changes into the reports' buckets.",
    )
    allowed_hosts: str = Field(
        default="*",
        description="Comma-separated host names the service answers to (the Host header, port"
        " ignored); any other is 400. `*` (the default): any.",
    )
    cors_origins: str = Field(
        default="", description="Comma-separated origins allowed by CORS; empty (the default) turns CORS off."
    )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def named_proxies_only(cls, value: str) -> str:
        """Trusting every peer to name the client lets any client pick the address it is throttled as."""
        if "*" in value:
            raise ValueError("FORWARDED_ALLOW_IPS must name the proxies (e.g. 172.28.0.10), never '*'")
        return value.strip()

    @field_validator("database_url", "migration_database_url")
    @classmethod
    def use_asyncpg_driver(cls, url: str | None) -> str | None:
        """Accept the plain `postgresql://` form too, and always talk to it through asyncpg; refuse
        what is not a PostgreSQL URL (the message never repeats the URL: it holds a password)."""
        if not url:  # unset, or set to nothing
            return None
        try:
            parsed = make_url(url)
            _ = parsed.port  # a port that is not a number fails here
        except (ArgumentError, ValueError):
            raise ValueError(f"is not a URL of the form {URL_FORM}") from None
        if parsed.drivername not in POSTGRES_DRIVERS:
            raise ValueError(f"names {parsed.drivername}://, not PostgreSQL: use {URL_FORM}")
        if parsed.drivername in {"postgres", "postgresql"}:
            parsed = parsed.set(drivername="postgresql+asyncpg")
        return parsed.render_as_string(hide_password=False)

    @property
    def migration_url(self) -> str:
        """Where the migrations run: MIGRATION_DATABASE_URL, else the local owner role when
        DATABASE_URL is the default, else DATABASE_URL itself (a one-role installation)."""
        if self.migration_database_url:
            return self.migration_database_url
        if self.database_url == DEFAULT_DATABASE_URL:
            return DEFAULT_MIGRATION_DATABASE_URL
        return self.database_url

    @property
    def allowed_host_list(self) -> list[str] | None:
        """The allowed host names, or None when any is (`*`)."""
        names = [name.strip() for name in self.allowed_hosts.split(",") if name.strip()]
        return None if "*" in names or not names else names

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
