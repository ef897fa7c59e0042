"""Request bodies over MAX_BODY_BYTES get 413 with a JSON detail, and the process does not grow.

Checked in process (declared and streamed bodies) and against a real uvicorn process with raw
sockets, so that the server's answer can come before the client has sent the whole body.
"""

import json
import socket
from collections.abc import AsyncIterator, Iterator

import pytest
from httpx import AsyncClient

from app.api.limits import CONTENT_TOO_LARGE
from app.core.config import Settings
from harness.server import serving

pytestmark = [pytest.mark.slow, pytest.mark.server]

LIMIT = Settings().max_body_bytes
CHUNK = b"x" * 65536


def padded(size: int) -> bytes:
    """A valid product body padded with whitespace to exactly `size` bytes."""
    body = json.dumps({"name": "Padded", "description": "", "price": "1", "quantity": 1}).encode()
    return body + b" " * (size - len(body))


async def stream(total: int) -> AsyncIterator[bytes]:
    for start in range(0, total, len(CHUNK)):
        yield CHUNK[: total - start]


async def test_body_at_the_limit_is_read(client: AsyncClient) -> None:
    response = await client.post(
        "/products", content=padded(LIMIT), headers={"content-type": "application/json"}
    )
    assert response.status_code == 201


@pytest.mark.parametrize("method", ["POST", "GET", "PATCH"])
async def test_declared_body_over_the_limit_is_413(client: AsyncClient, method: str) -> None:
    response = await client.request(method, "/products/1", content=padded(LIMIT + 1))
    assert (response.status_code, response.json()) == (413, {"detail": CONTENT_TOO_LARGE})


async def test_streamed_body_over_the_limit_is_413(client: AsyncClient) -> None:
    response = await client.post("/products", content=stream(10 * LIMIT))
    assert "content-length" not in response.request.headers
    assert (response.status_code, response.json()) == (413, {"detail": CONTENT_TOO_LARGE})


def raw_post(port: int, headers: str, body: Iterator[bytes]) -> int:
    """Send a POST a piece at a time until the server answers; its status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            f"POST /products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{headers}\r\n".encode()
        )
        try:
            for piece in body:
                connection.sendall(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed early, as it should
        return int(connection.recv(4096).split(b" ", 2)[1])


def chunked(total: int) -> Iterator[bytes]:
    for _ in range(total // len(CHUNK)):
        yield b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK)
    yield b"0\r\n\r\n"


def test_huge_bodies_get_413_from_the_real_server_without_it_growing(database_url: str) -> None:
    with serving(database_url) as server:
        port = server.port
        assert raw_post(port, "Content-Length: 10\r\n", iter([b"{}" + b" " * 8])) == 422
        before = server.memory_kib()
        for _ in range(20):
            # 1 GiB declared: refused before the body is read at all
            assert raw_post(port, "Content-Length: 1073741824\r\n", iter([CHUNK])) == 413
            # 4 MiB streamed in chunks: cut off at the limit
            assert raw_post(port, "Transfer-Encoding: chunked\r\n", chunked(4 << 20)) == 413
        growth = server.memory_kib() - before
    assert growth < 16 * 1024, f"RSS grew by {growth} KiB"
    print(f"\n40 oversized bodies (20 x 1 GiB declared, 20 x 4 MiB chunked): RSS grew {growth} KiB")
