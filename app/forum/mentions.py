"""`@handle` in a rendered post becomes a link to the member's profile.

A step after rendering: it works on sanitised HTML, links handle text outside `<a>`, `<code>`
and `<pre>`, and only for handles that name exactly one forum reader (the rule of the mention
notifications, `watching.mentioned_users`). A page calls `prefetch_handles(bodies)` first, so
its handles cost one query; a handle not prefetched is looked up when met.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import g, has_app_context, url_for
from markupsafe import Markup
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.core.markdown import render_markdown
from app.forum.services.watching import MENTION_RE, READER_ROLES, mention_handle

TAG_RE = re.compile(r"(<[^>]*>)")
SKIP_TAGS = ("a", "code", "pre")
_CACHE = "forum_mention_handles"  # flask.g: {lower-case handle: user id or None}


def _clean(handle: str) -> str:
    return handle.lower().rstrip(".-")


def _cache() -> dict[str, int | None]:
    cache: dict[str, int | None] = g.setdefault(_CACHE, {})
    return cache


def prefetch_handles(bodies: Iterable[str]) -> None:
    """Resolve the handles of every text at once (one query) for this request's renders."""
    cache = _cache()
    wanted = {_clean(handle) for body in bodies for handle in MENTION_RE.findall(body)} - set(cache)
    if not wanted:
        return
    handle_sql = func.replace(func.lower(User.display_name), " ", "_")
    rows = db.session.execute(
        select(User.id, User.display_name).where(
            handle_sql.in_(sorted(wanted)),
            User.role.in_(READER_ROLES),
            User.deleted_at.is_(None),
        )
    ).all()
    found: dict[str, list[int]] = {}
    for user_id, name in rows:
        found.setdefault(mention_handle(name).lower(), []).append(user_id)
    for handle in wanted:
        ids = found.get(handle, [])
        cache[handle] = ids[0] if len(ids) == 1 else None


def link_mentions(html: str) -> Markup:
    """Link each known `@handle` of sanitised HTML that is not inside a link or code."""
    if "@" not in html or not has_app_context():
        return Markup(html)
    parts = TAG_RE.split(html)
    prefetch_handles(part for part in parts[::2])
    cache = _cache()
    skipping: list[str] = []

    def replace(match: re.Match[str]) -> str:
        handle = _clean(match.group(1))
        user_id = cache.get(handle)
        if user_id is None:
            return match.group(0)
        shown = match.group(1)[: len(handle)]
        rest = match.group(1)[len(handle) :]
        url = url_for("forum.member", user_id=user_id)
        return f'<a href="{url}" class="mention">@{shown}</a>{rest}'

    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in SKIP_TAGS and not part.endswith("/>"):
                if part.startswith("</"):
                    if skipping and skipping[-1] == name:
                        skipping.pop()
                else:
                    skipping.append(name)
        elif not skipping and "@" in part:
            parts[index] = MENTION_RE.sub(replace, part)
    return Markup("".join(parts))  # sanitised HTML; only links to our own pages were added


def render_post(body: str) -> Markup:
    """A post body as the forum shows it: sanitised Markdown with `@handle` links."""
    return link_mentions(str(render_markdown(body)))
