"""Markdown to safe HTML: Python-Markdown renders, nh3 sanitises (Markdown passes raw HTML through).

Typed references such as `[[case:some-slug]]` become links when a feature has registered a
resolver for the kind; unknown or unresolvable references become neutral words without the slug.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from html import unescape
from urllib.parse import urlsplit

import markdown as md
import nh3
from flask import Flask, current_app, has_app_context
from markupsafe import Markup, escape

from app.core import generation, hooks
from app.core.db import db
from app.core.i18n import gettext as _
from app.core.i18n import reader_language
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
_CACHE = "markdown_references"  # app.extensions and flask.g: see _cache()


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
    """{(kind, slug): target} for the current content generation, reader class and language.

    Kept per application (one process), emptied when the generation moves on: a resolver's
    answer depends only on the content, the reader's role and language (a composite case's link
    says "illustrative case" in it), never on who else asked.
    """
    if not has_app_context() or not db.serves(current_app._get_current_object()):  # type: ignore[attr-defined]
        return None
    if generation.writes_pending():
        return {}  # this transaction changed content: resolve afresh, keep nothing
    store: dict[tuple[int, str, str], dict[tuple[str, str], tuple[str, str] | None]]
    store = current_app.extensions.setdefault(_CACHE, {})
    key = (generation.current(), generation.reader_class(), reader_language())
    cache = store.get(key)
    if cache is None:
        for old in [k for k in store if k[0] != key[0]]:
            store.pop(old, None)
        cache = store.setdefault(key, {})
    return cache


def resolve_references(kind: str, slugs: Iterable[str]) -> dict[str, tuple[str, str] | None]:
    """{slug: (url, title) or None} for the current viewer: cached answers, and one batch query
    (when the kind resolves many at once) for the rest."""
    slugs = list(dict.fromkeys(slugs))
    resolver = _resolver(kind)
    if resolver is None:
        return dict.fromkeys(slugs)
    cache = _cache()
    if cache is None:
        return {slug: resolver.resolve(slug) for slug in slugs}
    missing = [slug for slug in slugs if (kind, slug) not in cache]
    if missing:
        if resolver.resolve_many is not None:
            found = resolver.resolve_many(missing)
            for slug in missing:
                cache[(kind, slug)] = found.get(slug)
        else:
            for slug in missing:
                cache[(kind, slug)] = resolver.resolve(slug)
    return {slug: cache[(kind, slug)] for slug in slugs}


def prefetch_references(texts: Iterable[str]) -> None:
    """Resolve every reference of `texts` now, one batch per kind (rendering does it too; this
    stays for callers that want the queries before the template runs)."""
    wanted: dict[str, list[str]] = {}
    for text in texts:
        for kind, slug in find_references(text):
            wanted.setdefault(kind, []).append(slug)
    for kind, slugs in wanted.items():
        resolve_references(kind, slugs)


def resolve_reference(kind: str, slug: str) -> tuple[str, str] | None:
    """(url, title) of `[[kind:slug]]` for the current viewer; None when unknown or hidden."""
    return resolve_references(kind, [slug])[slug]


def has_resolver(kind: str) -> bool:
    return _resolver(kind) is not None


def find_references(text: str) -> list[tuple[str, str]]:
    """Return the (kind, slug) references in a Markdown text, in order, without duplicates."""
    seen: dict[tuple[str, str], None] = {}
    for match in REFERENCE_RE.finditer(text):
        seen[(match.group(1), match.group(2))] = None
    return list(seen)


# Rendering happens once per text (`_skeleton`, memoised on the text): references become
# placeholders, HTML comments that sanitised Markdown can never contain (nh3 drops comments),
# and each render fills them for its reader. `<!--ref:kind:slug-->` stands for a link,
# `<!--reftext:kind:slug-->` for a title alone (inside a link or code). Other features may add
# placeholder kinds (`register_placeholder`); a comment of a kind nobody fills stays as it is.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKER_RE = re.compile(f"{_OPEN}([a-z]+):([a-z0-9-]+){_CLOSE}")
_TAG_OR_MARKER_RE = re.compile(f"<[^>]*>|{_MARKER_RE.pattern}")
PLACEHOLDER_RE = re.compile(r"<!--([a-z]+):([^<>]*?)-->")
Filler = Callable[[list[str]], dict[str, str]]
_FILLERS: dict[str, Filler] = {}


def register_placeholder(kind: str, fill: Filler) -> None:
    """Fill `<!--kind:argument-->` placeholders of rendered Markdown with `fill`: it gets every
    argument of the page's text at once and returns {argument: safe HTML}; one it leaves out
    stays an (invisible) comment."""
    _FILLERS[kind] = fill


def _with_placeholders(html: str) -> str:
    """Turn reference markers of sanitised HTML into placeholders (in text) or neutral words
    (inside an attribute)."""
    inside = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal inside
        token = match.group(0)
        if token.startswith("<"):
            name = re.match(r"</?([a-z0-9]+)", token)
            if name and name.group(1) in ("a", "code", "pre"):
                inside += -1 if token.startswith("</") else 1
            return _MARKER_RE.sub(lambda m: f"{m.group(1)} reference", token)
        kind = "reftext" if inside > 0 else "ref"
        return f"<!--{kind}:{match.group(1)}:{match.group(2)}-->"

    return _TAG_OR_MARKER_RE.sub(replace, html)


def _unavailable(kind: str) -> str:
    """A reference the reader cannot follow, in the reader's language (filled per request, so
    never kept in the cached HTML)."""
    if kind == "case":
        return _("case reference (not available)")
    if kind == "module":
        return _("module reference (not available)")
    return _("%(kind)s reference (not available)", kind=kind)  # a kind only its code names


def _reference_html(kind: str, target: tuple[str, str] | None, *, link: bool) -> str:
    if target is None:
        # The same words for a reference that does not exist and one the viewer may not
        # open, and never the slug: a restricted case's slug can say what it is about.
        words = _unavailable(kind)
        return f"<em>{escape(words)}</em>" if link else str(escape(words))
    url, title = target
    if not link:
        return str(escape(title))
    return f'<a href="{escape(url)}" rel="noopener noreferrer nofollow">{escape(title)}</a>'


def _fill_references(arguments: list[str], *, link: bool) -> dict[str, str]:
    wanted: dict[str, list[str]] = {}
    for argument in arguments:
        kind, _, slug = argument.partition(":")
        wanted.setdefault(kind, []).append(slug)
    filled = {}
    for kind, slugs in wanted.items():
        for slug, target in resolve_references(kind, slugs).items():
            filled[f"{kind}:{slug}"] = _reference_html(kind, target, link=link)
    return filled


register_placeholder("ref", lambda arguments: _fill_references(arguments, link=True))
register_placeholder("reftext", lambda arguments: _fill_references(arguments, link=False))


def fill_placeholders(html: str, fillers: dict[str, Filler] | None = None) -> str:
    """Replace the placeholders of rendered HTML for this request (`fillers` add or override
    kinds for this call only); unknown kinds and arguments stay as comments."""
    if "<!--" not in html:
        return html
    kinds = {**_FILLERS, **(fillers or {})}
    wanted: dict[str, list[str]] = {}
    for match in PLACEHOLDER_RE.finditer(html):
        if match.group(1) in kinds:
            wanted.setdefault(match.group(1), []).append(match.group(2))
    if not wanted:
        return html
    filled = {
        kind: kinds[kind](list(dict.fromkeys(arguments))) for kind, arguments in wanted.items()
    }

    def replace(match: re.Match[str]) -> str:
        value = filled.get(match.group(1), {}).get(match.group(2))
        return match.group(0) if value is None else value

    return PLACEHOLDER_RE.sub(replace, html)


@lru_cache(maxsize=2048)
def render_skeleton(text: str, references: bool = True, images: bool = False) -> str:
    """Sanitised HTML of `text` with placeholders where references stand, the same for every
    reader (so it can be kept: memoised here per process, keyed by the text itself)."""
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    if references:
        text = REFERENCE_RE.sub(lambda m: f"{_OPEN}{m.group(1)}:{m.group(2)}{_CLOSE}", text)
    html = sanitize_html(
        md.markdown(
            text,
            extensions=[*EXTENSIONS, "attr_list", LinearExtension(), ListsAfterTextExtension()],
        )
    )
    html = html if images else _images_as_links(html)
    return _with_placeholders(html) if references else html


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
    return Markup(fill_placeholders(render_skeleton(text, references, images)))


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
