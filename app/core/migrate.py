"""`flask db ...`: Alembic migrations driven from the application's configuration.

Each feature keeps its migrations on its own Alembic branch (label = feature name) that starts
from the foundation revision, so features can add tables independently; `upgrade` goes to all
heads.
"""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"

db_cli = AppGroup("db", help="Database migrations (Alembic).")


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    url = database_url or current_app.config["DATABASE_URL"]
    config.attributes["database_url"] = url
    return config


def upgrade(database_url: str | None = None, revision: str = "heads") -> None:
    command.upgrade(alembic_config(database_url), revision)


@db_cli.command("upgrade")
@click.argument("revision", default="heads")
def upgrade_command(revision: str) -> None:
    """Apply migrations up to REVISION (default: every branch head)."""
    upgrade(revision=revision)
    click.echo("Database is up to date.")


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Revert migrations down to REVISION."""
    command.downgrade(alembic_config(), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--head", default="heads", help="Branch head to build on, e.g. learning@head.")
@click.option("--branch", default=None, help="Start a new branch with this label.")
@click.option("--autogenerate/--empty", default=True)
def revision_command(message: str, head: str, branch: str | None, autogenerate: bool) -> None:
    """Write a new migration file, compared against the models by default."""
    command.revision(
        alembic_config(),
        message=message,
        autogenerate=autogenerate,
        head=head,
        branch_label=branch,
        # A new branch starts from a revision that other branches already build on.
        splice=branch is not None,
    )


@db_cli.command("current")
def current_command() -> None:
    """Show the revisions the database is at."""
    command.current(alembic_config(), verbose=False)
