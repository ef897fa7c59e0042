"""JSON bodies read with exact numbers: a JSON number becomes a `Decimal`, never a float.

Python's `json` turns `19.999999999999999999` into the float 20.0 and `1e-400` into 0.0 before
any validator sees them, so "at most 2 decimals" would pass a number that has 18. Read as
`Decimal`, the number keeps every digit the client sent and is refused exactly as the same
digits in a string are (`422`). Integers stay `int`, so a strict integer field still refuses
`5.0`. FastAPI reads the body through `Request.json()`, which returns what is cached here; a
body that is not valid JSON is left for FastAPI to refuse in its own words.
"""

import json
from decimal import Decimal

from starlette.requests import Request

CACHE = "_json"
"""Where Starlette's `Request.json()` keeps the parsed body (and returns it from)."""


async def read_numbers_exactly(request: Request) -> None:
    """Parse the request's JSON body with exact decimals, for the route to validate."""
    body = await request.body()
    if not body:
        return
    try:
        setattr(request, CACHE, json.loads(body, parse_float=Decimal))
    except (ValueError, UnicodeDecodeError):
        return
