"""The `learning` search index: lessons, module introductions and glossary terms.

Keys are `lesson:<id>`, `module:<id>` and `term:<id>`; `kind` says which. A translated lesson,
module or term also carries its translation in `title_<lang>` and `body_<lang>` (French and
Spanish), analysed with that language's stop words and stemmer after accent folding, so that a
French reader's "pièce" finds "pièces" and "piece"; a reader whose language is French or Spanish
searches those fields beside the English ones and sees the translated title and snippet.

Only active lessons of active modules and active modules are indexed (a key left out is deleted
from the index). The course files loader (`services/content.py`) enqueues every key it may have
changed. The site-wide search reads it as two kinds: "Lessons and modules" and "Glossary terms".

A reader finds what they may open (as the lesson page decides): every module page and glossary
term, the first lesson of every module (the preview), and, signed in, every lesson of the modules
not locked for them; `opening` marks the first lessons and `module_id` the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, url_for
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from whoosh import query as wq
from whoosh.fields import ID, STORED, TEXT, Schema

from app.accounts.models import Actor
from app.core.db import db
from app.core.i18n import reader_language
from app.core.markdown import markdown_to_text
from app.learning.models import ContentTranslation, GlossaryTerm, Lesson, Module
from app.learning.services import progress
from app.search import (
    IndexSpec,
    KindResult,
    SearchRequest,
    SiteHit,
    SiteKind,
    enqueue,
    plain_analyzer,
    register_index,
    register_site_kind,
    search,
    text_analyzer,
)

INDEX = "learning"
LESSON, MODULE, TERM = "lesson", "module", "term"
TRANSLATED = ("fr", "es")  # languages with their own analysed fields
SNIPPET_CHARS = 200


TRANSLATED_FIELDS = {
    name: field
    for language in TRANSLATED
    for name, field in (
        (f"title_{language}", TEXT(analyzer=text_analyzer(language), stored=True,
                                   phrase=True, field_boost=2.0)),
        (f"body_{language}", TEXT(analyzer=text_analyzer(language), stored=True)),
    )
}  # fmt: skip

SCHEMA = Schema(
    key=ID(stored=True, unique=True),
    kind=ID(stored=True),
    title=TEXT(analyzer=text_analyzer(), stored=True, phrase=True, field_boost=2.0),
    body=TEXT(analyzer=text_analyzer(), stored=True),
    spell=TEXT(analyzer=plain_analyzer()),
    module_id=ID,
    opening=ID,  # "yes": the first lesson of its module, open to every reader
    module_slug=STORED,
    slug=STORED,  # the lesson's or the term's slug
    context=STORED,  # the module of a lesson, the course of a module
    **TRANSLATED_FIELDS,
)


def _keys(prefix: str, ids: Iterable[int]) -> list[str]:
    return [f"{prefix}:{i}" for i in ids]


def _ids(keys: list[str], prefix: str) -> list[int]:
    found = []
    for key in keys:
        kind, _, number = key.partition(":")
        if kind == prefix and number.isdigit():
            found.append(int(number))
    return found


def _document(key: str, kind: str, title: str, text: str, **stored: str) -> dict[str, Any]:
    body = markdown_to_text(text)
    return {
        "key": key, "kind": kind, "title": title, "body": body, "spell": f"{title} {body}",
        **stored,
    }  # fmt: skip


def _add_translations(found: dict[str, dict[str, Any]], prefix: str, kind: str,
                      ids: list[int]) -> None:  # fmt: skip
    """The translations of the documents found, in their languages' fields."""
    if not ids:
        return
    rows = db.session.scalars(
        select(ContentTranslation).where(
            ContentTranslation.kind == kind, ContentTranslation.object_id.in_(ids),
            ContentTranslation.language.in_(TRANSLATED), ContentTranslation.active,
        )
    )  # fmt: skip
    for row in rows:
        document = found.get(f"{prefix}:{row.object_id}")
        if document is None:
            continue
        text = f"{row.summary}\n\n{row.body}" if kind == "module" else row.body
        body = markdown_to_text(text)
        document[f"title_{row.language}"] = row.title
        document[f"body_{row.language}"] = body
        document["spell"] = f"{document['spell']} {row.title} {body}"


def documents(keys: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    lesson_ids, module_ids, term_ids = _ids(keys, LESSON), _ids(keys, MODULE), _ids(keys, TERM)
    if lesson_ids:
        lessons = db.session.scalars(
            select(Lesson)
            .join(Lesson.module)
            .where(Lesson.id.in_(lesson_ids), Lesson.active, Module.active)
            .options(joinedload(Lesson.module))
        )
        for lesson in lessons:
            key = f"{LESSON}:{lesson.id}"
            first = next((other for other in lesson.module.lessons if other.active), None)
            found[key] = _document(
                key, LESSON, lesson.title, lesson.body, module_slug=lesson.module.slug,
                slug=lesson.slug, context=lesson.module.title, module_id=str(lesson.module_id),
                opening="yes" if first is lesson else "no",
            )  # fmt: skip
    if module_ids:
        modules = db.session.scalars(
            select(Module)
            .where(Module.id.in_(module_ids), Module.active)
            .options(joinedload(Module.course))
        )
        for module in modules:
            key = f"{MODULE}:{module.id}"
            found[key] = _document(
                key, MODULE, module.title, f"{module.summary}\n\n{module.intro}",
                module_slug=module.slug, slug=module.slug, context=module.course.title,
            )  # fmt: skip
    if term_ids:
        for term in db.session.scalars(select(GlossaryTerm).where(GlossaryTerm.id.in_(term_ids))):
            key = f"{TERM}:{term.id}"
            found[key] = _document(key, TERM, term.term, term.definition, slug=term.slug)
    _add_translations(found, LESSON, "lesson", lesson_ids)
    _add_translations(found, MODULE, "module", module_ids)
    _add_translations(found, TERM, "glossary", term_ids)
    return found


def all_keys() -> list[str]:
    return [
        *_keys(LESSON, db.session.scalars(select(Lesson.id).order_by(Lesson.id))),
        *_keys(MODULE, db.session.scalars(select(Module.id).order_by(Module.id))),
        *_keys(TERM, db.session.scalars(select(GlossaryTerm.id).order_by(GlossaryTerm.id))),
    ]


def enqueue_all() -> None:
    """Re-index every lesson, module and term (the course files loader changed some of them)."""
    for key in all_keys():
        enqueue(INDEX, key)


# The site-wide search (the header's search box) -----------------------------------------------


def open_module_ids(user: Actor) -> list[int]:
    """The active modules whose every lesson `user` may read: signed in, and not locked."""
    if not getattr(user, "is_authenticated", False):
        return []
    opened = []
    for course in progress.catalogue():
        course_state = progress.course_progress(course, user.id)
        for module in progress.active_modules(course):
            if course_state.state(module.id).status != progress.ProgressStatus.LOCKED:
                opened.append(module.id)
    return opened


def readable(user: Actor) -> wq.Query:
    """Search-index condition: the modules, terms and lessons `user` may open."""
    parts: list[wq.Query] = [
        wq.Term("kind", MODULE), wq.Term("kind", TERM), wq.Term("opening", "yes"),
        *(wq.Term("module_id", str(module_id)) for module_id in open_module_ids(user)),
    ]  # fmt: skip
    return wq.Or(parts)


def _find(
    kinds: list[str], text: str, page: int, per_page: int, restrict: wq.Query | None = None
) -> KindResult:
    language = reader_language()
    own = [f"title_{language}", f"body_{language}"] if language in TRANSLATED else []
    result = search(
        SearchRequest(
            INDEX, text, fields=[*own, "title", "body"], filters={"kind": kinds},
            restrict=restrict, page=page, per_page=per_page,
            highlight=own[1] if own else "body", suggest_field="spell", synonyms=True,
        )
    )  # fmt: skip
    hits = []
    for hit in result.hits:
        fields, kind = hit.fields, hit.fields.get("kind")
        # The reader's language where the document is translated, else the English.
        translated = bool(own) and bool(fields.get(own[1]))
        title = str(fields.get(own[0] if translated else "title") or fields.get("title") or "")
        context = str(fields.get("context") or "")
        snippet = hit.highlight
        if not snippet and own and not translated:
            body = str(fields.get("body") or "")
            snippet = escape(body[:SNIPPET_CHARS] + (" …" if len(body) > SNIPPET_CHARS else ""))
        if kind == LESSON:
            url = url_for("learning.lesson", slug=fields["module_slug"], lesson_slug=fields["slug"])
            label = f"Lesson in {context}"
        elif kind == MODULE:
            url = url_for("learning.module_by_slug", slug=fields["module_slug"])
            label = f"Module of {context}"
        else:
            url = url_for("learning.glossary_page", _anchor=str(fields.get("slug") or ""))
            label = "Glossary term"
        hits.append(SiteHit(title, url, snippet, label))
    return KindResult(result.total, hits, notice=result.notice, error=result.error)


def site_lessons(text: str, user: Actor, page: int, per_page: int) -> KindResult:
    """Module introductions and the lessons `user` may open (see the module docstring)."""
    return _find([LESSON, MODULE], text, page, per_page, restrict=readable(user))


def site_glossary(text: str, user: Actor, page: int, per_page: int) -> KindResult:
    return _find([TERM], text, page, per_page)


def init_app(app: Flask) -> None:
    register_index(app, IndexSpec(INDEX, SCHEMA, documents, all_keys))
    register_site_kind(app, SiteKind("lessons", "Lessons and modules", order=10, find=site_lessons))
    register_site_kind(app, SiteKind("glossary", "Glossary terms", order=30, find=site_glossary))
