"""The cases as a content source of `flask content check|load`, `flask content export-cases`,
and `flask alerts send`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app import jobs
from app.core.content import Checked
from app.core.db import db
from app.digest import index
from app.digest.files import CaseFiles, read_cases
from app.digest.files_writer import export_cases
from app.digest.services import alerts
from app.digest.services.loading import load_cases
from app.search import LockTimeout, drain, status


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


alerts_cli = AppGroup("alerts", help="Saved-search alerts: e-mail members about new cases.")


def _alerts_job() -> None:
    """The `alerts.send` job (`flask alerts send --queue`): as the command; raises to be retried."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    drain(app, timeout=60)
    cases = next(item for item in status(app) if item.name == index.INDEX)
    db.rollback()
    if cases.generation == 0 or cases.backlog:
        raise RuntimeError(f"The case index is not up to date ({cases.summary}).")
    report = alerts.send_due()
    if report.failed:
        raise RuntimeError(f"{report.failed} saved searches failed; the retry tries them again.")


jobs.register("alerts.send", _alerts_job)


@alerts_cli.command("send")
@click.option("--queue", "queued", is_flag=True, help="Queue the job for `flask jobs worker`.")
def send_alerts_command(queued: bool) -> None:
    """Send the saved-search alerts that are due (safe to run again: run it hourly)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if queued:
        jobs.submit(app, "alerts.send")
        click.echo(f"Alerts job submitted ({jobs.backend(app)}).")
        return
    try:
        drain(app, timeout=60)  # the index must know every publication before it is searched
    except LockTimeout:
        raise click.ClickException(
            "The search index stayed busy for a minute (a rebuild?); no alert was sent. "
            "Run the command again later."
        ) from None
    cases = next(item for item in status(app) if item.name == index.INDEX)
    db.rollback()
    if cases.generation == 0 or cases.backlog:
        raise click.ClickException(
            f"The case index is not up to date ({cases.summary}); no alert was sent. "
            "Run `flask search rebuild` or `flask search worker --once`, then again."
        )
    report = alerts.send_due()
    click.echo(
        f"Alerts: {report.checked} saved searches looked at, {report.sent} alerts sent "
        f"({report.cases} cases listed)."
    )
    if report.failed:
        raise click.ClickException(
            f"{report.failed} saved searches failed (see the log above); the next run tries again."
        )
