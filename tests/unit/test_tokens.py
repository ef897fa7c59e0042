"""API key secrets: their shape, their hash, and reading them from an Authorization header."""

import hashlib

import pytest

from app.auth.tokens import TOKEN, bearer_token, new_token, token_hash

KEY = new_token().encode()


def test_keys_are_random_256_bit_tokens_with_a_prefix() -> None:
    keys = {new_token() for _ in range(100)}
    assert len(keys) == 100
    assert all(TOKEN.fullmatch(key.encode()) and len(key) == 47 for key in keys)


def test_only_the_sha256_of_a_key_is_kept() -> None:
    assert token_hash(KEY) == hashlib.sha256(KEY).digest()
    assert len(token_hash(KEY)) == 32


@pytest.mark.parametrize("header", [b"Bearer " + KEY, b"bearer " + KEY, b"BEARER  " + KEY + b" "])
def test_a_bearer_header_yields_its_key(header: bytes) -> None:
    assert bearer_token(header) == KEY


@pytest.mark.parametrize(
    "header",
    [
        b"",
        b"Bearer",
        b"Bearer ",
        b"Basic dXNlcjpwYXNz",
        b"Token " + KEY,
        KEY,
        b"Bearer " + KEY + b"x",
        b"Bearer " + KEY[:-1],
        b"Bearer " + KEY + b" extra",
        b"Bearer " + KEY.replace(b"_", b"\xff", 1),
        "Bearer café".encode(),
        b"Bearer " + b"a" * 9000,
        b"Bearer\t" + KEY,
    ],
)
def test_anything_else_is_no_key(header: bytes) -> None:
    assert bearer_token(header) is None
