"""The Sources page at /sources: every document the content cites, and where the curriculum cites
it (lessons and glossary terms, from their `sources` lists)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.core.db import db
from app.core.sources import DOCUMENTS, SourceDocument
from app.learning.models import Course, GlossaryTerm, Lesson, Module


@dataclass
class Citation:
    course: str
    module_slug: str
    module: str
    lesson_slug: str
    lesson: str


@dataclass
class SourceEntry:
    document: SourceDocument
    lessons: list[Citation] = field(default_factory=list)
    terms: list[GlossaryTerm] = field(default_factory=list)


def source_entries() -> list[SourceEntry]:
    """Each document in the registry's order, with the active lessons (in course order) and the
    glossary terms that cite it."""
    entries = {document.symbol: SourceEntry(document) for document in DOCUMENTS}
    rows = db.session.execute(
        select(Lesson, Module, Course)
        .join(Module, Module.id == Lesson.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(Lesson.active.is_(True), Module.active.is_(True))
        .order_by(Course.position, Module.position, Lesson.position)
    )
    for lesson, module, course in rows:
        for symbol in lesson.sources.split():
            if symbol in entries:
                entries[symbol].lessons.append(
                    Citation(course.title, module.slug, module.title, lesson.slug, lesson.title)
                )
    for term in db.session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.term)):
        for symbol in term.sources.split():
            if symbol in entries:
                entries[symbol].terms.append(term)
    return list(entries.values())
