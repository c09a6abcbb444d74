"""Features use the search service through `app.search` only, never through its internals."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.search.backends import search_backend  # noqa: F401  (both backends)

APP = Path(__file__).resolve().parents[2] / "app"
INTERNALS = {"app.search.searchers", "app.search.storage"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_no_module_outside_the_search_package_imports_its_searchers_or_storage() -> None:
    offending = [
        f"{path.relative_to(APP.parent)} imports {module}"
        for path in sorted(APP.rglob("*.py"))
        if path.relative_to(APP).parts[0] != "search"
        for module in sorted(_imports(path) & INTERNALS)
    ]
    assert offending == []
