"""The curriculum loader: upsert what `app.learning.files` read from `courses/` into the database.

`load_curriculum` upserts by slug. Loading never deletes learner data: a module, lesson or
question that disappeared from the files is deactivated, and a changed question gets a new
version while finished attempts keep the version they were taken with.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.core.db import db
from app.learning import index as learning_index
from app.learning.course_files import ModuleFile
from app.learning.files import Curriculum
from app.learning.gift import Question, export_gift
from app.learning.models import (
    ContentTranslation,
    Course,
    GlossaryTerm,
    Lesson,
    Module,
    QuestionTranslation,
    QuestionVersion,
    QuizQuestion,
)
from app.learning.translations_files import TranslationFile


@dataclass
class LoadReport:
    courses: int = 0
    modules: int = 0
    lessons: int = 0
    questions_new: int = 0
    questions_changed: int = 0
    glossary: int = 0
    translations: int = 0


def _question_keys(questions: list[Question]) -> list[str]:
    keys: list[str] = []
    for index, question in enumerate(questions, start=1):
        key = (question.name if question.explicit_name else "") or f"question-{index}"
        base, n = key[:180], 2
        while key in keys:
            key, n = f"{base}-{n}", n + 1
        keys.append(key)
    return keys


def _upsert_questions(module: Module, questions: list[Question], report: LoadReport) -> None:
    existing = {
        q.key: q
        for q in db.session.scalars(select(QuizQuestion).where(QuizQuestion.module_id == module.id))
    }
    versions = {
        v.id: v
        for v in db.session.scalars(
            select(QuestionVersion)
            .join(QuizQuestion, QuizQuestion.current_version_id == QuestionVersion.id)
            .where(QuizQuestion.module_id == module.id)
        )
    }
    keys = _question_keys(questions)
    for position, (key, question) in enumerate(zip(keys, questions, strict=True), start=1):
        gift = export_gift([question])
        digest = hashlib.sha256(gift.encode()).hexdigest()
        row = existing.pop(key, None)
        if row is None:
            row = QuizQuestion(module_id=module.id, key=key)
            db.session.add(row)
            db.session.flush()
            report.questions_new += 1
            number = 1
        else:
            current = versions.get(row.current_version_id or -1)
            if current is not None and current.digest == digest:
                row.position, row.active = position, True
                continue
            number = (current.number + 1) if current else 1
            report.questions_changed += 1
        version = QuestionVersion(
            question_id=row.id, number=number, qtype=question.type, gift=gift, digest=digest
        )
        db.session.add(version)
        db.session.flush()
        row.current_version_id = version.id
        row.position, row.active = position, True
    for row in existing.values():
        row.active = False


class _Translations:
    """Upserts translations by (kind, object id, language); those not seen in this load are
    deactivated at the end (a removed translation file is no longer shown)."""

    def __init__(self, report: LoadReport) -> None:
        self.report = report
        self.rows = {
            (row.kind, row.object_id, row.language): row
            for row in db.session.scalars(select(ContentTranslation))
        }
        self.seen: set[tuple[str, int, str]] = set()

    def put(self, kind: str, object_id: int, language: str, title: str, summary: str = "",
            body: str = "", audience: str = "", original_hash: str = "",
            stale: bool = False) -> None:  # fmt: skip
        key = (kind, object_id, language)
        row = self.rows.get(key)
        if row is None:
            row = ContentTranslation(kind=kind, object_id=object_id, language=language)
            db.session.add(row)
            self.rows[key] = row
        row.title, row.summary, row.body, row.audience = title, summary, body, audience
        row.original_hash, row.stale, row.active = original_hash, stale, True
        self.seen.add(key)
        self.report.translations += 1

    def put_file(self, kind: str, object_id: int, translations: dict[str, TranslationFile]) -> None:
        for language, t in translations.items():
            self.put(kind, object_id, language, t.title, t.summary, t.body, t.audience,
                     t.original_hash, t.stale or not t.original_hash)  # fmt: skip

    def finish(self) -> None:
        for key, row in self.rows.items():
            if key not in self.seen:
                row.active = False


def _upsert_question_translations(
    module: Module, translations: dict[str, TranslationFile], report: LoadReport
) -> None:
    """Each translated question attaches to the current version of the question it names; the
    current versions' translations in a language whose quiz file was removed are deleted, so
    that a new attempt is no longer taken in it (an older version keeps its translation for the
    attempts that were taken on it)."""
    current = {
        row.key: row.current_version_id
        for row in db.session.scalars(
            select(QuizQuestion).where(QuizQuestion.module_id == module.id)
        )
    }
    versions = [v for v in current.values() if v is not None]
    existing = {
        (row.version_id, row.language): row
        for row in db.session.scalars(
            select(QuestionTranslation).where(QuestionTranslation.version_id.in_(versions))
        )
    }
    for language, translation in translations.items():
        keys = _question_keys(translation.questions)
        for key, question in zip(keys, translation.questions, strict=True):
            version_id = current.get(key)
            if version_id is None:
                continue
            gift = export_gift([question])
            row = existing.get((version_id, language))
            if row is None:
                row = QuestionTranslation(version_id=version_id, language=language)
                db.session.add(row)
            row.gift, row.digest = gift, hashlib.sha256(gift.encode()).hexdigest()
            report.translations += 1
    for (_, language), row in existing.items():
        if language not in translations:
            db.session.delete(row)


def load_curriculum(curriculum: Curriculum) -> LoadReport:
    """Upsert the checked curriculum; call only when it has no problems."""
    report = LoadReport()
    translations = _Translations(report)
    for course_file in curriculum.courses:
        course = db.session.scalar(select(Course).where(Course.slug == course_file.slug))
        if course is None:
            course = Course(slug=course_file.slug, title=course_file.title)
            db.session.add(course)
        course.position = course_file.position
        course.title, course.summary = course_file.title, course_file.summary
        course.audience, course.level = course_file.audience, course_file.level
        course.minutes, course.pass_mark = course_file.minutes, course_file.pass_mark
        course.languages, course.intro = " ".join(course_file.languages), course_file.intro
        db.session.flush()
        translations.put_file("course", course.id, course_file.translations)
        report.courses += 1
        seen_modules = set()
        for module_file in course_file.modules:
            module = db.session.scalar(select(Module).where(Module.slug == module_file.slug))
            if module is None:
                module = Module(slug=module_file.slug, title=module_file.title, course_id=course.id)
                db.session.add(module)
            _apply_module(module, module_file, course.id)
            db.session.flush()
            seen_modules.add(module.id)
            report.modules += 1
            translations.put_file("module", module.id, module_file.translations)
            _upsert_lessons(module, module_file, report, translations)
            if module_file.kind == "module":
                _upsert_questions(module, module_file.questions, report)
                _upsert_question_translations(module, module_file.quiz_translations, report)
        for module in db.session.scalars(select(Module).where(Module.course_id == course.id)):
            if module.id not in seen_modules:
                module.active = False
    for entry in curriculum.glossary:
        term = db.session.scalar(select(GlossaryTerm).where(GlossaryTerm.slug == entry["slug"]))
        if term is None:
            term = GlossaryTerm(
                slug=entry["slug"], term=entry["term"], definition=entry["definition"]
            )
            db.session.add(term)
        term.term, term.definition = entry["term"], entry["definition"]
        term.see, term.sources = " ".join(entry["see"]), " ".join(entry["sources"])
        db.session.flush()
        for language, text in entry.get("translations", {}).items():
            recorded = text["original_hash"]
            translations.put("glossary", term.id, language, text["term"], body=text["definition"],
                             original_hash=recorded,
                             stale=recorded != text["current_hash"])  # fmt: skip
        report.glossary += 1
    translations.finish()
    db.session.flush()
    learning_index.enqueue_all()  # lessons, modules and terms as the site-wide search finds them
    return report


def _apply_module(module: Module, source: ModuleFile, course_id: int) -> None:
    module.course_id, module.kind, module.position = course_id, source.kind, source.position
    module.title, module.summary, module.intro = source.title, source.summary, source.intro
    module.prerequisites = " ".join(source.prerequisites)
    module.protocol_articles = " ".join(str(a) for a in source.protocol)
    module.convention_articles = " ".join(str(a) for a in source.convention)
    module.case_slugs = " ".join(source.cases)
    quiz = source.quiz
    module.pass_mark, module.max_attempts = quiz.pass_mark, quiz.max_attempts
    module.cooldown_minutes, module.grading = quiz.cooldown_minutes, quiz.grading
    module.time_limit_minutes, module.draw = quiz.time_limit_minutes, quiz.draw
    module.shuffle_answers, module.review = quiz.shuffle_answers, quiz.review
    module.active = True


def _upsert_lessons(
    module: Module, source: ModuleFile, report: LoadReport, translations: _Translations
) -> None:
    existing = {
        lesson.slug: lesson
        for lesson in db.session.scalars(
            select(Lesson).where(Lesson.module_id == module.id).options(undefer(Lesson.body))
        )
    }
    for lesson_file in source.lessons:
        lesson = existing.pop(lesson_file.slug, None)
        if lesson is None:
            lesson = Lesson(module_id=module.id, slug=lesson_file.slug, title=lesson_file.title)
            db.session.add(lesson)
        lesson.position, lesson.title = lesson_file.position, lesson_file.title
        lesson.minutes, lesson.body = lesson_file.minutes, lesson_file.body
        lesson.sources, lesson.active = " ".join(lesson_file.sources), True
        db.session.flush()
        translations.put_file("lesson", lesson.id, lesson_file.translations)
        report.lessons += 1
    for lesson in existing.values():
        lesson.active = False
