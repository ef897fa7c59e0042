"""Paging headers: the `Link: <...>; rel="next"` of a page, and the client's `Prefer` header.

The next link is relative (path and query, RFC 8288 allows it), so it stays right behind a load
balancer or proxy whatever host name the client used; it keeps every query parameter of the
request (filters, limit) but the cursor, which it sets, and those named in `drop`.
"""

from collections.abc import Iterable

from fastapi import Request


def next_link(request: Request, *, drop: Iterable[str] = (), **cursor: int) -> str:
    url = request.url.remove_query_params([*drop, *cursor]).include_query_params(**cursor)
    return f'<{url.path}?{url.query}>; rel="next"'


def preferences(values: Iterable[str] | None) -> dict[str, str]:
    """RFC 7240 preferences (`Prefer: count=none, return=minimal`) by name; parameters after `;` dropped.

    Names are case-insensitive; a preference given twice keeps its first value; malformed parts are ignored.
    """
    found: dict[str, str] = {}
    for header in values or ():
        for part in header.split(","):
            name, _, value = part.split(";", 1)[0].partition("=")
            name = name.strip().lower()
            if name:
                found.setdefault(name, value.strip().strip('"'))
    return found
