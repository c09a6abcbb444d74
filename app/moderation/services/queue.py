"""Open and close review items; each feature registers how its kind is shown and decided.

A kind registers a `ReviewKind`: a label, a function that loads what the moderator needs to see
(returning None when the target no longer exists), the template that shows it, and the decisions
it accepts. Deciding goes back to the owning feature's service, which closes the item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import User
from app.core import hooks
from app.core.db import db, get_or_404
from app.core.errors import NotFound, ServiceError
from app.core.time import utcnow
from app.moderation.models import ReviewItem, ReviewStatus

# decide(moderator, target_id, reason); what it returns is not used, so a service fits as it is.
# A decision under the two-person rule also takes `confirm_self` (a sole moderator's own work).
Decision = Callable[..., object]


@dataclass
class ReviewKind:
    name: str
    label: str  # lazy (`lazy_gettext`): registered at app start, shown in the reader's language
    load: Callable[[int], dict[str, Any] | None]
    template: str
    decisions: dict[str, Decision] = field(default_factory=dict)
    # Decisions that need a reason typed by the moderator.
    needs_reason: frozenset[str] = frozenset()
    # The two-person rule: who wrote the target (user ids), and the decisions they may not take
    # on their own work (see services/second_person.py).
    authors: Callable[[int], set[int]] | None = None
    second_person: frozenset[str] = frozenset()

    def authors_of(self, target_id: int) -> set[int]:
        return self.authors(target_id) if self.authors is not None else set()


# The decisions and outcomes features use, as a moderator reads them (lazy); another one is shown
# as its code.
DECISION_NAMES = {
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "hide": _l("Hide"),
    "dismiss": _l("Dismiss"),
    "delete": _l("Delete"),
    "decline": _l("Decline"),
}
OUTCOME_NAMES = {
    "approved": _l("approved"),
    "rejected": _l("rejected"),
    "published": _l("published"),
    "hidden": _l("hidden"),
    "dismissed": _l("dismissed"),
    "deleted": _l("deleted"),
    "promoted": _l("promoted"),
    "declined": _l("declined"),
}


def decision_name(decision: str) -> str:
    """A decision's button label in the reader's language ("Approuver")."""
    named = DECISION_NAMES.get(decision)
    return str(named) if named is not None else decision.replace("_", " ").capitalize()


def outcome_name(outcome: str) -> str:
    """A closed item's outcome in the reader's language ("approuvé")."""
    named = OUTCOME_NAMES.get(outcome)
    return str(named) if named is not None else outcome


def register_kind(app: Flask, kind: ReviewKind) -> None:
    hooks.review_kinds.register(app, kind.name, kind)


def kinds() -> dict[str, ReviewKind]:
    return hooks.review_kinds.entries()


def open_item(kind: str, target_id: int, summary: str) -> ReviewItem:
    """Put a target in the queue, once: an already open item for it is returned as is."""
    existing = db.session.scalar(
        select(ReviewItem).where(
            ReviewItem.kind == kind,
            ReviewItem.target_id == target_id,
            ReviewItem.status == ReviewStatus.OPEN,
        )
    )
    if existing is not None:
        return existing
    item = ReviewItem(kind=kind, target_id=target_id, summary=summary[:300])
    db.session.add(item)
    db.session.flush()
    return item


def close_item(kind: str, target_id: int, moderator: User | None, outcome: str) -> None:
    for item in db.session.scalars(
        select(ReviewItem).where(
            ReviewItem.kind == kind,
            ReviewItem.target_id == target_id,
            ReviewItem.status == ReviewStatus.OPEN,
        )
    ):
        item.status = ReviewStatus.CLOSED
        item.closed_at = utcnow()
        item.closed_by_id = moderator.id if moderator is not None else None
        item.outcome = outcome


def open_items(kind: str | None = None, limit: int = 200) -> list[ReviewItem]:
    stmt = select(ReviewItem).where(ReviewItem.status == ReviewStatus.OPEN)
    if kind:
        stmt = stmt.where(ReviewItem.kind == kind)
    return list(
        db.session.scalars(stmt.order_by(ReviewItem.created_at, ReviewItem.id).limit(limit))
    )


def open_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(ReviewItem.kind, func.count(ReviewItem.id))
        .where(ReviewItem.status == ReviewStatus.OPEN)
        .group_by(ReviewItem.kind)
    )
    return {kind: count for kind, count in rows}


def get_item(item_id: int) -> tuple[ReviewItem, ReviewKind]:
    item = get_or_404(ReviewItem, item_id, _("This review item does not exist."))
    kind = hooks.review_kinds.get(item.kind)
    if kind is None:  # a kind no feature registers on this app
        raise NotFound(_("This review item does not exist."))
    return item, kind


def decide(
    moderator: User, item_id: int, decision: str, reason: str, confirm_self: bool = False
) -> ReviewItem:
    item, kind = get_item(item_id)
    if item.status != ReviewStatus.OPEN:
        raise ServiceError(_("This item has already been dealt with."))
    handler = kind.decisions.get(decision)
    if handler is None:
        raise ServiceError(_("Unknown decision for this kind of item."))
    if decision in kind.needs_reason and not reason.strip():
        raise ServiceError(_("Give a reason for this decision."))
    if decision in kind.second_person:
        handler(moderator, item.target_id, reason.strip(), confirm_self=confirm_self)
    else:
        handler(moderator, item.target_id, reason.strip())
    # The handler normally closes the item; make sure it is closed whatever it did.
    if item.status == ReviewStatus.OPEN:
        item.status = ReviewStatus.CLOSED
        item.closed_at = utcnow()
        item.closed_by_id = moderator.id
        item.outcome = decision
    return item
