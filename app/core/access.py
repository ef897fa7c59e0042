"""The words of access control, shared by the settings, the models and app.auth: `AuthMode`, `Role`."""

from enum import StrEnum


class AuthMode(StrEnum):
    """`AUTH_MODE`: which requests need an API key."""

    OFF = "off"
    """No key is needed anywhere (the default; app.cli.serve warns when it listens beyond loopback)."""
    WRITES = "writes"
    """Writes need a `write` key; reads are open."""
    ALL = "all"
    """Every request but the open paths needs a key; `read` keys may read, `write` keys may do all."""


class Role(StrEnum):
    """What an API key may do."""

    READ = "read"
    WRITE = "write"

    def allows(self, needed: "Role") -> bool:
        return self is Role.WRITE or needed is Role.READ
