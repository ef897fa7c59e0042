"""The shell examples of the docs as data, for tests/api/test_doc_examples.py: `sections(path)`
reads a Markdown file's fenced `sh` and `bash` blocks that run `curl`, grouped by the heading they
stand under (one section's blocks continue each other and start from fresh sample data), and
splits them into commands, each with what its comments say it shows.

A command's expectations are the comment lines right under it (no blank line between): each is a
line of its output, in that order, where `...` stands for any text. A line such as
`AUTH_MODE=writes ./run.sh` says how the section's server runs: the test serves it that way
instead of running that line. Every other line runs as written, with `localhost:8000` pointing at
the test's server.
"""

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

FENCE = re.compile(r"^```(\w*)\s*$")
HEADING = re.compile(r"^#{1,6} (.+)$")
SHELL = frozenset({"sh", "bash"})
RUN_SH = re.compile(r"^((?:[A-Z_]+=\S+ +)*)\./run\.sh\s*(?:#.*)?$")
WILDCARD = "..."
SERVED_AT = "localhost:8000"


@dataclass(frozen=True)
class Command:
    """One shell command of an example, where it stands (file line) and what it should print."""

    text: str
    line: int
    expected: tuple[str, ...] = ()

    @property
    def runs_curl(self) -> bool:
        return self.text.lstrip().startswith("curl ")

    @property
    def output_file(self) -> str | None:
        """The file a `curl -o FILE` writes, if this is one."""
        words = shlex.split(self.text, comments=True)
        return words[words.index("-o") + 1] if self.runs_curl and "-o" in words else None

    def mismatch(self, output: str) -> str | None:
        """Why `output` is not what the expectations say (None when it is): each expectation must
        match a whole line of it, after the line the previous one matched."""
        lines = output.replace("\r", "").splitlines()
        cursor = 0
        for expectation in self.expected:
            pattern = expectation_pattern(expectation)
            found = next((at for at in range(cursor, len(lines)) if pattern.fullmatch(lines[at])), None)
            if found is None:
                return f"no line after line {cursor} of the output is {expectation!r}"
            cursor = found + 1
        return None


@dataclass(frozen=True)
class Section:
    """The shell examples under one heading of one file, in order, and their server's settings."""

    path: Path
    heading: str
    commands: tuple[Command, ...]
    server_settings: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.path.name}: {self.heading}"


def expectation_pattern(expectation: str) -> re.Pattern[str]:
    """A regular expression for one expected line: literal text, with `...` for any text."""
    return re.compile(".*?".join(re.escape(part) for part in expectation.split(WILDCARD)))


def is_complete(text: str) -> bool:
    """Whether the shell text is a whole command (no open quote, no trailing backslash)."""
    if text.rstrip().endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:
        return False
    return True


def commands_of(lines: list[tuple[int, str]]) -> tuple[list[Command], dict[str, str]]:
    """A shell block's commands with their expectations, and the settings of a `./run.sh` line."""
    commands: list[Command] = []
    settings: dict[str, str] = {}
    pending: list[str] = []
    start = 0
    expecting = False
    for number, line in lines:
        stripped = line.strip()
        if pending:
            pending.append(line)
        elif stripped.startswith("#"):
            if expecting:
                last = commands[-1]
                expectation = stripped.removeprefix("#").strip()
                commands[-1] = Command(last.text, last.line, (*last.expected, expectation))
            continue
        elif not stripped:
            expecting = False
            continue
        elif served := RUN_SH.match(stripped):
            settings.update(word.partition("=")[::2] for word in served.group(1).split())
            expecting = False
            continue
        else:
            pending, start = [line], number
        if is_complete("\n".join(pending)):
            commands.append(Command("\n".join(pending), start))
            pending, expecting = [], True
    if pending:
        raise ValueError(f"line {start}: the command never ends: {pending[0]!r}")
    return commands, settings


def shell_blocks(path: Path) -> list[tuple[str, str, list[tuple[int, str]]]]:
    """Every fenced block of a Markdown file: (heading above it, language, numbered lines)."""
    blocks: list[tuple[str, str, list[tuple[int, str]]]] = []
    heading = ""
    block: list[tuple[int, str]] | None = None
    language = ""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        fence = FENCE.match(line)
        if block is None and fence:
            block, language = [], fence.group(1)
        elif block is not None and line.rstrip() == "```":
            blocks.append((heading, language, block))
            block = None
        elif block is not None:
            block.append((number, line))
        elif title := HEADING.match(line):
            heading = title.group(1).strip()
    return blocks


def runs_curl(lines: list[tuple[int, str]]) -> bool:
    return any(line.lstrip().startswith("curl ") for _, line in lines)


def sections(path: Path) -> list[Section]:
    """The file's shell examples that run curl, one Section per heading, in the file's order."""
    found: dict[str, Section] = {}
    for heading, language, lines in shell_blocks(path):
        if language not in SHELL or not runs_curl(lines):
            continue
        commands, settings = commands_of(lines)
        before = found.get(heading, Section(path, heading, ()))
        found[heading] = Section(
            path, heading, (*before.commands, *commands), {**before.server_settings, **settings}
        )
    return list(found.values())


def curl_outside_shell_blocks(path: Path) -> list[int]:
    """The first line of each fenced block that is not `sh` or `bash` but runs curl (the test
    would miss it)."""
    return [
        lines[0][0] for _, language, lines in shell_blocks(path) if language not in SHELL and runs_curl(lines)
    ]
