"""How tests/support/examples.py reads the docs' shell examples: where a command ends, which
comments are what it shows, and when an output matches them."""

from pathlib import Path

import pytest

from tests.support.examples import Command, commands_of, curl_outside_shell_blocks, sections

BLOCK = """\
# prose above a command is not an expectation
AUTH_MODE=writes ./run.sh          # in one terminal
curl -s -X POST localhost:8000/stock/batch -d '{"lines": [1,
                2]}'
# {"batch_id":...,"lines":2}
# second line

# prose again
curl -o stock.csv localhost:8000/products.csv
"""


def numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.splitlines(), start=1))


def test_a_command_runs_over_lines_until_its_quotes_close_and_takes_the_comments_under_it() -> None:
    commands, settings = commands_of(numbered(BLOCK))
    assert settings == {"AUTH_MODE": "writes"}
    assert [command.line for command in commands] == [3, 9]
    assert commands[0].text.endswith("2]}'")
    assert commands[0].expected == ('{"batch_id":...,"lines":2}', "second line")
    assert commands[1].expected == ()
    assert commands[1].output_file == "stock.csv"
    assert commands[0].output_file is None


def test_a_command_that_never_ends_is_an_error() -> None:
    with pytest.raises(ValueError, match="never ends"):
        commands_of(numbered('curl -d \'{"open": 1'))


@pytest.mark.parametrize(
    ("output", "matches"),
    [
        ('{"batch_id":7,"lines":2}\nsecond line', True),
        ('noise\n{"batch_id":7,"x":1,"lines":2}\nmore\nsecond line\n', True),
        ('second line\n{"batch_id":7,"lines":2}', False),  # out of order
        ('{"batch_id":7,"lines":3}\nsecond line', False),
        ('x{"batch_id":7,"lines":2}\nsecond line', False),  # a whole line, not a part of one
        ('{"batch_id":7,"lines":2}', False),
    ],
)
def test_each_expectation_is_a_whole_output_line_in_order_with_wildcards(output: str, matches: bool) -> None:
    command = Command("curl x", 1, ('{"batch_id":...,"lines":2}', "second line"))
    assert (command.mismatch(output) is None) is matches


def test_sections_group_the_curl_blocks_by_heading_and_report_curl_elsewhere(tmp_path: Path) -> None:
    document = tmp_path / "doc.md"
    document.write_text(
        "# One\n\n```sh\ncurl a\n# A\n```\n\n```sh\necho no curl here\n```\n\n```sh\ncurl b\n```\n"
        "## Two\n\n```bash\ncurl c\n```\n\n```\ncurl d\n```\n"
    )
    found = sections(document)
    assert [(section.heading, [command.text for command in section.commands]) for section in found] == [
        ("One", ["curl a", "curl b"]),
        ("Two", ["curl c"]),
    ]
    assert curl_outside_shell_blocks(document) == [22]  # the first line inside that fence
