"""The curriculum as files: read and check `courses/`, then upsert it into the database.

`read_curriculum` parses everything and reports every problem as `path:line: message`;
`load_curriculum` upserts by slug. Loading never deletes learner data: a module, lesson or
question that disappeared from the files is deactivated, and a changed question gets a new
version while finished attempts keep the version they were taken with.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import yaml
from sqlalchemy import select

from app.core.db import db
from app.core.frontmatter import Checker, Problem, parse
from app.core.markdown import REFERENCE_RE
from app.core.sources import SOURCES
from app.learning.gift import GiftProblem, Question, check_gift, export_gift, parse_gift
from app.learning.models import (
    Course,
    GlossaryTerm,
    Lesson,
    Module,
    QuestionVersion,
    QuizQuestion,
)

P = ParamSpec("P")
T = TypeVar("T")
NAME_RE = re.compile(r"^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GLOSSARY_LINK_RE = re.compile(r"\]\(/glossary#([^)\s]*)\)")
LEVELS = {"introductory", "intermediate", "advanced"}
GRADING = {"highest", "last"}
REVIEW = {"none", "score", "answers", "feedback"}


@dataclass
class QuizSettings:
    pass_mark: int = 70
    max_attempts: int = 0
    cooldown_minutes: int = 0
    grading: str = "highest"
    time_limit_minutes: int = 0
    draw: int = 0
    shuffle_answers: bool = True
    review: str = "feedback"


@dataclass
class LessonFile:
    slug: str
    position: int
    title: str
    minutes: int
    body: str
    sources: list[str]
    first_line: int = 1  # file line of the body's first line, for problem reports


@dataclass
class ModuleFile:
    slug: str
    position: int
    kind: str
    title: str
    summary: str
    intro: str
    prerequisites: list[str]
    protocol: list[int]
    convention: list[int]
    cases: list[str]
    quiz: QuizSettings
    lessons: list[LessonFile] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


@dataclass
class CourseFile:
    slug: str
    position: int
    title: str
    summary: str
    audience: str
    level: str
    minutes: int
    pass_mark: int
    languages: list[str]
    intro: str
    modules: list[ModuleFile] = field(default_factory=list)


@dataclass
class Curriculum:
    courses: list[CourseFile] = field(default_factory=list)
    glossary: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


class NotText(Exception):
    """A course file that is not UTF-8 text."""

    def __init__(self, rel: str) -> None:
        super().__init__(rel)
        self.problem = Problem(rel, 1, "the file is not UTF-8 text")


def read_text(path: Path, rel: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise NotText(rel) from error


def _guarded(
    read: Callable[P, tuple[T | None, list[Problem]]], *args: P.args, **kwargs: P.kwargs
) -> tuple[T | None, list[Problem]]:
    """Run a reader; a file that is not UTF-8 text becomes a problem instead of a crash."""
    try:
        return read(*args, **kwargs)
    except NotText as error:
        return None, [error.problem]


def _quiz_settings(check: Checker, raw: Any, default_pass: int) -> QuizSettings:
    if raw is None:
        return QuizSettings(pass_mark=default_pass)
    if not isinstance(raw, dict):
        check.add("quiz", "'quiz' must be a mapping of settings")
        return QuizSettings(pass_mark=default_pass)
    unknown = set(raw) - set(QuizSettings.__dataclass_fields__)
    if unknown:
        check.add("quiz", f"unknown quiz settings: {', '.join(sorted(unknown))}")
    shuffle = raw.get("shuffle_answers", True)
    if not isinstance(shuffle, bool):
        check.add("quiz", "'quiz.shuffle_answers' must be true or false")
        shuffle = True
    return QuizSettings(
        pass_mark=check.integer("quiz.pass_mark", default_pass, 0, 100, raw),
        max_attempts=check.integer("quiz.max_attempts", 0, 0, 100, raw),
        cooldown_minutes=check.integer("quiz.cooldown_minutes", 0, 0, 10_080, raw),
        grading=check.choice("quiz.grading", "highest", GRADING, raw),
        time_limit_minutes=check.integer("quiz.time_limit_minutes", 0, 0, 600, raw),
        draw=check.integer("quiz.draw", 0, 0, 500, raw),
        shuffle_answers=shuffle,
        review=check.choice("quiz.review", "feedback", REVIEW, raw),
    )


def _read_lesson(
    path: Path, root: Path, position: int, slug: str
) -> tuple[LessonFile | None, list[Problem]]:
    rel = _rel(path, root)
    doc, problems = parse(read_text(path, rel), rel)
    if doc is None:
        return None, problems
    check = Checker(rel, doc)
    title = check.text("title", max_length=200)
    minutes = check.integer("minutes", 10, 1, 600)
    sources = check.string_list("sources")
    for symbol in sources:
        if symbol not in SOURCES:
            check.add("sources", f"unknown source symbol '{symbol}'")
    if len(doc.body.split()) < 50:
        check.problems.append(
            Problem(rel, doc.body_line, "the lesson body is missing or too short")
        )
    leading = len(doc.body) - len(doc.body.lstrip("\n"))
    lesson = LessonFile(
        slug,
        position,
        title,
        minutes,
        doc.body.strip(),
        sources,
        first_line=doc.body_line + doc.body[:leading].count("\n"),
    )
    return lesson, problems + check.problems


def _read_module(
    folder: Path, root: Path, position: int, slug: str, default_pass: int
) -> tuple[ModuleFile | None, list[Problem]]:
    path = folder / "module.md"
    rel = _rel(path, root)
    if not path.exists():
        return None, [Problem(rel, 1, "module folder has no module.md")]
    doc, problems = parse(read_text(path, rel), rel)
    if doc is None:
        return None, problems
    check = Checker(rel, doc)
    articles = doc.meta.get("articles") or {}
    if not isinstance(articles, dict):
        check.add("articles", "'articles' must map protocol and convention to article lists")
        articles = {}
    module = ModuleFile(
        slug=slug,
        position=position,
        kind="module",
        title=check.text("title", max_length=200),
        summary=check.text("summary", max_length=1000),
        intro=doc.body.strip(),
        prerequisites=check.string_list("prerequisites"),
        protocol=check.int_list("articles.protocol", articles),
        convention=check.int_list("articles.convention", articles),
        cases=check.string_list("cases"),
        quiz=_quiz_settings(check, doc.meta.get("quiz"), default_pass),
    )
    problems += check.problems
    lesson_paths = sorted(p for p in folder.glob("*.md") if p.name != "module.md")
    for lesson_path in lesson_paths:
        match = NAME_RE.match(lesson_path.stem)
        if not match:
            problems.append(
                Problem(_rel(lesson_path, root), 1, "lesson file names look like NN-slug.md")
            )
            continue
        lesson, lesson_problems = _guarded(
            _read_lesson, lesson_path, root, int(match.group(1)), match.group(2)
        )
        problems += lesson_problems
        if lesson:
            module.lessons.append(lesson)
    if not module.lessons:
        problems.append(Problem(rel, 1, "the module has no lessons"))
    quiz_path = folder / "quiz.gift"
    quiz_rel = _rel(quiz_path, root)
    if not quiz_path.exists():
        problems.append(Problem(rel, 1, "the module has no quiz.gift"))
    else:
        try:
            text = read_text(quiz_path, quiz_rel)
        except NotText as error:
            return module, [*problems, error.problem]
        gift_problems: list[GiftProblem] = check_gift(text, quiz_rel)
        problems += [Problem(quiz_rel, p.line, p.message) for p in gift_problems]
        if not gift_problems:
            module.questions = parse_gift(text, quiz_rel)
            if not any(q.type not in ("essay", "description") for q in module.questions):
                problems.append(
                    Problem(quiz_rel, 1, "the quiz has no automatically graded question")
                )
            if module.quiz.draw > len(module.questions):
                check.add(
                    "quiz",
                    f"quiz.draw is {module.quiz.draw} but the pool has only "
                    f"{len(module.questions)} questions",
                )
                problems += check.problems[-1:]
    return module, problems


def _final_module(course: CourseFile, check: Checker, raw: Any) -> ModuleFile | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        check.add("final_assessment", "'final_assessment' must be a mapping of settings")
        return None
    settings = dict(raw)
    title = settings.pop("title", "Final assessment")
    quiz = _quiz_settings(check, settings, course.pass_mark)
    if quiz.draw < 1:
        check.add("final_assessment", "final_assessment.draw must be at least 1")
    return ModuleFile(
        slug=f"{course.slug}-final",
        position=99,
        kind="final",
        title=str(title),
        summary=f"Questions drawn at random from every module of {course.title}.",
        intro="",
        prerequisites=[m.slug for m in course.modules],
        protocol=[],
        convention=[],
        cases=[],
        quiz=quiz,
    )


def _read_course(
    folder: Path, root: Path, position: int
) -> tuple[CourseFile | None, list[Problem]]:
    path = folder / "course.md"
    rel = _rel(path, root)
    if not SLUG_RE.match(folder.name):
        return None, [Problem(rel, 1, "course folder names are lower-case slugs")]
    if not path.exists():
        return None, [Problem(rel, 1, "course folder has no course.md")]
    doc, problems = parse(read_text(path, rel), rel)
    if doc is None:
        return None, problems
    check = Checker(rel, doc)
    course = CourseFile(
        slug=folder.name,
        position=position,
        title=check.text("title", max_length=200),
        summary=check.text("summary", max_length=1000),
        audience=check.text("audience", required=False),
        level=check.choice("level", "introductory", LEVELS),
        minutes=check.integer("minutes", 60, 1, 100_000),
        pass_mark=check.integer("pass_mark", 70, 0, 100),
        languages=check.string_list("languages") or ["en"],
        intro=doc.body.strip(),
    )
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        match = NAME_RE.match(sub.name)
        if not match:
            problems.append(Problem(_rel(sub, root), 1, "module folder names look like NN-slug"))
            continue
        module, module_problems = _guarded(
            _read_module, sub, root, int(match.group(1)), match.group(2), course.pass_mark
        )
        problems += module_problems
        if module:
            course.modules.append(module)
    final = _final_module(course, check, doc.meta.get("final_assessment"))
    if final:
        course.modules.append(final)
    return course, problems + check.problems


def _read_glossary(root: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    path = root / "glossary.yaml"
    rel = _rel(path, root)
    if not path.exists():
        return [], []
    try:
        text = read_text(path, rel)
        data = yaml.compose(text)
        entries = yaml.safe_load(text) or []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [], [Problem(rel, mark.line + 1 if mark else 1, "glossary is not valid YAML")]
    if not isinstance(entries, list):
        return [], [Problem(rel, 1, "the glossary must be a list of terms")]
    lines = [node.start_mark.line + 1 for node in getattr(data, "value", [])]
    problems: list[Problem] = []
    terms: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else 1
        if not isinstance(entry, dict):
            problems.append(Problem(rel, line, "each glossary entry is a mapping"))
            continue
        slug, term, definition = entry.get("slug"), entry.get("term"), entry.get("definition")
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            problems.append(Problem(rel, line, f"glossary entry has no valid slug: {slug!r}"))
            continue
        if slug in seen:
            problems.append(Problem(rel, line, f"duplicate glossary slug '{slug}'"))
        seen.add(slug)
        if not isinstance(term, str) or not isinstance(definition, str) or not definition.strip():
            problems.append(
                Problem(rel, line, f"glossary entry '{slug}' needs a term and a definition")
            )
            continue
        see = entry.get("see") or []
        sources = entry.get("sources") or []
        if not isinstance(see, list) or not isinstance(sources, list):
            problems.append(Problem(rel, line, f"'see' and 'sources' of '{slug}' must be lists"))
            see, sources = [], []
        for symbol in sources:
            if symbol not in SOURCES:
                problems.append(Problem(rel, line, f"unknown source symbol '{symbol}'"))
        terms.append(
            {
                "slug": slug,
                "term": term.strip(),
                "definition": definition.strip(),
                "see": [str(s) for s in see],
                "sources": [str(s) for s in sources],
                "line": line,
            }
        )
    for term in terms:
        for other in term["see"]:
            if other not in seen:
                problems.append(
                    Problem(rel, term["line"], f"'{term['slug']}' refers to unknown term '{other}'")
                )
    return terms, problems


def read_curriculum(root: Path, case_slugs: set[str] | None = None) -> Curriculum:
    """Parse and cross-check every course, module, lesson, quiz and the glossary under root."""
    curriculum = Curriculum()
    if not root.is_dir():
        return curriculum
    glossary, curriculum.problems = _guarded(_read_glossary, root)
    curriculum.glossary = glossary or []
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for position, folder in enumerate(folders, start=1):
        course, problems = _guarded(_read_course, folder, root, position)
        curriculum.problems += problems
        if course:
            curriculum.courses.append(course)
    _cross_check(curriculum, root, case_slugs)
    return curriculum


def _cross_check(curriculum: Curriculum, root: Path, case_slugs: set[str] | None) -> None:
    modules: dict[str, tuple[CourseFile, ModuleFile]] = {}
    glossary = {term["slug"] for term in curriculum.glossary}
    for course in curriculum.courses:
        for module in course.modules:
            if module.slug in modules:
                curriculum.problems.append(
                    Problem(
                        _rel(root / course.slug, root),
                        1,
                        f"module slug '{module.slug}' is used twice",
                    )
                )
            modules[module.slug] = (course, module)
    for course in curriculum.courses:
        for module in course.modules:
            folder = root / course.slug / f"{module.position:02d}-{module.slug}"
            module_rel = (
                _rel(folder / "module.md", root)
                if module.kind == "module"
                else _rel(root / course.slug / "course.md", root)
            )
            for slug in module.prerequisites:
                if slug not in modules or modules[slug][0] is not course:
                    curriculum.problems.append(
                        Problem(module_rel, 1, f"unknown prerequisite module '{slug}'")
                    )
            if case_slugs is not None:
                for slug in module.cases:
                    if slug not in case_slugs:
                        curriculum.problems.append(
                            Problem(module_rel, 1, f"unknown case '{slug}' in cases")
                        )
            for lesson in module.lessons:
                rel = _rel(folder / f"{lesson.position:02d}-{lesson.slug}.md", root)
                for number, line in enumerate(lesson.body.splitlines(), start=lesson.first_line):
                    for anchor in GLOSSARY_LINK_RE.findall(line):
                        if curriculum.glossary and anchor not in glossary:
                            curriculum.problems.append(
                                Problem(rel, number, f"link to unknown glossary term '{anchor}'")
                            )
                    for kind, slug in REFERENCE_RE.findall(line):
                        if kind == "module" and slug not in modules:
                            curriculum.problems.append(
                                Problem(rel, number, f"reference to unknown module '{slug}'")
                            )
                        if kind == "case" and case_slugs is not None and slug not in case_slugs:
                            curriculum.problems.append(
                                Problem(rel, number, f"reference to unknown case '{slug}'")
                            )


# Loading -----------------------------------------------------------------------------------


@dataclass
class LoadReport:
    courses: int = 0
    modules: int = 0
    lessons: int = 0
    questions_new: int = 0
    questions_changed: int = 0
    glossary: int = 0


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


def load_curriculum(curriculum: Curriculum) -> LoadReport:
    """Upsert the checked curriculum; call only when it has no problems."""
    report = LoadReport()
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
            _upsert_lessons(module, module_file, report)
            if module_file.kind == "module":
                _upsert_questions(module, module_file.questions, report)
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
        report.glossary += 1
    db.session.flush()
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


def _upsert_lessons(module: Module, source: ModuleFile, report: LoadReport) -> None:
    existing = {
        lesson.slug: lesson
        for lesson in db.session.scalars(select(Lesson).where(Lesson.module_id == module.id))
    }
    for lesson_file in source.lessons:
        lesson = existing.pop(lesson_file.slug, None)
        if lesson is None:
            lesson = Lesson(module_id=module.id, slug=lesson_file.slug, title=lesson_file.title)
            db.session.add(lesson)
        lesson.position, lesson.title = lesson_file.position, lesson_file.title
        lesson.minutes, lesson.body = lesson_file.minutes, lesson_file.body
        lesson.sources, lesson.active = " ".join(lesson_file.sources), True
        report.lessons += 1
    for lesson in existing.values():
        lesson.active = False
