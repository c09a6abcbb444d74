"""`flask forum …`: the forum's commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.forum.services import categories

forum_cli = AppGroup("forum", help="The practitioners' forum.")


@forum_cli.command("seed")
def seed_command() -> None:
    """Create the standard forum categories that do not exist yet (safe to run again)."""
    added = categories.seed()
    click.echo(f"Forum categories: {added} added.")
