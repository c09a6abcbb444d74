"""Posting rate limits: the members' limit, and a tighter one for members with fewer approved
posts than the new-member threshold; moderators are not limited. The three are site settings
(`/admin/settings`, defaults FORUM_RATE_LIMIT, FORUM_NEW_MEMBER_RATE_LIMIT, FORUM_NEW_MEMBER_POSTS).

Limits are flask-limiter strings ("6 per minute;100 per day"), counted per account and shared by
every posting form (new topic, reply, edit). Only a post that was saved counts (a refusal, such as
a watched word, saves nothing and costs nothing), and the page of a member over the limit gives
back the text they typed.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Response as FlaskResponse
from flask import g, make_response, render_template, request
from flask_babel import format_timedelta, ngettext
from flask_limiter import RequestLimit
from flask_login import current_user
from limits import RateLimitItem
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.core import settings
from app.core.db import db
from app.core.permissions import Role, has_role
from app.extensions import limiter
from app.forum.models import Post, PostStatus


def is_new_member() -> bool:
    if "forum_new_member" not in g:
        threshold = settings.get_int(settings.FORUM_NEW_MEMBER_POSTS)
        approved = db.session.scalar(
            select(func.count(Post.id)).where(
                Post.author_id == current_user.id, Post.status == PostStatus.VISIBLE
            )
        )
        g.forum_new_member = (approved or 0) < threshold
    return bool(g.forum_new_member)


def posting_limit() -> str:
    """The limit that applies to the member posting now."""
    if current_user.is_authenticated and is_new_member():
        return settings.get_text(settings.FORUM_NEW_MEMBER_RATE_LIMIT)
    return settings.get_text(settings.FORUM_RATE_LIMIT)


def _poster() -> str:
    return f"forum-poster:{current_user.id if current_user.is_authenticated else 'anonymous'}"


def _exempt() -> bool:
    """Moderators are not limited; a preview saves nothing, so it is never limited."""
    return has_role(current_user, Role.MODERATOR) or "preview" in request.form


def _saved(response: Response) -> bool:
    """A post was saved when the form redirects; a refused or invalid form re-renders (4xx),
    and so does a preview (200)."""
    return 300 <= response.status_code < 400


def describe(item: RateLimitItem) -> str:
    """A limit in the reader's words: "6 posts in 1 minute" ("6 messages en 1 minute")."""
    period = format_timedelta(timedelta(seconds=item.get_expiry()), threshold=1)
    text = ngettext(
        "%(num)s post in %(period)s", "%(num)s posts in %(period)s", item.amount, period=period
    )
    return str(text)


def _give_back_text(limit: RequestLimit) -> FlaskResponse:
    """The limit page keeps what the member typed, so nothing written is lost."""
    page = render_template(
        "forum/rate_limited.html",
        limit=describe(limit.limit),
        wait=max(1, limit.reset_at - int(time.time())),
        reply_to=request.form.get("reply_to", "")[:12],
        title=request.form.get("title", "")[:300],
        body=request.form.get("body", "")[:100_000],
    )
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(max(1, limit.reset_at - int(time.time())))
    return response


# Decorate every view that creates or changes a post (POST only).
posting = limiter.shared_limit(
    posting_limit,
    scope="forum-posting",
    key_func=_poster,
    methods=["POST"],
    exempt_when=_exempt,
    deduct_when=_saved,
    on_breach=_give_back_text,
)
