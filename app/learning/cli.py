"""The courses as a content source of `flask content check|load`, and `flask content quiz`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import click
import yaml
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.core.content import Checked
from app.core.db import db, read_only
from app.core.i18n import supported
from app.learning import xapi
from app.learning.files import Curriculum, block_coverage, read_curriculum
from app.learning.gift import check_gift, parse_gift, to_json
from app.learning.models import Course
from app.learning.services.content import load_curriculum
from app.learning.translations_files import split_name, stamp_glossary
from app.learning.translations_files import stamp as stamp_translation

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
    languages = list(current_app.config["SUPPORTED_LANGUAGES"])
    curriculum = read_curriculum(root, keys.get("cases"), languages)
    modules = sum(len(course.modules) for course in curriculum.courses)
    summary = f"{len(curriculum.courses)} courses and {modules} modules: no problems."
    if curriculum.warnings:
        summary += f" {len(curriculum.warnings)} translation warnings."
    return Checked(curriculum.problems, summary, curriculum, curriculum.warnings)


def load_courses(curriculum: Curriculum) -> str:
    report = load_curriculum(curriculum)
    return (
        f"Loaded {report.courses} courses, {report.modules} modules, {report.lessons} lessons, "
        f"{report.questions_new} new and {report.questions_changed} changed questions, "
        f"{report.glossary} glossary terms, {report.translations} translations."
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


@click.command("stamp")
@with_appcontext  # the glossary's languages are the site's
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def stamp(paths: tuple[Path, ...]) -> None:
    """Record in each translation file (NN-slug.fr.md, quiz.es.gift...) the hash of its
    original as it is now: run it after reading the translation back against the original.
    For glossary.yaml, each entry's fr:/es: translation records the hash of the English term
    and definition."""
    for path in paths:
        if path.name == "glossary.yaml":
            _stamp_glossary(path)
            continue
        split = split_name(path.name)
        if split is None:
            click.echo(f"{path}:1: not a translation file (NN-slug.<lang>.md, quiz.<lang>.gift)")
            raise click.exceptions.Exit(1)
        original = path.with_name(split[0])
        if not original.exists():
            click.echo(f"{path}:1: translation of '{split[0]}', which does not exist")
            raise click.exceptions.Exit(1)
        try:
            changed = stamp_translation(path, original)
        except ValueError as error:
            click.echo(f"{path}:1: {error}")
            raise click.exceptions.Exit(1) from None
        click.echo(f"{path}: {'stamped' if changed else 'already up to date'}")


def _stamp_glossary(path: Path) -> None:
    try:
        stamped = stamp_glossary(path, supported())
    except (ValueError, yaml.YAMLError) as error:
        click.echo(f"{path}:1: {error}")
        raise click.exceptions.Exit(1) from None
    for entry in stamped:
        click.echo(f"{path}: {entry} stamped")
    if not stamped:
        click.echo(f"{path}: already up to date")


@click.command("blocks")
@click.option(
    "--path",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The courses folder (default: CONTENT_DIR/courses).",
)
@click.option("--course", "courses", multiple=True, help="Only this course (repeatable).")
@click.option("--strict", is_flag=True, help="Exit 1 when a lesson or module falls short.")
def blocks(root: Path | None, courses: tuple[str, ...], strict: bool) -> None:
    """Report lessons with fewer than two check blocks and modules without a scenario.

    Malformed blocks are problems of `flask content check`; how many blocks a lesson has is
    reported here, so that a course can be written a module at a time.
    """
    root = root or Path(current_app.config["CONTENT_DIR"]) / "courses"
    curriculum = read_curriculum(root)
    for problem in curriculum.problems:
        click.echo(str(problem))
    if curriculum.problems:
        raise click.exceptions.Exit(1)
    shortfalls, lessons, modules = block_coverage(curriculum, root, set(courses))
    for shortfall in shortfalls:
        click.echo(str(shortfall))
    click.echo(
        f"{lessons} lessons and {modules} modules: {len(shortfalls)} fall short of two check "
        "blocks per lesson and a scenario per module."
    )
    if strict and shortfalls:
        raise click.exceptions.Exit(1)


learning_cli = AppGroup("learning", help="Courses, attempts and certificates.")


@learning_cli.command("export-xapi")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")  # fmt: skip
@click.option("--course", "course_slug", default=None, help="Only this course (its slug).")
def export_xapi(output: TextIO, course_slug: str | None) -> None:
    """Write the training history as xAPI 1.0.3 statements, one JSON object a line."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    count = 0
    with read_only(app):  # a snapshot, without the write lock
        if course_slug is not None and not db.session.scalar(
            select(Course.id).where(Course.slug == course_slug)
        ):
            raise click.BadParameter(
                f"no course has the slug {course_slug!r}", param_hint="--course"
            )
        for statement in xapi.statements(course_slug):
            output.write(json.dumps(statement, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    click.echo(f"{count} statements written.", err=True)
