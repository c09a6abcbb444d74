"""The feature skeleton of docs/DEVELOPING.md holds: the same files in every feature, no feature
importing another's views, and every path the guide names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
FEATURES = ("accounts", "learning", "digest", "forum", "moderation")


def _exists(package: Path, name: str) -> bool:
    return (package / f"{name}.py").is_file() or (package / name / "__init__.py").is_file()


@pytest.mark.parametrize("feature", FEATURES)
def test_every_feature_has_the_skeleton(feature: str) -> None:
    package = APP / feature
    missing = [
        name
        for name in ("blueprint", "views", "services", "policy", "forms", "models")
        if not _exists(package, name)
    ]
    assert not missing, f"app/{feature} lacks {missing}"
    init = ast.parse((package / "__init__.py").read_text())
    assert any(isinstance(node, ast.FunctionDef) and node.name == "init_app" for node in init.body)


def _imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
            modules.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
    return modules


def test_no_module_imports_another_features_views_or_blueprint() -> None:
    offending = []
    for path in APP.rglob("*.py"):
        own = path.relative_to(APP).parts[0]
        for module in _imported_modules(path):
            parts = module.split(".")
            foreign = len(parts) >= 3 and parts[0] == "app" and parts[1] in FEATURES
            if foreign and parts[1] != own and parts[2] in {"views", "blueprint"}:
                offending.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offending


def test_create_app_holds_no_feature_wiring() -> None:
    source = (APP / "__init__.py").read_text()
    assert "FEATURES" in source
    assert "register_blueprint" not in source
    assert "register_nav" not in source


def test_every_path_named_in_the_developer_guide_exists() -> None:
    guide = (ROOT / "docs" / "DEVELOPING.md").read_text()
    named = set(re.findall(r"`((?:app|tests|docs|migrations|benchmarks)/[^`\s]*)`", guide))
    assert len(named) > 20
    missing = sorted(path for path in named if "<" not in path and not _in_repository(path))
    assert not missing


def _in_repository(path: str) -> bool:
    """A path of the guide exists; a pattern (`app/templates/*.html`) matches a file."""
    return any(ROOT.glob(path)) if "*" in path else (ROOT / path).exists()
