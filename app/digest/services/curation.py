"""Curators' writes to case digests: create, edit, submit, publish or reject, restore.

Every save adds a `CaseRevision` (author, time, reason, full snapshot) and an audit entry, and
queues the case for re-indexing. New cases start as drafts that only moderators see; "Submit for
publication" puts the draft in the review queue (kind `case_draft`), and a moderator's approval
publishes it. Edits of a published case are saved as a new revision and are live at once: only
moderators and admins can edit, every edit names its reason and is in the audit log, and any
earlier revision can be restored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import audit
from app.core.db import db, get_or_404, lock, one_or_404
from app.core.errors import Conflict, ServiceError
from app.core.i18n import recipient_language
from app.core.markdown import find_references, resolve_reference
from app.core.models import AuditEntry
from app.core.notifications import notify
from app.core.time import utcnow
from app.digest import policy
from app.digest.files import read_case
from app.digest.files_writer import case_file_text
from app.digest.index import enqueue_case
from app.digest.models import CASE_FIELDS, CaseDigest, CaseRevision, CaseStatus
from app.digest.presentation import labelled
from app.moderation.services import queue as review
from app.moderation.services.second_person import require_second_person

REVIEW_KIND = "case_draft"
# Words that are pages under /cases/, never case slugs.
RESERVED_SLUGS = frozenset({"new", "curate", "statistics", "export", "search", "saved", "alerts"})
EDITABLE = (*(name for name in CASE_FIELDS if name != "slug"), "body")


def get_case(slug: str) -> CaseDigest:
    """Any case by slug, drafts included (curator pages only)."""
    statement = select(CaseDigest).where(CaseDigest.slug == slug)
    return one_or_404(statement, _("There is no case digest at this address."))


def _lock(case: CaseDigest) -> None:
    """Take the case's row lock and reload it: a curator saving at the same moment waits here
    until the other commits, then sees their revision, so two saves never compute the same next
    number."""
    lock(CaseDigest, case.id)


def add_revision(case: CaseDigest, author: User | None, reason: str) -> CaseRevision:
    """Snapshot the case as it is now as its next revision."""
    _lock(case)
    revision = CaseRevision(
        case_id=case.id,
        number=latest_number(case) + 1,
        author_id=author.id if author is not None else None,
        reason=reason,
        snapshot=case.snapshot(),
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def _apply(case: CaseDigest, fields: dict[str, Any]) -> None:
    for name in EDITABLE:
        if name in fields:
            setattr(case, name, fields[name])


def _check(case: CaseDigest) -> None:
    """Refuse what `flask content check` would refuse in the case's file, and unknown links."""
    _case_file, problems = read_case(case_file_text(case), f"{case.slug}.md", case.slug)
    messages = [problem.message for problem in problems]
    for slug in case.modules:
        if resolve_reference("module", slug) is None:
            messages.append(_("unknown course module '%(slug)s'", slug=slug))
    for kind, slug in find_references(case.body):
        if kind == "case" and slug != case.slug:
            exists = db.session.scalar(select(CaseDigest.id).where(CaseDigest.slug == slug))
            if exists is None:
                messages.append(_("the text links to an unknown case '%(slug)s'", slug=slug))
        elif kind == "module" and resolve_reference("module", slug) is None:
            messages.append(_("the text links to an unknown course module '%(slug)s'", slug=slug))
    if messages:
        raise ServiceError(_("The case was not saved: %(problems)s.", problems="; ".join(messages)))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why you make this change."))
    return reason[:500]


def create_case(author: User, fields: dict[str, Any], reason: str) -> CaseDigest:
    """A new draft case with its first revision."""
    policy.can_curate.require(author)
    reason = _reason(reason)
    slug = str(fields.get("slug") or "").strip()
    if not slug or slug in RESERVED_SLUGS:
        raise ServiceError(_("'%(slug)s' cannot be used as the address of a case.", slug=slug))
    if db.session.scalar(select(CaseDigest.id).where(CaseDigest.slug == slug)) is not None:
        raise Conflict(_("A case with the address '%(slug)s' already exists. Choose another.",
                         slug=slug))  # fmt: skip
    case = CaseDigest(slug=slug, status=CaseStatus.DRAFT)
    _apply(case, fields)
    _check(case)
    try:
        with db.session.begin_nested():  # someone may create the same address right now
            db.session.add(case)
            db.session.flush()
    except IntegrityError:
        raise Conflict(
            _("A case with the address '%(slug)s' already exists. Choose another.", slug=slug)
        ) from None
    add_revision(case, author, reason)
    audit.record(author.id, "case.create", "case", case.id, reason, slug=slug, revision=1)
    enqueue_case(case)
    return case


def latest_number(case: CaseDigest) -> int:
    number = db.session.scalar(
        select(func.max(CaseRevision.number)).where(CaseRevision.case_id == case.id)
    )
    return number or 0


def update_case(
    author: User, case: CaseDigest, fields: dict[str, Any], reason: str, base: int | None = None
) -> CaseRevision:
    """Save an edit as a new revision; an edit of a published case is live at once.

    `base` is the revision the curator's form started from: when someone saved another one in
    the meantime, the save is refused (Conflict) rather than silently undoing their change.
    """
    policy.can_curate.require(author)
    reason = _reason(reason)
    _lock(case)
    latest = latest_number(case)
    if base is not None and base != latest:
        raise Conflict(
            _(
                "Revision %(number)s of this case was saved after you opened it. Your changes "
                "are still in the form: look at the revision history, then save again to "
                "replace it.",
                number=latest,
            )
        )
    before = case.snapshot()
    _apply(case, fields)
    _check(case)
    after = case.snapshot()
    if before == after:
        raise ServiceError(_("Nothing was changed: the case is as it was."))
    changed = sorted(name for name in after if before.get(name) != after.get(name))
    revision = add_revision(case, author, reason)
    audit.record(author.id, "case.edit", "case", case.id, reason, slug=case.slug,
                 revision=revision.number, status=case.status, changed=changed)  # fmt: skip
    enqueue_case(case)
    return revision


def submit_for_publication(author: User, case: CaseDigest) -> None:
    """Put a draft in the review queue."""
    policy.can_curate.require(author)
    if case.status != CaseStatus.DRAFT:
        raise Conflict(_("This case is already published."))
    with force_locale("en"):  # the queue stores its titles in English
        title = labelled(case.title, case.illustrative)
    review.open_item(REVIEW_KIND, case.id, f"Publish case: {title}")
    audit.record(author.id, "case.submit", "case", case.id, slug=case.slug)


def _draft_for_decision(moderator: User, case_id: int) -> CaseDigest:
    policy.can_curate.require(moderator)
    case = get_or_404(CaseDigest, case_id, _("This case no longer exists."))
    if case.status != CaseStatus.DRAFT:
        raise Conflict(_("This case is already published."))
    return case


def draft_authors(case_id: int) -> set[int]:
    """Everyone who wrote a revision of the draft or submitted it: none of them may publish it."""
    written = db.session.scalars(
        select(CaseRevision.author_id).where(
            CaseRevision.case_id == case_id, CaseRevision.author_id.is_not(None)
        )
    )
    submitted = db.session.scalars(
        select(AuditEntry.actor_id).where(
            AuditEntry.action == "case.submit",
            AuditEntry.target_type == "case",
            AuditEntry.target_id == str(case_id),
            AuditEntry.actor_id.is_not(None),
        )
    )
    return {user_id for user_id in [*written, *submitted] if user_id is not None}


def publish(moderator: User, case_id: int, reason: str, confirm_self: bool = False) -> CaseDigest:
    """Approve a draft: it becomes published and visible to its readers. A second person
    decides: an author of the draft may publish it only as the site's sole moderator."""
    case = _draft_for_decision(moderator, case_id)
    require_second_person(moderator, draft_authors(case.id), what="case draft",
                          target_type="case", target_id=case.id, reason=reason,
                          confirm_self=confirm_self)  # fmt: skip
    case.status = CaseStatus.PUBLISHED
    case.published_at = utcnow()
    revision = add_revision(case, moderator, f"Published: {reason}" if reason else "Published")
    audit.record(moderator.id, "case.publish", "case", case.id, reason, slug=case.slug,
                 revision=revision.number)  # fmt: skip
    review.close_item(REVIEW_KIND, case.id, moderator, "published")
    _tell_submitter(case, moderator, "published")
    enqueue_case(case)
    return case


def reject(moderator: User, case_id: int, reason: str) -> CaseDigest:
    """Send a draft back: it stays a draft; the reason is in the audit log."""
    case = _draft_for_decision(moderator, case_id)
    if not reason.strip():
        raise ServiceError(_("Give a reason for the rejection."))
    audit.record(moderator.id, "case.reject", "case", case.id, reason.strip(), slug=case.slug)
    review.close_item(REVIEW_KIND, case.id, moderator, "rejected")
    _tell_submitter(case, moderator, "sent back")
    enqueue_case(case)
    return case


def _audit_of(case: CaseDigest, *actions: str) -> AuditEntry | None:
    return db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.action.in_(actions), AuditEntry.target_type == "case",
               AuditEntry.target_id == str(case.id))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )  # fmt: skip


def _tell_submitter(case: CaseDigest, moderator: User, decision: str) -> None:
    """Notify whoever submitted the draft (not the moderator deciding their own submission),
    in their language: the notification's text is stored as it is written."""
    submitted = _audit_of(case, "case.submit")
    if submitted is None or submitted.actor_id in (None, moderator.id):
        return
    submitter = db.session.get(User, submitted.actor_id)
    with force_locale(recipient_language(submitter.language if submitter else "")):
        if decision == "published":
            title = _("Your case draft was published: %(title)s", title=case.title)
        else:
            title = _("Your case draft was sent back: %(title)s", title=case.title)
    notify(submitted.actor_id, "case_review", title, url_for("digest.edit", slug=case.slug))


def last_decision(case: CaseDigest) -> tuple[str, str, Any] | None:
    """The last review decision on a case as (action, reason, time), for the edit page."""
    entry = _audit_of(case, "case.publish", "case.reject")
    if entry is None:
        return None
    return (
        ("published" if entry.action == "case.publish" else "sent back"),
        entry.reason,
        (entry.created_at),
    )


def revisions_with_authors(case: CaseDigest) -> list[tuple[CaseRevision, str]]:
    """Newest first, each with its author's display name ("" for file loads)."""
    rows = db.session.execute(
        select(CaseRevision, User.display_name)
        .outerjoin(User, User.id == CaseRevision.author_id)
        .where(CaseRevision.case_id == case.id)
        .order_by(CaseRevision.number.desc())
    ).all()
    return [(revision, name or "") for revision, name in rows]


def get_revision(case: CaseDigest, number: int) -> CaseRevision:
    statement = select(CaseRevision).where(
        CaseRevision.case_id == case.id, CaseRevision.number == number
    )
    return one_or_404(statement, _("This case has no revision %(number)s.", number=number))


def restore(author: User, case: CaseDigest, number: int) -> CaseRevision:
    """Make an earlier revision's content current again, as a new revision."""
    policy.can_curate.require(author)
    old = get_revision(case, number)
    snapshot = dict(old.snapshot)
    fields = {name: snapshot[name] for name in EDITABLE if name in snapshot}
    if fields.get("decision_date"):
        day = date.fromisoformat(fields["decision_date"])
        fields.setdefault("decision_year", day.year)  # a revision saved before decision_year
        # A composite's old revision may hold a full date: restore its year only.
        fields["decision_date"] = None if fields.get("illustrative") else day
    before = case.snapshot()
    _apply(case, fields)
    if case.snapshot() == before:
        raise ServiceError(
            _("The case is already as it was in revision %(number)s.", number=number)
        )
    revision = add_revision(case, author, f"Restored from revision {number}")
    audit.record(author.id, "case.restore", "case", case.id, f"Restored from revision {number}",
                 slug=case.slug, revision=revision.number, restored=number)  # fmt: skip
    enqueue_case(case)
    return revision
