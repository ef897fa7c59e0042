"""Cursor paging: the `Link: <...>; rel="next"` header of a list that has more to give."""

from starlette.datastructures import URL


def next_link(url: URL, **cursor: int) -> str:
    """The request's own URL with the cursor parameters replaced, every other one kept."""
    return f'<{url.include_query_params(**cursor)}>; rel="next"'
