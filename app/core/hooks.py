"""Every place where one feature plugs into the rest of the site, declared here and only here.

A `Hook` is a named extension point. Features register into it from their `init_app(app)`;
what they register is stored on that application (`app.extensions["hooks"]`), so two apps
created in one process never see each other's registrations. Readers ask the hook for the
current application's entries.

| hook | key | value | read by |
| --- | --- | --- | --- |
| `review_kinds` | kind name | `ReviewKind` | the review queue (`app.moderation`) |
| `references` | reference kind (`case`) | `ReferenceResolver` | Markdown `[[kind:slug]]` |
| `backlinks` | provider name | `(kind, slug) -> [(title, url)]` | "Discussed in" lists |
| `illustrations` | provider name | `(module slug, listed slugs) -> [(title, url)]` | module pages |
| `audit_links` | audit target type | `target id -> url or None` | the audit log |
| `audit_labels` | audit target type | `[target ids] -> {id: words}` (one query) | the audit log |
| `nav` | endpoint | `NavItem` | the site header |
| `health_checks` | component | `() -> (ok, detail)` | `/healthz` |
| `content_sources` | source name | `ContentSource` | `flask content check|load` |
| `content_commands` | command name | `click.Command` | more `flask content …` commands |
| `search_indexes` | index name | `IndexSpec` | `app.search` |
| `site_search` | kind name | `SiteKind` | the site-wide search (`/search`) |
| `cli_groups` | group name | `click.Command` | `flask <group> …` |
| `data_export` | part name | `(user) -> JSON-ready data` | a member's data export |
| `home_sections` | section name | `(reader) -> HomeSection or None` | the home page |
| `search_equivalents` | source name | `() -> [(English term, [its translations])]` | queries |
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import click
from flask import Flask, current_app

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.core.content import ContentSource
    from app.core.nav import NavItem
    from app.moderation.services.queue import ReviewKind
    from app.search.registry import IndexSpec
    from app.search.site import SiteKind

T = TypeVar("T")
EXTENSION = "hooks"


class Hook(Generic[T]):
    """A named extension point whose entries, keyed by name, are stored per application."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc

    def _entries(self, app: Flask | None) -> dict[str, T]:
        target = app if app is not None else current_app
        store: dict[str, dict[str, Any]] = target.extensions.setdefault(EXTENSION, {})
        return store.setdefault(self.name, {})

    def register(self, app: Flask, key: str, value: T) -> None:
        """Add (or replace) the entry `key` on `app`."""
        self._entries(app)[key] = value

    def entries(self, app: Flask | None = None) -> dict[str, T]:
        """The entries of `app` (default: the current application), in registration order."""
        return dict(self._entries(app))

    def values(self, app: Flask | None = None) -> list[T]:
        return list(self._entries(app).values())

    def get(self, key: str, app: Flask | None = None) -> T | None:
        return self._entries(app).get(key)


# (url, title) for a slug, or None when it does not exist or the viewer may not see it.
Resolve = Callable[[str], tuple[str, str] | None]
# The same for many slugs in one query: {slug: (url, title)}, leaving out what is not found.
ResolveMany = Callable[[list[str]], dict[str, tuple[str, str]]]


@dataclass(frozen=True)
class ReferenceResolver:
    resolve: Resolve
    resolve_many: ResolveMany | None = None


@dataclass(frozen=True)
class HomeSection:
    """What one part of the site offers, on the home page, with live figures."""

    title: str
    text: str
    url: str
    link_label: str
    order: int = 50
    figures: tuple[tuple[int, str, str], ...] = ()  # (number, what it counts: one, many)
    items: tuple[tuple[str, str], ...] = ()  # (title, url): the latest of it
    items_label: str = ""
    note: str = ""  # how to take part, for those who cannot yet


Backlinks = Callable[[str, str], list[tuple[str, str]]]
Illustrations = Callable[[str, Sequence[str]], list[tuple[str, str]]]
TargetLink = Callable[[str], str | None]
TargetLabels = Callable[[list[int]], dict[int, str]]
HealthCheck = Callable[[], tuple[bool, str]]
DataExportPart = Callable[["User"], Any]
HomePart = Callable[[Any], HomeSection | None]
# (English term, its equivalents in other languages): a query in another language finds the
# English texts (the glossary's `fr:`/`es:` terms).
Equivalents = Callable[[], list[tuple[str, list[str]]]]

review_kinds: Hook[ReviewKind] = Hook(
    "review_kinds", "Kinds of item in the moderators' review queue."
)
references: Hook[ReferenceResolver] = Hook(
    "references", "`[[kind:slug]]` references in Markdown and how they resolve to links."
)
backlinks: Hook[Backlinks] = Hook(
    "backlinks", 'Pages that reference a case or a module ("Discussed in").'
)
illustrations: Hook[Illustrations] = Hook(
    "illustrations", "Material listed on a course module's page (the digest's cases)."
)
audit_links: Hook[TargetLink] = Hook(
    "audit_links", "Links from an audit entry to the page of its target, by target type."
)
audit_labels: Hook[TargetLabels] = Hook(
    "audit_labels", "What an audit entry's target is called (a name, a title), by target type."
)
nav: Hook[NavItem] = Hook("nav", "Sections of the site header, shown to those who may use them.")
health_checks: Hook[HealthCheck] = Hook("health_checks", "Components reported by /healthz.")
content_sources: Hook[ContentSource] = Hook(
    "content_sources", "Folders of content files covered by `flask content check|load`."
)
content_commands: Hook[click.Command] = Hook(
    "content_commands", "Further `flask content …` commands (`export-cases`)."
)
search_indexes: Hook[IndexSpec] = Hook("search_indexes", "Search indexes and their documents.")
site_search: Hook[SiteKind] = Hook(
    "site_search", "Kinds of content the site-wide search box finds (cases, lessons, posts…)."
)
cli_groups: Hook[click.Command] = Hook("cli_groups", "Top-level `flask …` command groups.")
data_export: Hook[DataExportPart] = Hook(
    "data_export", "Each feature's part of a member's own data, as JSON-ready values."
)
home_sections: Hook[HomePart] = Hook(
    "home_sections", "What each part of the site offers, shown on the home page to its reader."
)
search_equivalents: Hook[Equivalents] = Hook(
    "search_equivalents",
    "Terms in other languages searched as their English term (the glossary's translations).",
)


def install_cli(app: Flask) -> None:
    """Add every registered command group to `app.cli` (create_app calls it last)."""
    for group in cli_groups.values(app):
        app.cli.add_command(group)


def member_data(user: User, app: Flask | None = None) -> dict[str, Any]:
    """Everything the features hold about `user`, one key per registered part."""
    return {name: part(user) for name, part in data_export.entries(app).items()}
