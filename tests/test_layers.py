"""Imports point down only: an app imports the apps below it, never one above. Lower
apps reach higher record types through the record registry (core.records) and their
pages load higher apps' parts by URL."""

import ast
from pathlib import Path

import pytest

import vorsprung

# Bottom to top.
LAYERS = [
    "core",
    "ui",
    "accounts",
    "history",
    "search",
    "activities",
    "customers",
    "sales",
    "leads",
    "demo",
    "workspace",
]
SOURCE = Path(vorsprung.__file__).parent


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """The vorsprung apps a module imports, anywhere in it, with the line."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "vorsprung" and len(parts) > 1 and parts[1] in LAYERS:
                found.add((parts[1], node.lineno))
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_no_app_above_it(app):
    upward = [
        f"{path.relative_to(SOURCE)}:{line} imports {imported}"
        for path in sorted((SOURCE / app).rglob("*.py"))
        for imported, line in imported_apps(path)
        if LAYERS.index(imported) > LAYERS.index(app)
    ]

    assert upward == []
