"""`flask content check|load` over every content source a feature registers (courses, cases).

A source is a folder of files under CONTENT_DIR. Its `keys` function lists, cheaply, the slugs
other sources may reference (module slugs, case slugs); its `check` function parses and checks
the folder given those keys, and returns the problems, a summary line and the parsed data that
`load` upserts. Each source gets a `--<name> DIR` option; given folders narrow a run to their
sources, none given runs every source in registration order. References to another source are
checked against the folder given for it, or else its default folder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app.core import hooks
from app.core.db import db
from app.core.frontmatter import Problem


@dataclass
class Checked:
    """What `check` found in one source: every problem, a summary line, the parsed data, and
    warnings (printed, but they do not fail the check)."""

    problems: list[Problem]
    summary: str
    data: Any = None
    warnings: list[Problem] = field(default_factory=list)


Keys = Callable[[Path], set[str]]
Check = Callable[[Path, Mapping[str, set[str]]], Checked]
Load = Callable[[Any], str]  # loads the checked data (flush only); returns a summary line


@dataclass(frozen=True)
class ContentSource:
    name: str  # "courses", "cases": also the option name and the default folder
    check: Check
    load: Load
    folder: str
    keys: Keys = field(default=lambda _path: set())
    aliases: tuple[str, ...] = ()  # extra option names (e.g. "--path" for the courses)


def register_content_source(
    app: Flask,
    name: str,
    check: Check,
    load: Load,
    folder: str,
    keys: Keys | None = None,
    aliases: Sequence[str] = (),
) -> None:
    """Add a folder of content files to `flask content check` and `flask content load`."""
    source = ContentSource(name, check, load, folder, keys or (lambda _path: set()), tuple(aliases))
    hooks.content_sources.register(app, name, source)


def install(app: Flask) -> None:
    """Build this app's `flask content` group from its sources and commands (create_app calls
    it once every feature has registered)."""
    group = AppGroup("content", help="Check and load the content files (courses, cases).")
    options = [
        click.Option(
            [f"--{source.name}", *source.aliases, source.name],
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help=f"The {source.name} folder (default: CONTENT_DIR/{source.folder}).",
        )
        for source in hooks.content_sources.values(app)
    ]
    # Both commands take every source's folder option; their docstrings are their help.
    for name, callback in (("check", check_command), ("load", load_command)):
        group.add_command(
            click.Command(
                name,
                callback=with_appcontext(callback),
                params=list(options),
                help=callback.__doc__,
            )
        )
    for command in hooks.content_commands.values(app):
        group.add_command(command)
    hooks.cli_groups.register(app, "content", group)


def _folders(given: Mapping[str, Path | None]) -> dict[str, tuple[ContentSource, Path, bool]]:
    """Every source with its folder, and whether this run checks it."""
    sources = hooks.content_sources.entries()
    root = Path(current_app.config["CONTENT_DIR"])
    chosen = {name: path for name, path in given.items() if path is not None}
    return {
        name: (source, chosen.get(name) or root / source.folder, not chosen or name in chosen)
        for name, source in sources.items()
    }


def check_sources(given: Mapping[str, Path | None]) -> list[tuple[ContentSource, Checked]]:
    """Check the selected sources; references are checked against every source's keys (the
    folders given, or the default folders of the sources not checked in this run)."""
    folders = _folders(given)
    keys = {name: source.keys(path) for name, (source, path, _) in folders.items()}
    return [(source, source.check(path, keys)) for source, path, run in folders.values() if run]


def _checked_or_exit(folders: Mapping[str, Path | None]) -> list[tuple[ContentSource, Checked]]:
    """Print every problem and warning of every source as `path:line: message` and exit 1 on
    any problem."""
    results = check_sources(folders)
    problems = [problem for _, checked in results for problem in checked.problems]
    for problem in [*problems, *(w for _, checked in results for w in checked.warnings)]:
        click.echo(str(problem))
    if problems:
        raise click.exceptions.Exit(1)
    return results


def check_command(**folders: Path | None) -> None:
    """Report every problem in the content files as path:line: message."""
    for _source, checked in _checked_or_exit(folders):
        click.echo(checked.summary)


def load_command(**folders: Path | None) -> None:
    """Check every source, then upsert each by slug (running it twice changes nothing)."""
    summaries = [source.load(checked.data) for source, checked in _checked_or_exit(folders)]
    db.commit()
    for summary in summaries:
        click.echo(summary)
