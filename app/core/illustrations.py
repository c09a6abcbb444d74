"""Material that illustrates a course module (the digest's cases), shown on the module page.

A provider (`hooks.illustrations`) takes the module's slug and the slugs its file lists
(`cases:` in module.md) and returns (title, url) pairs the current user may see. The hook keeps
learning from importing the digest, as `hooks.backlinks` does for "Discussed in".
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core import generation, hooks
from app.core.i18n import reader_language


def illustrations(module_slug: str, listed: Sequence[str] = ()) -> list[tuple[str, str]]:
    """What illustrates the module, visible to the current user, without duplicates (kept per
    content generation, reader class and language: it depends on nothing else)."""

    def find() -> list[tuple[str, str]]:
        links: dict[str, tuple[str, str]] = {}
        for provider in hooks.illustrations.values():
            for title, url in provider(module_slug, listed):
                links.setdefault(url, (title, url))
        return list(links.values())

    key = (module_slug, tuple(listed), generation.reader_class(), reader_language())
    return list(generation.cached("illustrations", key, find))
