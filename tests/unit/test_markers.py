"""Tests that start real processes say so: each test module that calls a helper starting uvicorn,
a PostgreSQL cluster or PgBouncer is marked `server` as a whole, or marks each test that calls
one; so `-m 'not server'` is the in-process suite (a test that forgets fails here)."""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
STARTS_A_SERVER = frozenset(
    {"serving", "throwaway_cluster", "running_pgbouncer", "killed_under_load", "measure"}
)
"""The helpers of harness/ and tests/support/ that start processes."""


def marks(decorators: list[ast.expr]) -> set[str]:
    """The `pytest.mark.NAME` names among decorators or a pytestmark value."""
    found: set[str] = set()
    for node in decorators:
        found |= {
            part.attr
            for part in ast.walk(node)
            if isinstance(part, ast.Attribute)
            and isinstance(part.value, ast.Attribute)
            and part.value.attr == "mark"
        }
    return found


def calls_a_server_helper(function: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in STARTS_A_SERVER
        for node in ast.walk(function)
    )


def unmarked_callers(path: Path) -> list[str]:
    """The functions of a test module that start a server without the `server` mark on them or on
    the module."""
    tree = ast.parse(path.read_text())
    module_marks = marks(
        [
            node.value
            for node in tree.body
            if isinstance(node, ast.Assign) and "pytestmark" in ast.unparse(node)
        ]
    )
    if "server" in module_marks:
        return []
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    return [
        function.name
        for function in functions
        if calls_a_server_helper(function)
        and not (function.name.startswith("test_") and "server" in marks(function.decorator_list))
    ]


TEST_MODULES = sorted(TESTS.rglob("test_*.py"))


@pytest.mark.parametrize("path", TEST_MODULES, ids=lambda path: str(path.relative_to(TESTS)))
def test_a_test_that_starts_a_server_is_marked(path: Path) -> None:
    assert unmarked_callers(path) == []


def test_the_check_sees_the_server_tests() -> None:
    """It would prove nothing if no module called a helper."""
    callers = [path for path in TEST_MODULES if calls_a_server_helper(ast.parse(path.read_text()))]
    assert len(callers) >= 10
