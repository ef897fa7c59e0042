"""Paging headers: the `Link: <...>; rel="next"` of a list that has more to give, and `Prefer`.

The link is a relative reference (path and query: RFC 8288 resolves it against the request's
URL), so no answer carries a host name taken from the request's `Host` header.

A list answers `Prefer: count=none` (as PostgREST spells it) by leaving its count out.
"""

from collections.abc import Iterable

from starlette.datastructures import URL


def next_link(url: URL, **cursor: int) -> str:
    """The request's own path and query with the cursor parameters replaced, every other one kept."""
    following = url.include_query_params(**cursor)
    return f'<{following.path}?{following.query}>; rel="next"'


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
