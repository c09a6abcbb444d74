"""The site-wide search: one query over every kind of content the reader may see.

Each feature registers the kinds it owns with `register_site_kind(app, SiteKind(...))` from its
`init_app` (the `site_search` hook): the digest its cases, the forum its posts and library, learning
its lessons, module introductions and glossary terms. A kind answers `find(text, user, page,
per_page)` with the total the reader may see and one page of hits, already filtered by what the
reader may see; `requirement` keeps a whole kind (the forum) from readers below it, so it is not
even counted for them. `more_url(text)` is the kind's own full search (the digest's /cases?q=…);
a kind without one is listed in full by the site search itself (`/search?kind=…`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import Flask
from flask_babel import gettext as _
from markupsafe import Markup

from app.core import hooks
from app.core.permissions import Requirement
from app.core.text import single_line
from app.search import messages

if TYPE_CHECKING:
    from app.accounts.models import Actor

PREVIEW = 5  # hits shown per kind on the grouped page
PER_PAGE = 20  # hits per page when one kind is listed in full
MAX_CHARS = 200  # a header search is a few words; longer text is refused with a message


@dataclass(frozen=True)
class SiteHit:
    title: str
    url: str
    snippet: Markup = field(default_factory=Markup)
    label: str = ""  # a short description under the title ("Lesson in …", "Practitioners only")


@dataclass
class KindResult:
    total: int
    hits: list[SiteHit]
    notice: str | None = None  # the kind searched a simpler form of the text (its own words)
    error: str | None = None  # the kind could not run this text


Find = Callable[[str, "Actor", int, int], KindResult]


@dataclass(frozen=True)
class SiteKind:
    name: str  # a URL-safe identifier: /search?kind=<name>
    label: str  # plural heading: "Cases" (lazy, `lazy_gettext`: shown in the reader's language)
    order: int
    find: Find
    more_url: Callable[[str], str] | None = None  # the kind's own full search for `text`
    requirement: Requirement | None = None  # None: every reader, visitors included


@dataclass
class KindSection:
    kind: SiteKind
    result: KindResult

    @property
    def total(self) -> int:
        return self.result.total


@dataclass
class SiteSearch:
    text: str
    sections: list[KindSection] = field(default_factory=list)
    error: str | None = None  # nothing was searched; tell the reader why
    kind: SiteKind | None = None  # one kind listed in full
    page: int = 1

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)


def register_site_kind(app: Flask, kind: SiteKind) -> None:
    """Make `kind` part of the site search of `app` (call it from the feature's init_app)."""
    if not kind.name.isidentifier():
        raise ValueError(f"Site search kind {kind.name!r} must be a plain identifier.")
    hooks.site_search.register(app, kind.name, kind)


def visible_kinds(user: Actor) -> list[SiteKind]:
    """The kinds `user` may search, in the order of the page."""
    kinds = sorted(hooks.site_search.values(), key=lambda kind: (kind.order, kind.name))
    return [kind for kind in kinds if kind.requirement is None or kind.requirement(user)]


def check_text(raw: str) -> tuple[str, str | None]:
    """(the text on one line, an error message or None) for what the reader typed."""
    text = single_line(raw or "")
    if len(text) > MAX_CHARS:
        return text, messages.too_long(len(text), MAX_CHARS)
    if not text:
        return text, str(_("Type one or more words to search the site."))
    return text, None


def run(raw: str, user: Actor, kind_name: str = "", page: int = 1) -> SiteSearch:
    """Search every kind `user` may see (or only `kind_name`, a page of it in full)."""
    text, error = check_text(raw)
    found = SiteSearch(text, error=error, page=page)
    kinds = visible_kinds(user)
    if kind_name:
        chosen = [kind for kind in kinds if kind.name == kind_name]
        if not chosen:
            found.error = str(
                _("There is no such kind of result to search, or it is not open to you.")
            )
            return found
        found.kind = chosen[0]
        kinds = chosen
    if found.error:
        return found
    per_page = PER_PAGE if found.kind else PREVIEW
    for kind in kinds:
        found.sections.append(KindSection(kind, kind.find(text, user, page, per_page)))
    nothing = messages.nothing_to_search()
    if found.sections and all(s.result.notice == nothing for s in found.sections):
        found.error, found.sections = nothing, []  # only stop words: say it once
    return found
