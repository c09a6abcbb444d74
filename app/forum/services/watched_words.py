"""Watched words, kept by administrators: a match blocks a post or sends it to the review queue.

A pattern is a word or phrase matched case-insensitively on word boundaries; `*` stands for any
run of letters or digits (`launder*` matches "laundering"). Blocking wins over review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.db import db, get_or_404
from app.core.errors import Conflict, ServiceError
from app.forum import policy
from app.forum.models import WATCHED_WORD_ACTIONS, WatchedWord

MAX_PATTERN = 200


@dataclass
class Verdict:
    """What the watched words say about a text: `action` is None, "review" or "block"."""

    action: str | None = None
    words: list[str] = field(default_factory=list)


def normalise(pattern: str) -> str:
    return " ".join(pattern.strip().lower().split())


def compile_pattern(pattern: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in pattern.split("*")]
    body = r"\w*".join(parts).replace(r"\ ", r"\s+")
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def all_words() -> list[WatchedWord]:
    return list(db.session.scalars(select(WatchedWord).order_by(WatchedWord.pattern)))


def add(actor: User, pattern: str, action: str) -> WatchedWord:
    policy.can_keep_watched_words.require(actor)
    pattern = normalise(pattern)
    if action not in WATCHED_WORD_ACTIONS:
        raise ServiceError(_("Choose what a match does: block the post or send it for review."))
    if not pattern.replace("*", "").strip():
        raise ServiceError(
            _("Enter a word or phrase (a pattern of only * would match everything).")
        )
    if len(pattern) > MAX_PATTERN:
        raise ServiceError(_("Keep the word or phrase under %(num)s characters.", num=MAX_PATTERN))
    if db.session.scalar(select(WatchedWord.id).where(WatchedWord.pattern == pattern)):
        raise Conflict(_("“%(pattern)s” is already a watched word.", pattern=pattern))
    word = WatchedWord(pattern=pattern, action=action, created_by_id=actor.id)
    db.session.add(word)
    db.session.flush()
    audit.record(
        actor.id,
        "forum.watched_word.add",
        "watched_word",
        word.id,
        pattern=pattern,
        on_match=action,
    )
    return word


def remove(actor: User, word_id: int) -> None:
    policy.can_keep_watched_words.require(actor)
    word = get_or_404(WatchedWord, word_id, _("This watched word does not exist."))
    audit.record(
        actor.id,
        "forum.watched_word.remove",
        "watched_word",
        word.id,
        pattern=word.pattern,
        on_match=word.action,
    )
    db.session.delete(word)
    db.session.flush()


def check(*texts: str) -> Verdict:
    """Match the watched words against the given texts (a title and a body, say)."""
    verdict = Verdict()
    words = all_words()
    if not words:
        return verdict
    joined = "\n".join(texts)
    for word in words:
        if compile_pattern(word.pattern).search(joined):
            verdict.words.append(word.pattern)
            if word.action == "block":
                verdict.action = "block"
            elif verdict.action is None:
                verdict.action = "review"
    return verdict
