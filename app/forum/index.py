"""Forum search and the library's search: the "posts" and "library" indexes and their queries.

The index holds every post, with the fields permissions need (`status`, `author_id`). What a
reader may find is decided by `restrict`, so hits, totals and facet counts never reveal a post
they may not see: members find visible posts of visible topics, and their own posts awaiting
approval there; moderators also find hidden posts and the posts of topics awaiting approval or
hidden (labelled). Rejected and deleted posts, and posts of deleted topics, are found by nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from whoosh import query as wq
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from app.accounts.models import Actor
from app.core.db import db
from app.core.markdown import markdown_to_text
from app.core.permissions import Role, has_role
from app.forum import policy
from app.forum.models import Category, LibraryEntry, Post, PostStatus, Topic, TopicStatus
from app.search import (
    IndexSpec,
    KindResult,
    SearchRequest,
    SearchResult,
    SiteHit,
    SiteKind,
    plain_analyzer,
    register_index,
    register_site_kind,
    search,
    text_analyzer,
)

PER_PAGE = 20
# What search sees of a post in a topic that is not visible (awaiting approval, hidden).
UNLISTED = "unlisted"
MODERATOR_STATUSES = (PostStatus.VISIBLE, PostStatus.HIDDEN, UNLISTED, PostStatus.PENDING)
UNFOUND = (PostStatus.REJECTED, PostStatus.DELETED)  # kept out of the index

POSTS_SCHEMA = Schema(
    key=ID(stored=True, unique=True),
    title=TEXT(analyzer=text_analyzer(), phrase=True),
    body=TEXT(analyzer=text_analyzer(), stored=True),
    spell=TEXT(analyzer=plain_analyzer()),
    category=ID(stored=True, sortable=True),
    author=ID(stored=True),
    author_id=ID,
    status=ID(stored=True),
    created=NUMERIC(int, stored=True, sortable=True),
)

LIBRARY_SCHEMA = Schema(
    key=ID(stored=True, unique=True),
    title=TEXT(analyzer=text_analyzer(), stored=True, phrase=True),
    summary=TEXT(analyzer=text_analyzer(), stored=True),
    spell=TEXT(analyzer=plain_analyzer()),
    tags=KEYWORD(stored=True, commas=True, lowercase=True, sortable=True, scorable=True),
    created=NUMERIC(int, stored=True, sortable=True),
)


def _status(post: Post) -> str:
    """The status search sees: posts of a deleted topic are deleted; the other posts of a topic
    that is not visible (awaiting approval, hidden) are "unlisted" (moderators only)."""
    if post.topic.status == TopicStatus.DELETED:
        return PostStatus.DELETED
    if post.topic.status != TopicStatus.VISIBLE and post.status not in UNFOUND:
        return UNLISTED
    return str(post.status)


def post_documents(keys: list[str]) -> dict[str, dict[str, Any]]:
    ids = [int(key) for key in keys if key.isdigit()]
    if not ids:
        return {}
    posts = list(
        db.session.scalars(
            select(Post)
            .where(Post.id.in_(ids))
            .options(joinedload(Post.topic).joinedload(Topic.category), joinedload(Post.author))
        )
    )
    documents = {}
    for post in posts:
        status = _status(post)
        if status in UNFOUND:
            continue  # found by nobody: keep them out of the index
        title = post.topic.title if post.number == 1 else ""
        body = markdown_to_text(post.body)  # snippets read as prose, not as Markdown
        documents[str(post.id)] = {
            "key": str(post.id),
            "title": title,
            "body": body,
            "spell": f"{title} {body}",
            "category": post.topic.category.slug,
            "author": post.author.display_name if post.author else "",
            "author_id": str(post.author_id or 0),
            "status": status,
            "created": int(post.created_at.timestamp()),
        }
    return documents


def all_post_keys() -> Iterable[str]:
    return (str(i) for i in db.session.scalars(select(Post.id).order_by(Post.id)))


def library_documents(keys: list[str]) -> dict[str, dict[str, Any]]:
    ids = [int(key) for key in keys if key.isdigit()]
    if not ids:
        return {}
    entries = db.session.scalars(select(LibraryEntry).where(LibraryEntry.id.in_(ids)))
    return {
        str(entry.id): {
            "key": str(entry.id),
            "title": entry.title,
            "summary": entry.summary,
            "spell": f"{entry.title} {entry.summary}",
            "tags": entry.tags,
            "created": int(entry.created_at.timestamp()),
        }
        for entry in entries
    }


def all_library_keys() -> Iterable[str]:
    return (str(i) for i in db.session.scalars(select(LibraryEntry.id).order_by(LibraryEntry.id)))


def init_app(app: Flask) -> None:
    register_index(app, IndexSpec("posts", POSTS_SCHEMA, post_documents, all_post_keys))
    register_index(app, IndexSpec("library", LIBRARY_SCHEMA, library_documents, all_library_keys))
    register_site_kind(app, SiteKind(
        "posts", _l("Forum posts"), order=40, find=site_posts,
        more_url=lambda text: url_for("forum.search", q=text), requirement=policy.can_read_forum,
    ))  # fmt: skip
    register_site_kind(app, SiteKind(
        "library", _l("Good practices"), order=50, find=site_library,
        more_url=lambda text: url_for("forum.library_index", q=text),
        requirement=policy.can_read_forum,
    ))  # fmt: skip


# Queries -------------------------------------------------------------------------------------


def restriction_for(user: Actor) -> wq.Query:
    """The posts `user` may find (see the module docstring)."""
    if has_role(user, Role.MODERATOR):
        return wq.Or([wq.Term("status", str(status)) for status in MODERATOR_STATUSES])
    return wq.Or(
        [
            wq.Term("status", PostStatus.VISIBLE.value),
            wq.And(
                [wq.Term("status", PostStatus.PENDING.value), wq.Term("author_id", str(user.id))]
            ),
        ]
    )


@dataclass
class PostHit:
    post: Post
    status: str  # as search sees it: visible, pending, hidden, unlisted
    snippet: Any


def search_posts(
    user: Actor,
    text: str,
    category: str = "",
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> tuple[SearchResult, list[PostHit]]:
    """Search posts as `user`; hits are re-read from the database and checked again."""
    filters = {"category": [category]} if category else {}
    result = search(
        SearchRequest(
            "posts",
            text,
            fields=["title", "body"],
            allowed_fields=["author"],
            filters=filters,
            restrict=restriction_for(user),
            sort=sort if sort in ("relevance", "newest", "oldest") else "relevance",
            sort_field="created",
            page=page,
            per_page=per_page,
            facets=["category"],
            highlight="body",
            suggest_field="spell",
        )
    )
    ids = [int(hit.key) for hit in result.hits if hit.key.isdigit()]
    if not ids:
        return result, []
    posts = {
        post.id: post
        for post in db.session.scalars(
            select(Post)
            .where(Post.id.in_(ids))
            .options(joinedload(Post.topic).joinedload(Topic.category), joinedload(Post.author))
        )
    }
    moderator = has_role(user, Role.MODERATOR)
    hits = []
    for hit in result.hits:
        post = posts.get(int(hit.key)) if hit.key.isdigit() else None
        if post is None:
            continue
        # The index may lag the database by a moment: check again before showing anything.
        status = _status(post)
        if moderator:
            shown = status in MODERATOR_STATUSES
        else:
            shown = status == PostStatus.VISIBLE or (
                status == PostStatus.PENDING and post.author_id == user.id
            )
        if shown and policy.can_see_post(user, post):
            hits.append(PostHit(post, status, hit.highlight))
    return result, hits


def category_names() -> dict[str, str]:
    return {slug: name for slug, name in db.session.execute(select(Category.slug, Category.name))}


def search_library(
    text: str, tags: list[str], sort: str = "relevance", page: int = 1, per_page: int = PER_PAGE
) -> tuple[SearchResult, list[LibraryEntry]]:
    result = search(
        SearchRequest(
            "library",
            text,
            fields=["title", "summary", "tags"],
            allowed_fields=["tags"],
            filters={"tags": tags} if tags else {},
            sort=sort if sort in ("relevance", "newest", "oldest") else "relevance",
            sort_field="created",
            page=page,
            per_page=per_page,
            facets=["tags"],
            highlight="summary",
            suggest_field="spell",
        )
    )
    ids = [int(hit.key) for hit in result.hits if hit.key.isdigit()]
    found = (
        {
            entry.id: entry
            for entry in db.session.scalars(select(LibraryEntry).where(LibraryEntry.id.in_(ids)))
        }
        if ids
        else {}
    )
    entries = [found[i] for i in ids if i in found]
    return result, entries


# The site-wide search (the header's search box) -----------------------------------------------


def site_posts(text: str, user: Actor, page: int, per_page: int) -> KindResult:
    """Forum posts `user` may see, for the site-wide search (forum members only)."""
    result, hits = search_posts(user, text, page=page, per_page=per_page)
    found = [
        SiteHit(
            hit.post.topic.title,
            url_for("forum.post_link", post_id=hit.post.id),
            hit.snippet,
            _(
                "%(category)s · %(author)s",
                category=hit.post.topic.category.name,
                author=hit.post.author.display_name if hit.post.author else _("Deleted member"),
            ),
        )
        for hit in hits
    ]
    return KindResult(result.total, found, notice=result.notice, error=result.error)


def site_library(text: str, user: Actor, page: int, per_page: int) -> KindResult:
    """Good-practice library entries, for the site-wide search (forum members only)."""
    result, entries = search_library(text, [], page=page, per_page=per_page)
    snippets = {hit.key: hit.highlight for hit in result.hits}
    found = [
        SiteHit(
            entry.title,
            url_for("forum.library_entry_by_id", entry_id=entry.id),
            snippets.get(str(entry.id), Markup("")),
            _("Good practice"),
        )
        for entry in entries
    ]
    return KindResult(result.total, found, notice=result.notice, error=result.error)
