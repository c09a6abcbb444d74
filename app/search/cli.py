"""`flask search rebuild|worker|status|synonyms`."""

from __future__ import annotations

import logging
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.core.db import db
from app.search.indexer import drain, rebuild, status
from app.search.registry import specs
from app.search.synonyms import SEED_FILE, SeedError, groups, load_seed

log = logging.getLogger(__name__)

search_cli = AppGroup("search", help="Search index: rebuild, drain the outbox, show state.")


def _app() -> Flask:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


@search_cli.command("rebuild")
@click.option("--index", "names", multiple=True, help="Index to rebuild (repeatable; default all).")
def rebuild_command(names: tuple[str, ...]) -> None:
    """Build fresh indexes from the database and swap them in atomically."""
    unknown = [name for name in names if name not in specs(_app())]
    if unknown:
        known = ", ".join(sorted(specs(_app()))) or "none"
        raise click.BadParameter(f"unknown index {', '.join(unknown)} (registered: {known})")
    started = time.perf_counter()
    counts = rebuild(_app(), list(names) or None)
    if not counts:
        click.echo("No search index is registered.")
    for name, count in counts.items():
        click.echo(f"{name}: {count} documents")
    click.echo(f"Rebuilt in {time.perf_counter() - started:.1f} s.")


@search_cli.command("worker")
@click.option("--once", is_flag=True, help="Drain the outbox once and exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
def worker_command(once: bool, interval: float) -> None:
    """Drain the search outbox into the index (runs until stopped, or once with --once)."""
    app = _app()
    if once:
        click.echo(f"Indexed {drain(app)} outbox rows.")
        return
    click.echo(f"Search worker polling every {interval:g} s (Ctrl-C stops it).")
    try:
        while True:
            try:
                done = drain(app)
            except Exception:  # keep the worker alive; the rows stay in the outbox
                log.exception("Search worker: drain failed; retrying later.")
                time.sleep(interval * 5)
                continue
            if done:
                log.info("Search worker indexed %d outbox rows.", done)
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Search worker stopped.")


@search_cli.command("status")
def status_command() -> None:
    """Show each index's generation, document count and outbox backlog."""
    report = status(_app())
    if not report:
        click.echo("No search index is registered.")
    for item in report:
        click.echo(f"{item.name}: {item.summary}")


@search_cli.command("synonyms")
@click.option("--load", is_flag=True, help=f"First add the groups of {SEED_FILE.name} not stored.")
def synonyms_command(load: bool) -> None:
    """List the synonym groups applied to searches (the database's, one group a line)."""
    if load:
        try:
            added = load_seed()
        except SeedError as error:
            raise click.ClickException(str(error)) from error
        db.commit()
        click.echo(f"Added {added} synonym groups from {SEED_FILE.name}.")
    for group in groups():
        click.echo(" / ".join(group.terms))
