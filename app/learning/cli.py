"""`flask content`: check and load the curriculum, print a quiz file as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.core.db import db
from app.learning.content import Curriculum, load_curriculum, read_curriculum
from app.learning.gift import check_gift, parse_gift, to_json

content = AppGroup("content", help="Check and load the course files.")

FOLDER = click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The courses folder (default: CONTENT_DIR/courses).",
)


def courses_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"]) / "courses"


def _read_or_exit(path: Path | None) -> Curriculum:
    """Read the curriculum; print every problem as `path:line: message` and exit 1 on any."""
    curriculum = read_curriculum(path or courses_dir())
    if curriculum.problems:
        for problem in curriculum.problems:
            click.echo(str(problem))
        raise click.exceptions.Exit(1)
    return curriculum


@content.command("check")
@FOLDER
def check(path: Path | None) -> None:
    """Report every problem in the course files as path:line: message."""
    curriculum = _read_or_exit(path)
    modules = sum(len(course.modules) for course in curriculum.courses)
    click.echo(f"{len(curriculum.courses)} courses and {modules} modules: no problems.")


@content.command("load")
@FOLDER
def load(path: Path | None) -> None:
    """Check the course files, then upsert them by slug (running it twice changes nothing)."""
    report = load_curriculum(_read_or_exit(path))
    db.commit()
    click.echo(
        f"Loaded {report.courses} courses, {report.modules} modules, {report.lessons} lessons, "
        f"{report.questions_new} new and {report.questions_changed} changed questions, "
        f"{report.glossary} glossary terms."
    )


@content.command("quiz")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def quiz(path: Path) -> None:
    """Print the questions of a GIFT file as a JSON array."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        click.echo(f"{path}:1: the file is not UTF-8 text")
        raise click.exceptions.Exit(1) from None
    problems = check_gift(text, str(path))
    if problems:
        for problem in problems:
            click.echo(problem.format(str(path)))
        raise click.exceptions.Exit(1)
    click.echo(json.dumps(to_json(parse_gift(text, str(path))), ensure_ascii=False, indent=2))
