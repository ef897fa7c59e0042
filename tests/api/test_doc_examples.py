"""Every curl example of README.md and docs/API.md runs as written against the sample data and
shows what its comments say (tests/support/examples.py reads them).

Each section (the examples under one heading) gets a database copied from one loaded with the
samples exactly as ./run.sh loads them (`python -m app.cli.seed`), a served app on it (with the
settings of the section's `./run.sh` line, if any), and one bash that runs its commands in order,
so a section's later commands see what its earlier ones did. A curl command must either show
what the comment lines under it say or write the file it names (`-o`), and no command may fail.
The examples need curl: as root the test installs Debian's package when it is missing; without
it they are skipped with the reason, unless REQUIRE_CURL=1 (set by .ci/run) makes that a failure.
"""

import asyncio
import os
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from harness.server import serving
from tests.support.database import PROJECT_ROOT, connect, rebuild_schema, run_module, sibling_database
from tests.support.examples import SERVED_AT, Command, Section, curl_outside_shell_blocks, sections
from tests.support.packages import debian_binary

pytestmark = pytest.mark.server

DOCUMENTS = (PROJECT_ROOT / "README.md", PROJECT_ROOT / "docs" / "API.md")
SECTIONS = [section for document in DOCUMENTS for section in sections(document)]
END = "@@end-of-example {status}@@"


@pytest.fixture(scope="module")
def curl() -> str:
    """curl's path (installed first when missing and possible); the examples are skipped without it."""
    found = debian_binary("curl", "curl")
    if found is None:
        message = "curl is not installed and could not be (apt-get install curl)"
        if os.environ.get("REQUIRE_CURL") == "1":
            pytest.fail(f"{message}, and REQUIRE_CURL=1 requires it")
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
async def samples_url(database_url: str) -> str:
    """A database holding the sample data and nothing else, to copy for each section."""
    url = await sibling_database(database_url, "samples")
    await rebuild_schema(url)
    seeded = await asyncio.to_thread(run_module, "app.cli.seed", url=url)
    assert seeded.returncode == 0, seeded.stderr
    return url


@pytest.fixture
async def fresh_samples(samples_url: str) -> AsyncIterator[str]:
    """A new copy of the samples database (its serving URL), dropped afterwards."""
    samples = make_url(samples_url)
    template, copy = samples.database, f"{samples.database}_copy"
    owner = await connect(samples.set(database="postgres").render_as_string(False))
    try:
        await owner.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        await owner.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
        yield samples.set(database=copy).render_as_string(False)
        await owner.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    finally:
        await owner.close()


def script(section: Section, base_url: str) -> str:
    """The section's commands as one bash script that prints END after each command's output."""
    served_at = base_url.removeprefix("http://")
    steps = [
        f"{command.text.replace(SERVED_AT, served_at)}\nprintf '\\n{END.format(status='%d')}\\n' \"$?\""
        for command in section.commands
    ]
    return "\n".join(steps) + "\n"


def outputs(stdout: str) -> list[tuple[int, str]]:
    """Each command's exit status and output, from the script's stdout."""
    found: list[tuple[int, str]] = []
    head, tail = END.split("{status}")
    output: list[str] = []
    for line in stdout.split("\n"):
        if line.startswith(head) and line.endswith(tail):
            found.append((int(line.removeprefix(head).removesuffix(tail)), "\n".join(output)))
            output = []
        else:
            output.append(line)
    return found


def problem(command: Command, status: int, output: str, folder: Path) -> str | None:
    """What is wrong with one command's run (None when nothing is)."""
    if status != 0:
        return f"exit status {status}"
    if not command.runs_curl:
        return None
    if command.expected:
        return command.mismatch(output)
    written = command.output_file
    if written is None:
        return "a curl example without a comment under it that says what it shows"
    content = (folder / written).read_bytes() if (folder / written).exists() else b""
    if not content or content.startswith(b'{"detail"'):
        return f"{written} was not written as it should be: {content[:200]!r}"
    return None


def test_every_curl_example_is_in_a_shell_block_the_test_reads() -> None:
    for document in DOCUMENTS:
        assert curl_outside_shell_blocks(document) == [], document
    assert len(SECTIONS) >= 10
    assert sum(command.runs_curl for section in SECTIONS for command in section.commands) >= 60


@pytest.mark.parametrize("section", SECTIONS, ids=[section.name for section in SECTIONS])
def test_the_example_shows_what_its_comments_say(section: Section, fresh_samples: str, curl: str) -> None:
    with (
        serving(fresh_samples, section.server_settings, ready_path="/health/ready") as server,
        tempfile.TemporaryDirectory(prefix="inventory-examples-") as scratch,
    ):
        environment = {
            **os.environ,
            "DATABASE_URL": fresh_samples,
            "PATH": f"{Path(sys.executable).parent}:{Path(curl).parent}:{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(PROJECT_ROOT),
        }
        environment.pop("MIGRATION_DATABASE_URL", None)
        ran = subprocess.run(
            ["bash", "-c", script(section, server.base_url)],
            cwd=scratch,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        results = outputs(ran.stdout)
        assert len(results) == len(section.commands), ran.stderr
        problems = [
            f"{section.path.name}:{command.line}: {command.text}\n  {trouble}\n  output: {output!r}"
            for command, (status, output) in zip(section.commands, results, strict=True)
            if (trouble := problem(command, status, output, Path(scratch)))
        ]
        assert not problems, "\n".join(problems) + f"\nstderr: {ran.stderr}"
