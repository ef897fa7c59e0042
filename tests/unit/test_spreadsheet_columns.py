"""The formula guard: what a spreadsheet would run is written as text, and read back exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.spreadsheets.columns import guarded, unguarded


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-ABC", "'-ABC"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcell", "'\tcell"),
        ("\rcell", "'\rcell"),
        ("'=already quoted", "''=already quoted"),
        ("plain", "plain"),
        ("'apostrophe", "'apostrophe"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_cells_that_start_a_formula_are_written_as_text(value: str, written: str) -> None:
    assert guarded(value) == written
    assert unguarded(written) == value


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab"), max_size=6))
def test_reading_back_gives_every_value_exactly(value: str) -> None:
    assert unguarded(guarded(value)) == value
    assert not guarded(value).startswith(("=", "+", "-", "@", "\t", "\r"))
