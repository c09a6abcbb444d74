"""Good practices: members nominate posts; moderators promote them into library entries or decline.

A nomination waits in the review queue (kind "nomination"). Promoting writes a `LibraryEntry`
(title, Markdown summary, tags, linked cases and modules, link to the source thread); declining
needs a reason, which the nominator is told. Every decision is in the audit log; entries are
indexed in the "library" search index.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.db import db, get_or_404, one_or_404
from app.core.errors import Conflict, NotFound, ServiceError
from app.core.markdown import has_resolver, resolve_reference
from app.core.time import utcnow
from app.forum import policy
from app.forum.models import (
    GoodPracticeNomination,
    LibraryEntry,
    NominationStatus,
    Post,
    PostStatus,
)
from app.forum.services import recipient
from app.moderation.services import queue as review
from app.moderation.services.second_person import require_second_person
from app.search import enqueue

MAX_NOTE = 1000
MAX_TAGS = 10
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")
TAG_RE = re.compile(r"^[\w][\w \-]{0,39}$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class EntryFields:
    """What a moderator writes for a library entry, as typed in the form."""

    title: str = ""
    summary: str = ""
    tags: str = ""
    cases: str = ""
    modules: str = ""


def _clean(text: str) -> str:
    return CONTROL_RE.sub("", text or "").replace("\r\n", "\n").strip()


def _required_reason(reason: str, missing: str) -> str:
    """The reason, cleaned; a `ServiceError(missing)` when nothing is left."""
    reason = _clean(reason)
    if not reason:
        raise ServiceError(missing)
    return reason


def parse_tags(raw: str) -> list[str]:
    tags: list[str] = []
    for part in (raw or "").split(","):
        tag = " ".join(_clean(part).lower().split())
        if not tag:
            continue
        if not TAG_RE.match(tag):
            raise ServiceError(
                _(
                    "The tag “%(tag)s” is not valid: use letters, digits, spaces and hyphens (at "
                    "most 40 characters), tags separated by commas.",
                    tag=tag[:40],
                )
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ServiceError(_("Use at most %(num)s tags.", num=MAX_TAGS))
    return tags


def parse_slugs(raw: str, kind: str) -> list[str]:
    """Read case or module slugs separated by spaces or commas, checking each one exists."""
    slugs: list[str] = []
    for slug in re.split(r"[\s,]+", (raw or "").strip().lower()):
        if not slug:
            continue
        if not SLUG_RE.match(slug):
            raise ServiceError(
                _("“%(slug)s” is not a valid case digest identifier.", slug=slug[:60])
                if kind == "case"
                else _("“%(slug)s” is not a valid training module identifier.", slug=slug[:60])
            )
        if has_resolver(kind) and resolve_reference(kind, slug) is None:
            raise ServiceError(
                _("There is no case digest “%(slug)s”.", slug=slug)
                if kind == "case"
                else _("There is no training module “%(slug)s”.", slug=slug)
            )
        if slug not in slugs:
            slugs.append(slug)
    return slugs


def _slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80] or "good-practice"
    slug, n = base, 1
    while db.session.scalar(select(LibraryEntry.id).where(LibraryEntry.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(entry: LibraryEntry, fields: EntryFields) -> None:
    title = " ".join(_clean(fields.title).split())
    summary = _clean(fields.summary)
    if not 5 <= len(title) <= 200:
        raise ServiceError(_("Give the entry a title of 5 to 200 characters."))
    if not 20 <= len(summary) <= 20_000:
        raise ServiceError(_("Write a summary of 20 to 20,000 characters."))
    entry.title = title
    entry.summary = summary
    entry.tags = ", ".join(parse_tags(fields.tags))
    entry.case_slugs = " ".join(parse_slugs(fields.cases, "case"))
    entry.module_slugs = " ".join(parse_slugs(fields.modules, "module"))


# Nominations ---------------------------------------------------------------------------------


def nominate(user: User, post: Post, note: str) -> GoodPracticeNomination:
    """Propose a visible post as a good practice (practitioners and above)."""
    policy.can_nominate.require(user)
    if post.status != PostStatus.VISIBLE or not policy.can_see_post(user, post):
        raise NotFound(_("This post does not exist."))
    note = _clean(note)
    if len(note) > MAX_NOTE:
        raise ServiceError(_("Keep the note under %(num)s characters.", num=MAX_NOTE))
    if db.session.scalar(select(LibraryEntry.id).where(LibraryEntry.source_post_id == post.id)):
        raise Conflict(_("This post is already in the good-practice library."))
    if db.session.scalar(
        select(GoodPracticeNomination.id).where(
            GoodPracticeNomination.post_id == post.id,
            GoodPracticeNomination.status == NominationStatus.OPEN,
        )
    ):
        raise Conflict(_("This post has already been nominated and is waiting for a moderator."))
    nomination = GoodPracticeNomination(post_id=post.id, nominator_id=user.id, note=note)
    db.session.add(nomination)
    db.session.flush()
    review.open_item(
        "nomination", nomination.id, f"Good practice proposed from “{post.topic.title}”"
    )
    return nomination


def get_open_nomination(nomination_id: int) -> GoodPracticeNomination:
    nomination = get_or_404(
        GoodPracticeNomination, nomination_id, _("This nomination does not exist.")
    )
    if nomination.status != NominationStatus.OPEN:
        raise Conflict(_("This nomination has already been decided."))
    return nomination


def draft_for(nomination: GoodPracticeNomination) -> EntryFields:
    """A starting point for the moderator: the topic title and the post's text."""
    post = db.session.get(Post, nomination.post_id)
    if post is None:
        return EntryFields()
    return EntryFields(title=post.topic.title, summary=post.body)


def _decide(nomination: GoodPracticeNomination, moderator: User, status: NominationStatus) -> None:
    """Close the nomination and its review item as promoted or declined."""
    nomination.status = status
    nomination.decided_by_id = moderator.id
    nomination.decided_at = utcnow()
    review.close_item("nomination", nomination.id, moderator, status)


def nomination_authors(nomination_id: int) -> set[int]:
    """Who proposed the good practice: they may not promote it themselves."""
    nominator = db.session.scalar(
        select(GoodPracticeNomination.nominator_id).where(
            GoodPracticeNomination.id == nomination_id
        )
    )
    return {nominator} if nominator is not None else set()


def promote(
    moderator: User,
    nomination_id: int,
    fields: EntryFields,
    reason: str = "",
    confirm_self: bool = False,
) -> LibraryEntry:
    """A second person promotes a nomination: its nominator only as the sole moderator."""
    policy.can_curate_library.require(moderator)
    nomination = get_open_nomination(nomination_id)
    require_second_person(moderator, nomination_authors(nomination.id),
                          what="good-practice nomination", target_type="nomination",
                          target_id=nomination.id, reason=reason,
                          confirm_self=confirm_self)  # fmt: skip
    post = get_or_404(Post, nomination.post_id, _("The nominated post no longer exists."))
    entry = LibraryEntry(source_topic_id=post.topic_id, source_post_id=post.id, by_id=moderator.id)
    _apply(entry, fields)
    entry.slug = _slugify(entry.title)
    db.session.add(entry)
    _decide(nomination, moderator, NominationStatus.PROMOTED)
    db.session.flush()
    audit.record(
        moderator.id,
        "forum.library.promote",
        "library_entry",
        entry.id,
        nomination_id=nomination.id,
        post_id=post.id,
    )
    enqueue("library", str(entry.id))
    for user_id in {nomination.nominator_id, post.author_id} - {None}:
        assert user_id is not None
        recipient.notify(
            user_id,
            "library",
            lambda: _(
                "A post you nominated is now in the good-practice library: “%(title)s”",
                title=entry.title,
            ),
        )
    return entry


def decline(moderator: User, nomination_id: int, reason: str) -> GoodPracticeNomination:
    policy.can_curate_library.require(moderator)
    reason = _required_reason(reason, _("Give the member a reason for declining."))
    nomination = get_open_nomination(nomination_id)
    _decide(nomination, moderator, NominationStatus.DECLINED)
    audit.record(
        moderator.id,
        "forum.nomination.decline",
        "nomination",
        nomination.id,
        reason,
        post_id=nomination.post_id,
    )
    if nomination.nominator_id:
        recipient.notify(
            nomination.nominator_id,
            "library",
            lambda: _(
                "Your good-practice nomination was declined. Reason: %(reason)s", reason=reason
            ),
        )
    return nomination


# Entries -------------------------------------------------------------------------------------


def get_entry(slug: str) -> LibraryEntry:
    statement = select(LibraryEntry).where(LibraryEntry.slug == slug)
    return one_or_404(statement, _("There is no such library entry."))


def entry_by_id(entry_id: int) -> LibraryEntry:
    return get_or_404(LibraryEntry, entry_id, _("There is no such library entry."))


def update_entry(moderator: User, slug: str, fields: EntryFields, reason: str = "") -> LibraryEntry:
    policy.can_curate_library.require(moderator)
    entry = get_entry(slug)
    _apply(entry, fields)
    entry.updated_at = utcnow()
    db.session.flush()
    audit.record(moderator.id, "forum.library.edit", "library_entry", entry.id, _clean(reason))
    enqueue("library", str(entry.id))
    return entry


def remove_entry(moderator: User, slug: str, reason: str) -> None:
    policy.can_curate_library.require(moderator)
    reason = _required_reason(reason, _("Give a reason for removing the entry."))
    entry = get_entry(slug)
    audit.record(
        moderator.id, "forum.library.remove", "library_entry", entry.id, reason, title=entry.title
    )
    enqueue("library", str(entry.id))
    db.session.delete(entry)
    db.session.flush()


def review_context(nomination_id: int) -> dict[str, Any] | None:
    nomination = db.session.get(GoodPracticeNomination, nomination_id)
    if nomination is None:
        return None
    post = db.session.get(Post, nomination.post_id)
    nominator = db.session.get(User, nomination.nominator_id) if nomination.nominator_id else None
    return {"nomination": nomination, "post": post, "nominator": nominator}
