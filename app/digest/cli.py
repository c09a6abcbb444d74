"""The cases as a content source of `flask content check|load`, and `flask content export-cases`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.core.content import Checked
from app.digest import index
from app.digest.files import CaseFiles, read_cases
from app.digest.files_writer import export_cases
from app.digest.services.loading import load_cases


def case_slugs(root: Path) -> set[str]:
    return {path.stem for path in root.glob("*.md")} if root.is_dir() else set()


def check_cases(root: Path, keys: Mapping[str, set[str]]) -> Checked:
    files = read_cases(root, keys.get("courses"))
    return Checked(files.problems, f"{len(files.cases)} cases: no problems.", files)


def load_case_files(files: CaseFiles) -> str:
    report = load_cases(files.cases, on_change=index.enqueue_case)
    return (
        f"Loaded {len(files.cases)} cases: {report.new} new, {report.changed} changed, "
        f"{report.unchanged} unchanged."
    )


@click.command("export-cases")
@with_appcontext
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--published-only", is_flag=True, help="Leave out the drafts.")
def export_cases_command(folder: Path, published_only: bool) -> None:
    """Write every case digest to FOLDER as <slug>.md, in the canonical file layout."""
    written = export_cases(folder, published_only=published_only)
    click.echo(f"Wrote {len(written)} case files to {folder}.")
