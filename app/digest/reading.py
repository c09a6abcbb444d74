"""Reading cases for the pages: the case page, references, related cases, module links.

Every read path (case page, search, related cases, module pages, `[[case:slug]]`) goes through
`policy.visible` (SQL) or `policy.restriction` (search index), so one rule covers them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from whoosh.query import And, Or, Query, Term

from app.accounts.models import Actor, User
from app.accounts.reading import iso
from app.core.db import db, one_or_404
from app.core.hooks import HomeSection
from app.core.markdown import resolve_reference
from app.digest import index as case_index
from app.digest import policy
from app.digest.models import CaseDigest, CaseStatus, SavedSearch, SavedSearchAlert
from app.digest.presentation import labelled
from app.search import more_like

RELATED_LIMIT = 5


def get_visible_case(slug: str, user: Actor) -> CaseDigest:
    """The case for its page; NotFound when it does not exist or `user` may not see it."""
    statement = select(CaseDigest).where(CaseDigest.slug == slug, policy.visible(user))
    return one_or_404(statement, _("There is no case digest at this address."))


def case_reference(slug: str) -> tuple[str, str] | None:
    """Resolve `[[case:slug]]` for the current viewer (hidden cases stay plain text); the title
    of a composite says "(illustrative case)"."""
    return case_references([slug]).get(slug)


def case_references(slugs: list[str]) -> dict[str, tuple[str, str]]:
    """`case_reference` for many slugs in one query (a forum page citing many cases)."""
    rows = db.session.execute(
        select(CaseDigest.slug, CaseDigest.title, CaseDigest.illustrative).where(
            CaseDigest.slug.in_(slugs), policy.visible(current_user)
        )
    )
    return {
        row.slug: (url_for("digest.case", slug=row.slug), labelled(row.title, row.illustrative))
        for row in rows
    }


def country_names(user: Actor) -> dict[str, str]:
    """Country facet codes -> the names used by the cases `user` may see (a country found only
    in a restricted case or a draft is never named to someone who may not open it)."""
    names = db.session.scalars(select(CaseDigest.country).where(policy.visible(user)).distinct())
    return {case_index.code(name): name for name in names if name}


def module_cases(module_slug: str, listed: Sequence[str]) -> list[tuple[str, str]]:
    """Cases that illustrate a module (they list it, or its file lists them), visible to the
    current user, as (title, url), newest first; a composite's title says so."""
    rows = db.session.execute(
        select(CaseDigest.slug, CaseDigest.title, CaseDigest.modules, CaseDigest.illustrative)
        .where(policy.visible(current_user))
        .order_by(CaseDigest.decision_year.desc(), CaseDigest.decision_date.desc(), CaseDigest.slug)
    )
    return [
        (labelled(row.title, row.illustrative), url_for("digest.case", slug=row.slug))
        for row in rows
        if module_slug in (row.modules or []) or row.slug in listed
    ]


def linked_modules(case: CaseDigest) -> list[tuple[str, str]]:
    """(title, url) of the course modules a case lists, as the learning feature resolves them."""
    links = []
    for slug in case.modules:
        target = resolve_reference("module", slug)
        if target is not None:
            links.append((target[1], target[0]))
    return links


@dataclass(frozen=True)
class RelatedCase:
    slug: str
    title: str
    country: str
    year: int | None
    shared: list[str]  # shared modus operandi codes
    illustrative: bool


def related_cases(case: CaseDigest, user: Actor, limit: int = RELATED_LIMIT) -> list[RelatedCase]:
    """Cases with similar text that share a modus operandi with `case`, visible to `user`.

    The filter keeps only cases sharing a modus operandi and passing the reader's restriction.
    """
    if not case.modus_operandi:
        return []
    shared: list[Query] = [Term("modus_operandi", mo) for mo in case.modus_operandi]
    terms: list[Query] = [Or(shared)]
    limit_to = policy.restriction(user)
    if limit_to is not None:
        terms.append(limit_to)
    hits = more_like(
        case_index.INDEX, case.slug, field="body", text=case.body, restrict=And(terms), limit=limit
    )
    mine = set(case.modus_operandi)
    related = []
    for hit in hits:
        stored = hit.fields
        codes = [mo for mo in str(stored.get("modus_operandi", "")).split(",") if mo in mine]
        year = stored.get("year") or None
        illustrative = stored.get("illustrative") == "yes"
        related.append(
            RelatedCase(hit.key, stored["title"], stored["country_name"], year, codes, illustrative)
        )
    return related


def audit_case_labels(ids: list[int]) -> dict[int, str]:
    """Case titles for the audit log, "Illustrative" on composites (one query)."""
    rows = db.session.execute(
        select(CaseDigest.id, CaseDigest.title, CaseDigest.illustrative).where(
            CaseDigest.id.in_(ids)
        )
    )
    return {case_id: labelled(title, illustrative) for case_id, title, illustrative in rows}


def audit_case_link(case_id: str) -> str | None:
    """A case's curator page (drafts included), from the audit log."""
    slug = db.session.scalar(select(CaseDigest.slug).where(CaseDigest.id == int(case_id)))
    return url_for("digest.edit", slug=slug) if slug else None


def saved_search_data(user: User) -> list[dict[str, Any]]:
    """The member's saved searches for their data export: name, search, alert and alerts sent."""
    searches = db.session.scalars(
        select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
    ).all()
    sent: dict[int, list[SavedSearchAlert]] = {}
    if searches:
        for alert in db.session.scalars(
            select(SavedSearchAlert)
            .where(SavedSearchAlert.saved_search_id.in_([s.id for s in searches]))
            .order_by(SavedSearchAlert.id)
        ):
            sent.setdefault(alert.saved_search_id, []).append(alert)
    return [
        {
            "name": search.name,
            "search": search.query,
            "alert": search.alert,
            "created_at": iso(search.created_at),
            "alerts_sent": [
                {"period": alert.period, "sent_at": iso(alert.sent_at), "cases": alert.cases}
                for alert in sent.get(search.id, [])
            ],
        }
        for search in searches
    ]


def home_section(reader: Actor) -> HomeSection:
    """The case digest on the home page: how many cases the reader may open, from how many
    countries, and the latest published ("Illustrative" on composites)."""
    readable = [CaseDigest.status == CaseStatus.PUBLISHED]
    if not policy.sees_restricted(reader):
        readable.append(CaseDigest.restricted.is_(False))
    cases, countries = db.session.execute(
        select(func.count(CaseDigest.id), func.count(func.distinct(CaseDigest.country))).where(
            *readable
        )
    ).one()
    latest = db.session.execute(
        select(CaseDigest.slug, CaseDigest.title, CaseDigest.illustrative)
        .where(*readable)
        .order_by(CaseDigest.published_at.desc().nulls_last(), CaseDigest.id.desc())
        .limit(5)
    ).all()
    items = tuple(
        (labelled(title, illustrative), url_for("digest.case", slug=slug))
        for slug, title, illustrative in latest
    )
    text = _(
        "Firearms trafficking cases in digest form: facts, investigation, decision, commentary "
        "and good practices, searchable by country, offence, weapon and technique."
    )
    note = ""
    if not policy.sees_restricted(reader):
        note = _("Practitioners also read the restricted digests.")
    # The word after each figure is chosen here, by the language's plural rules (the home page
    # would pick "one" for 1 only, which French does not).
    cases, countries = cases or 0, countries or 0
    case_word = ngettext("case", "cases", cases)
    country_word = ngettext("country", "countries", countries)
    figures = ((cases, case_word, case_word), (countries, country_word, country_word))
    return HomeSection(_("Case digest"), text, url_for("digest.search_page"),
                       _("Search the cases"), 20, figures, items, _("Latest published"),
                       note)  # fmt: skip
