"""The courses as a content source of `flask content check|load`, and `flask content quiz`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import click

from app.core.content import Checked
from app.learning.files import Curriculum, read_curriculum
from app.learning.gift import check_gift, parse_gift, to_json
from app.learning.services.content import load_curriculum

MODULE_FOLDER_RE = re.compile(r"^\d\d-([a-z0-9]+(?:-[a-z0-9]+)*)$")


def module_slugs(root: Path) -> set[str]:
    """The module slugs of the courses folder, from the folder names (cases link to them)."""
    if not root.is_dir():
        return set()
    return {
        match.group(1)
        for folder in root.glob("*/*")
        if folder.is_dir() and (match := MODULE_FOLDER_RE.match(folder.name))
    }


def check_courses(root: Path, keys: Mapping[str, set[str]]) -> Checked:
    curriculum = read_curriculum(root, keys.get("cases"))
    modules = sum(len(course.modules) for course in curriculum.courses)
    summary = f"{len(curriculum.courses)} courses and {modules} modules: no problems"
    if curriculum.warnings:
        summary += f", {len(curriculum.warnings)} warnings"
    return Checked(curriculum.problems, summary + ".", curriculum, curriculum.warnings)


def load_courses(curriculum: Curriculum) -> str:
    report = load_curriculum(curriculum)
    return (
        f"Loaded {report.courses} courses, {report.modules} modules, {report.lessons} lessons, "
        f"{report.questions_new} new and {report.questions_changed} changed questions, "
        f"{report.glossary} glossary terms."
    )


@click.command("quiz")
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
