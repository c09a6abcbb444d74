"""Who may see and do what in the digest: drafts only for moderators and above, restricted cases
only for practitioners and above, curation for moderators and admins."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, true
from whoosh.query import And, Query, Term

from app.accounts.models import Actor
from app.core.permissions import Role, at_least
from app.digest.models import CaseDigest, CaseStatus

sees_restricted = at_least(
    Role.PRACTITIONER, "read restricted cases", "This case is for vetted practitioners only."
)
sees_drafts = at_least(Role.MODERATOR, "read drafts", "Only moderators read case drafts.")
can_curate = at_least(
    Role.MODERATOR, "curate cases", "Only moderators and admins curate case digests."
)


def visible(user: Actor) -> ColumnElement[bool]:
    """SQL condition: the cases `user` may see."""
    conditions: list[ColumnElement[bool]] = []
    if not sees_drafts(user):
        conditions.append(CaseDigest.status == CaseStatus.PUBLISHED)
    if not sees_restricted(user):
        conditions.append(CaseDigest.restricted.is_(False))
    return and_(true(), *conditions)


def restriction(user: Actor) -> Query | None:
    """Search-index condition ANDed to every query: the cases `user` may see."""
    terms: list[Query] = []
    if not sees_drafts(user):
        terms.append(Term("status", CaseStatus.PUBLISHED.value))
    if not sees_restricted(user):
        terms.append(Term("restricted", "no"))
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else And(terms)
