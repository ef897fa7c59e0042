"""API key secrets: made with `secrets`, stored only as their SHA-256, read from the header.

A key is `inv_` and 43 URL-safe base64 characters (32 random bytes, 256 bits). A slow password
hash (bcrypt, scrypt, Argon2) defends guessable human passwords; a 256-bit random secret cannot
be guessed or brute-forced from its hash, so SHA-256 suffices, and it lets the database find a
key by its hash through a unique index: no secret is ever compared byte by byte in Python, so
there is no timing leak to measure.
"""

import hashlib
import re
import secrets

PREFIX = "inv_"
SECRET_BYTES = 32
TOKEN = re.compile(rb"inv_[A-Za-z0-9_-]{43}")
"""The exact shape of a key: anything else is refused without a database lookup."""


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def token_hash(token: bytes) -> bytes:
    return hashlib.sha256(token).digest()


def bearer_token(header: bytes) -> bytes | None:
    """The key in an `Authorization: Bearer <key>` value, or None when it is not one.

    The scheme is case-insensitive (RFC 7235); the value is raw header bytes, so non-ASCII or
    oversized input is simply not a key.
    """
    scheme, _, credentials = header.partition(b" ")
    token = credentials.strip(b" ")
    if scheme.lower() != b"bearer" or not TOKEN.fullmatch(token):
        return None
    return token
