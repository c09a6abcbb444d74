"""'Discussed in' links: features that mention cases or modules (the forum) provide backlinks.

A provider takes (kind, slug) and returns (title, url) pairs the current user may see; case and
module pages list them. The registry keeps features from importing each other.
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[[str, str], list[tuple[str, str]]]
_providers: list[Provider] = []


def register_backlinks(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def backlinks(kind: str, slug: str) -> list[tuple[str, str]]:
    """Pages that reference `[[kind:slug]]`, visible to the current user."""
    links: list[tuple[str, str]] = []
    for provider in _providers:
        links.extend(provider(kind, slug))
    return links
