"""Prose that stays true: every dotted `app.…` name in a docstring or in README's Layout section
resolves, and every project path and `app.…` name in README and docs/ exists.

A module that moves or a function that is renamed leaves such names behind; this finds them.
"""

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("app", "bench", "harness", "tests")
DOTTED = re.compile(r"(?<![\w./-])app(?:\.(?!(?:js|py)\b)\w+)+")
"""`app.crud.product`, `app.main`; not `request.app.state`, `app/main.py`, nor file names such as
the page's `app.js` or tests/support's `app.py`."""
PATH = re.compile(r"(?<![\w./-])((?:app|alembic|bench|harness|tests|scripts|docs|docker)/[\w./*-]*\w)")


def docstrings() -> Iterator[tuple[str, str]]:
    """(where, text) for every module, class and function docstring of the project's Python."""
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                    text = ast.get_docstring(node)
                    if text:
                        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 1)}"
                        yield where, text


def layout_section() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("\n## Layout")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end > 0 else None]


def resolves(name: str) -> bool:
    """Whether `name` is a module, or a module's attribute (nested attributes too)."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def test_every_dotted_name_in_a_docstring_resolves() -> None:
    unresolved = [
        f"{where}: {name}"
        for where, text in docstrings()
        for name in DOTTED.findall(text)
        if not resolves(name)
    ]
    assert unresolved == []


def test_the_names_of_readmes_layout_resolve() -> None:
    layout = layout_section()
    assert PATH.findall(layout), "README's Layout names no path: the check would prove nothing"
    assert [name for name in DOTTED.findall(layout) if not resolves(name)] == []


@pytest.mark.parametrize("document", ["README.md", "docs/API.md", "docs/security.md"])
def test_the_names_and_paths_of_the_docs_exist(document: str) -> None:
    text = (ROOT / document).read_text()
    paths = PATH.findall(text)
    assert [path for path in paths if not any(ROOT.glob(path.rstrip("/")))] == []
    assert [name for name in DOTTED.findall(text) if not resolves(name)] == []


@pytest.mark.parametrize("folder", ["app", "app/api", "app/api/routes", "app/core", "app/crud"])
def test_every_package_says_what_it_holds(folder: str) -> None:
    assert ast.get_docstring(ast.parse((ROOT / folder / "__init__.py").read_text())), folder
