"""'Discussed in' links: features that mention cases or modules (the forum) provide backlinks.

A provider (`hooks.backlinks`) takes (kind, slug) and returns (title, url) pairs the current
user may see; case and module pages list them. The hook keeps features from importing each other.
"""

from __future__ import annotations

from app.core import hooks


def backlinks(kind: str, slug: str) -> list[tuple[str, str]]:
    """Pages that reference `[[kind:slug]]`, visible to the current user."""
    links: list[tuple[str, str]] = []
    for provider in hooks.backlinks.values():
        links.extend(provider(kind, slug))
    return links
