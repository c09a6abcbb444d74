"""The audit log as moderators and admins read it: filters parsed from untrusted query strings,
pages, CSV rows, and links from entries to their targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, or_, select
from werkzeug.datastructures import MultiDict

from app.accounts.models import User
from app.core import hooks
from app.core.audit import details_pairs as details_pairs
from app.core.db import db
from app.core.models import AuditEntry
from app.core.pagination import Page, paginate


def register_target_link(
    app: Flask,
    target_type: str,
    link: hooks.TargetLink,
    labels: hooks.TargetLabels | None = None,
) -> None:
    """Let audit entries about `target_type` link to the target and name it (features call
    this); `labels` answers a page's ids of that type in one query."""
    hooks.audit_links.register(app, target_type, link)
    if labels is not None:
        hooks.audit_labels.register(app, target_type, labels)


def register_target_labels(app: Flask, target_type: str, labels: hooks.TargetLabels) -> None:
    hooks.audit_labels.register(app, target_type, labels)


def target_labels(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """Words for each entry's target ("Case: Pistols in a fuel tank"), one query per type."""
    ids: dict[str, set[int]] = {}
    for entry in entries:
        if entry.target_id.isdigit():
            ids.setdefault(entry.target_type, set()).add(int(entry.target_id))
    found: dict[tuple[str, str], str] = {}
    for target_type, wanted in ids.items():
        labels = hooks.audit_labels.get(target_type)
        if labels is None:
            continue
        for target_id, words in labels(sorted(wanted)).items():
            found[(target_type, str(target_id))] = words
    return found


# What each kind of target is called, in the reader's language (lazy); a type not named here
# is shown as its code with spaces.
TARGET_TYPES = {
    "case": _l("Case"),
    "library_entry": _l("Good practice"),
    "message": _l("Message"),
    "nomination": _l("Nomination"),
    "post": _l("Post"),
    "practitioner_application": _l("Practitioner application"),
    "site_setting": _l("Site setting"),
    "synonym_group": _l("Synonym group"),
    "topic": _l("Topic"),
    "user": _l("User"),
    "watched_word": _l("Watched word"),
}


def target_words(entry: AuditEntry, labels: dict[tuple[str, str], str]) -> str:
    """The target as a reader says it: its label, else its type and number."""
    named = TARGET_TYPES.get(entry.target_type)
    kind = str(named) if named is not None else entry.target_type.replace("_", " ").capitalize()
    label = labels.get((entry.target_type, entry.target_id))
    if label:
        return str(_("%(kind)s: %(label)s", kind=kind, label=label))
    if entry.target_id:
        return str(_("%(kind)s #%(number)s", kind=kind, number=entry.target_id))
    return kind


def target_url(target_type: str, target_id: str) -> str | None:
    """The page of an audit entry's target, when a feature registered one for its type."""
    link = hooks.audit_links.get(target_type)
    return link(target_id) if link and target_id.isdigit() else None


# The actions moderators decide, so moderators read their entries: posts, topics, the library,
# nominations, case drafts, applications, restrictions, synonyms, self-approvals.
MODERATION_ACTIONS = (
    "forum.post.", "forum.topic.", "forum.library.", "forum.nomination.", "case.", "review.",
    "application.", "synonyms.", "user.silence", "user.suspend", "user.lift_",
)  # fmt: skip


def _moderation_only() -> ColumnElement[bool]:
    return or_(*(AuditEntry.action.startswith(prefix) for prefix in MODERATION_ACTIONS))


@dataclass
class AuditFilters:
    action: str = ""
    actor: str = ""
    date_from: date | None = None
    date_to: date | None = None
    # False for moderators: only the entries of moderation actions.
    everything: bool = True

    def as_args(self) -> dict[str, str]:
        args = {"action": self.action, "actor": self.actor}
        if self.date_from:
            args["from"] = self.date_from.isoformat()
        if self.date_to:
            args["to"] = self.date_to.isoformat()
        return {key: value for key, value in args.items() if value}


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def parse_filters(args: MultiDict[str, str], everything: bool = True) -> AuditFilters:
    return AuditFilters(
        everything=everything,
        action=(args.get("action") or "")[:64],
        actor=(args.get("actor") or "")[:254],
        date_from=_date(args.get("from")),
        date_to=_date(args.get("to")),
    )


def _statement(filters: AuditFilters) -> Select[AuditEntry, str]:
    stmt = select(AuditEntry, User.display_name).outerjoin(User, User.id == AuditEntry.actor_id)
    if not filters.everything:
        stmt = stmt.where(_moderation_only())
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.actor:
        stmt = stmt.where(User.email == filters.actor.strip().lower())
    if filters.date_from:
        stmt = stmt.where(
            AuditEntry.created_at >= datetime.combine(filters.date_from, datetime.min.time())
        )
    if filters.date_to:
        end = datetime.combine(filters.date_to, datetime.min.time()) + timedelta(days=1)
        stmt = stmt.where(AuditEntry.created_at < end)
    return stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def search(filters: AuditFilters, page: int, per_page: int = 50) -> Page[Any]:
    stmt = _statement(filters)
    result = paginate(stmt.with_only_columns(AuditEntry.id), page, per_page)
    ids = result.items
    rows = (
        db.session.execute(_statement(filters).where(AuditEntry.id.in_(ids))).all() if ids else []
    )
    result.items = [(entry, name) for entry, name in rows]
    return result


def rows(filters: AuditFilters, limit: int) -> list[tuple[AuditEntry, str | None]]:
    return [(entry, name) for entry, name in db.session.execute(_statement(filters).limit(limit))]


def known_actions(everything: bool = True) -> list[str]:
    stmt = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    if not everything:
        stmt = stmt.where(_moderation_only())
    return list(db.session.scalars(stmt))
