"""'Discussed in' links: features that mention cases or modules (the forum) provide backlinks.

A provider (`hooks.backlinks`) takes (kind, slug) and returns (title, url) pairs the current
user may see; case and module pages list them. The hook keeps features from importing each other.
"""

from __future__ import annotations

from flask_login import current_user

from app.core import generation, hooks


def backlinks(kind: str, slug: str) -> list[tuple[str, str]]:
    """Pages that reference `[[kind:slug]]`, visible to the current user (kept per content
    generation and user: a member also sees their own topics awaiting approval)."""

    def find() -> list[tuple[str, str]]:
        links: list[tuple[str, str]] = []
        for provider in hooks.backlinks.values():
            links.extend(provider(kind, slug))
        return links

    user = current_user
    signed_in = getattr(user, "is_authenticated", False)
    reader = f"user-{user.id}-{user.role}" if signed_in else "visitor"
    return list(generation.cached("backlinks", (kind, slug, reader), find))
