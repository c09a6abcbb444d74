"""Plug the case digest into the app: blueprint, navigation, references, content, search."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from app.core.content import Checked, register_content_source
from app.core.illustrations import register_illustrations
from app.core.markdown import register_reference
from app.core.nav import NavItem, register_nav
from app.digest import curation_setup, search, services
from app.digest.files import CaseFiles, load_cases, read_cases
from app.digest.views import bp


def case_slugs(root: Path) -> set[str]:
    return {path.stem for path in root.glob("*.md")} if root.is_dir() else set()


def check_cases(root: Path, keys: Mapping[str, set[str]]) -> Checked:
    files = read_cases(root, keys.get("courses"))
    return Checked(files.problems, f"{len(files.cases)} cases: no problems.", files)


def load_case_files(files: CaseFiles) -> str:
    report = load_cases(files.cases, on_change=search.enqueue_case)
    return (
        f"Loaded {len(files.cases)} cases: {report.new} new, {report.changed} changed, "
        f"{report.unchanged} unchanged."
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_nav(app, NavItem("Case digest", "digest.search_page", order=20))
    register_reference("case", services.case_reference, services.case_references)
    register_illustrations(services.module_cases)
    search.init_app(app)
    curation_setup.init_app(app)  # curation, exports, API, statistics


def init_cli(app: Flask) -> None:
    """`flask content check|load` cover cases/ (after the courses, which cases link to)."""
    register_content_source(app, "cases", check_cases, load_case_files, "cases", keys=case_slugs)
