"""Markdown to safe HTML: Python-Markdown renders, nh3 sanitises (Markdown passes raw HTML through).

Typed references such as `[[case:some-slug]]` become links when a feature has registered a
resolver for the kind; unknown or unresolvable references become neutral words without the slug.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from urllib.parse import urlsplit

import markdown as md
import nh3
from flask import Flask, g, has_app_context
from markupsafe import Markup, escape

from app.core import hooks
from app.core.markdown_linear import LinearExtension
from app.core.markdown_lists import ListsAfterTextExtension

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "fenced_code", "sane_lists"]

LINK_OR_IMAGE_RE = re.compile(r"<a\b[^>]*>|</a>|<img\b[^>]*>")
ATTRIBUTE_RE = re.compile(r'([a-z-]+)="([^"]*)"')
IMAGE_LINK_SCHEMES = {"http", "https"}
REFERENCE_RE = re.compile(r"\[\[([a-z]+):([a-z0-9][a-z0-9-]{0,120})\]\]")
_CACHE = "markdown_references"  # flask.g: {(kind, slug): target or None}, one app context


def register_reference(
    app: Flask, kind: str, resolve: hooks.Resolve, resolve_many: hooks.ResolveMany | None = None
) -> None:
    """Let `[[kind:slug]]` references render as links resolved by `resolve`.

    `resolve_many` resolves many slugs at once; `prefetch_references` uses it so that a page of
    many texts costs one query per kind instead of one per reference.
    """
    hooks.references.register(app, kind, hooks.ReferenceResolver(resolve, resolve_many))


def _resolver(kind: str) -> hooks.ReferenceResolver | None:
    return hooks.references.get(kind) if has_app_context() else None


def _cache() -> dict[tuple[str, str], tuple[str, str] | None] | None:
    return g.setdefault(_CACHE, {}) if has_app_context() else None


def prefetch_references(texts: Iterable[str]) -> None:
    """Resolve every reference of `texts` now, one batch per kind, for this request's renders.

    Call it before rendering a page of texts (a topic's posts). The answers are for the current
    viewer and kept in flask.g, so they last one request (or one app context) only.
    """
    cache = _cache()
    if cache is None:
        return
    wanted: dict[str, list[str]] = {}
    for text in texts:
        for kind, slug in find_references(text):
            resolver = _resolver(kind)
            if resolver and resolver.resolve_many and (kind, slug) not in cache:
                wanted.setdefault(kind, []).append(slug)
    for kind, slugs in wanted.items():
        slugs = list(dict.fromkeys(slugs))
        resolve_many = hooks.references.entries()[kind].resolve_many
        assert resolve_many is not None
        found = resolve_many(slugs)
        for slug in slugs:
            cache[(kind, slug)] = found.get(slug)


def resolve_reference(kind: str, slug: str) -> tuple[str, str] | None:
    """(url, title) of `[[kind:slug]]` for the current viewer; None when unknown or hidden."""
    cache = _cache()
    if cache is not None and (kind, slug) in cache:
        return cache[(kind, slug)]
    resolver = _resolver(kind)
    return resolver.resolve(slug) if resolver else None


def has_resolver(kind: str) -> bool:
    return _resolver(kind) is not None


def find_references(text: str) -> list[tuple[str, str]]:
    """Return the (kind, slug) references in a Markdown text, in order, without duplicates."""
    seen: dict[tuple[str, str], None] = {}
    for match in REFERENCE_RE.finditer(text):
        seen[(match.group(1), match.group(2))] = None
    return list(seen)


def _replace_references(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        kind = match.group(1)
        target = resolve_reference(kind, match.group(2))
        if target is None:
            # The same words for a reference that does not exist and one the viewer may not
            # open, and never the slug: a restricted case's slug can say what it is about.
            return f"*{kind} reference (not available)*"
        url, title = target
        safe_title = title.replace("[", "(").replace("]", ")")
        return f"[{safe_title}]({url})"

    return REFERENCE_RE.sub(replace, text)


def sanitize_html(html: str) -> str:
    """Keep only harmless markup; links get rel=noopener noreferrer nofollow."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str, *, references: bool = True, images: bool = False) -> Markup:
    """Render untrusted Markdown to sanitised HTML safe to place in a template.

    Without `images`, an image (`![alt](url)` or raw `<img>`) becomes a link to its URL: a
    reader's browser would otherwise fetch it unasked, from another site or from this one (a
    GET that marks a lesson as read).
    """
    if references:
        text = _replace_references(text)
    html = sanitize_html(
        md.markdown(
            text,
            extensions=[*EXTENSIONS, "attr_list", LinearExtension(), ListsAfterTextExtension()],
        )
    )
    return Markup(html if images else _images_as_links(html))


def _images_as_links(html: str) -> str:
    """Replace each <img> of sanitised HTML by a link to its http(s) URL, else by its words.

    The text is the alt text, else the URL; inside a link, only the text (links do not nest).
    nh3's output quotes every attribute and escapes `<`, `>` and `"` inside, so a tag ends at
    the first `>`.
    """
    depth = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal depth
        tag = match.group(0)
        if not tag.startswith("<img"):
            depth += -1 if tag == "</a>" else 1
            return tag
        attributes: dict[str, str] = dict(ATTRIBUTE_RE.findall(tag))
        src = attributes.get("src", "")
        text = attributes.get("alt", "").strip() or src
        if depth > 0 or urlsplit(unescape(src)).scheme.lower() not in IMAGE_LINK_SCHEMES:
            return text
        return f'<a href="{src}" rel="noopener noreferrer nofollow">{text}</a>'

    return LINK_OR_IMAGE_RE.sub(replace, html)


def markdown_to_text(text: str) -> str:
    """The words a reader sees in rendered Markdown, as plain (unescaped) text: for search
    indexes and their snippets. References become "case reference" (never the slug); raw HTML
    tags are dropped, script and style with their content."""
    text = REFERENCE_RE.sub(lambda match: f"{match.group(1)} reference", text)
    html = md.markdown(text, extensions=[*EXTENSIONS, LinearExtension(), ListsAfterTextExtension()])
    plain = unescape(nh3.clean(html, tags=set(), attributes={}))
    return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n", plain)).strip()


def render_plain(text: str) -> Markup:
    """Escape plain text and keep its line breaks."""
    return Markup("<br>".join(str(escape(line)) for line in text.splitlines()))


def render_markdown_inline(text: str) -> Markup:
    """Render a short Markdown fragment (an answer) without a wrapping paragraph."""
    html = str(render_markdown(text, references=False)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)  # already sanitised


def sanitize(html: str) -> Markup:
    """Sanitise HTML written by content authors ([html] GIFT text)."""
    return Markup(sanitize_html(html))  # sanitised by nh3
