"""Paging headers: the `Link: <...>; rel="next"` of a list that has more to give, and `Prefer`.

A list answers `Prefer: count=none` (as PostgREST spells it) by leaving its count out.
"""

from collections.abc import Iterable

from starlette.datastructures import URL


def next_link(url: URL, **cursor: int) -> str:
    """The request's own URL with the cursor parameters replaced, every other one kept."""
    return f'<{url.include_query_params(**cursor)}>; rel="next"'


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
