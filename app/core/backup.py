"""`flask backup DEST`: a consistent copy of the database, then of the search index folder.

SQLite is copied with the sqlite3 online backup API (a consistent snapshot while the site keeps
serving, WAL included); PostgreSQL with `pg_dump --format=custom`. The search index is a
projection of the database, so it is copied after it: an index a little newer than the database
is harmless, and `flask search rebuild` can always rebuild it. When the search service is set up
(`app.extensions["backup_hold"]`), both copies are made while it holds the index writer lock: no
outbox row is indexed and deleted in between, so the copied index holds exactly what the copied
database's outbox no longer lists. docs/OPERATIONS.md says how to restore.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from app.core.time import utcnow

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
SEARCH_FOLDER = "search"
# The writer lock file and builds in progress are not part of an index.
SEARCH_IGNORE = shutil.ignore_patterns(".writer.lock", "*.build-*", "*.tmp")
MANIFEST = "backup.json"


class BackupError(Exception):
    """The backup could not be made; the message says why."""


@dataclass
class BackupReport:
    dest: Path
    database: Path
    search: Path | None = None
    files: list[str] = field(default_factory=list)


def backup_sqlite(url: str, target: Path) -> None:
    """Copy a SQLite database with the online backup API and check the copy."""
    source_path = make_url(url).database
    if not source_path or source_path == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    if not Path(source_path).is_file():
        raise BackupError(f"No SQLite database at {source_path}.")
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
        # One self-contained file: no -wal/-shm companions to forget when restoring.
        copy.execute("PRAGMA journal_mode=DELETE")
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check: {result}")
    partial.replace(target)


def backup_postgres(url: str, target: Path) -> None:
    """Dump a PostgreSQL database with pg_dump (custom format, for pg_restore)."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "pg_dump was not found: install the PostgreSQL client tools (Debian: "
            "postgresql-client, the same major version as the server) and run the backup again."
        )
    libpq_url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    partial = target.with_suffix(".partial")
    result = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={libpq_url}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    partial.replace(target)


def backup(dest: Path, database_url: str, search_dir: Path | None) -> BackupReport:
    """Write the database copy, then the search index, and a manifest into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty: give a new folder for each backup.")
    backend = make_url(database_url).get_backend_name()
    if backend == "sqlite":
        database = dest / SQLITE_FILE
        backup_sqlite(database_url, database)
    elif backend == "postgresql":
        database = dest / POSTGRES_FILE
        backup_postgres(database_url, database)
    else:
        raise BackupError(f"No backup method for a {backend} database.")
    report = BackupReport(dest, database)
    if search_dir is not None and search_dir.is_dir():
        report.search = dest / SEARCH_FOLDER
        shutil.copytree(search_dir, report.search, ignore=SEARCH_IGNORE)
    report.files = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    manifest = {
        "created_at": utcnow().isoformat(timespec="seconds") + "Z",
        "database": {"backend": backend, "file": database.name},
        "search": SEARCH_FOLDER if report.search else None,
        "files": report.files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return report


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(dest: Path) -> None:
    """Copy the database and the search index into DEST (a new folder); see docs/OPERATIONS.md."""
    search_dir = current_app.config.get("SEARCH_INDEX_DIR")
    hold = current_app.extensions.get("backup_hold")
    try:
        with hold() if hold else nullcontext():
            report = backup(
                dest, current_app.config["DATABASE_URL"], Path(search_dir) if search_dir else None
            )
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Database copied to {report.database}")
    click.echo(
        f"Search index copied to {report.search}" if report.search else "No search index to copy."
    )
