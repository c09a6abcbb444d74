"""One course folder as files: `course.md`, its module folders, their lessons and `quiz.gift`,
read and checked into plain data (no database); `app.learning.files` reads the whole tree."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from app.core.frontmatter import Checker, Problem, parse, relative_path
from app.core.sources import SOURCES
from app.learning.blocks import Block, parse_blocks
from app.learning.gift import GiftProblem, Question, check_gift, parse_gift
from app.learning.translations_files import (
    TranslationFile,
    check_lesson_blocks,
    read_markdown_translation,
    read_quiz_translation,
    split_name,
    stray_translations,
    translation_paths,
)

P = ParamSpec("P")
T = TypeVar("T")
NAME_RE = re.compile(r"^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LEVELS = {"introductory", "intermediate", "advanced"}
GRADING = {"highest", "last"}
REVIEW = {"none", "score", "answers", "feedback"}
# A multiple-answer question says so, or learners read it as single-answer and lose marks.
MULTIPLE_ANSWER_CUE = "(select all that apply)"
LANGUAGES = ["en", "fr", "es"]  # the default of the SUPPORTED_LANGUAGES setting


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
    blocks: list[Block] = field(default_factory=list)  # check and scenario blocks, lines in file
    translations: dict[str, TranslationFile] = field(default_factory=dict)  # by language


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
    translations: dict[str, TranslationFile] = field(default_factory=dict)  # module.<lang>.md
    quiz_translations: dict[str, TranslationFile] = field(default_factory=dict)  # quiz.<lang>.gift


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
    translations: dict[str, TranslationFile] = field(default_factory=dict)  # course.<lang>.md


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


def guarded(
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
    rel = relative_path(path, root)
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
    parsed = parse_blocks(lesson.body)
    offset = lesson.first_line - 1
    for block in parsed.blocks:
        block.line += offset
        block.back_line += offset if block.back_line else 0
    lesson.blocks = parsed.blocks
    problems += [Problem(rel, p.line + offset, p.message) for p in parsed.problems]
    return lesson, problems + check.problems


def _read_module(
    folder: Path, root: Path, position: int, slug: str, default_pass: int,
    languages: list[str] = LANGUAGES,
) -> tuple[ModuleFile | None, list[Problem]]:  # fmt: skip
    path = folder / "module.md"
    rel = relative_path(path, root)
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
    problems += _read_translations(module.translations, path, root, languages, "module")
    problems += stray_translations(folder, languages, root)
    lesson_paths = sorted(
        p for p in folder.glob("*.md") if p.name != "module.md" and split_name(p.name) is None
    )
    for lesson_path in lesson_paths:
        match = NAME_RE.match(lesson_path.stem)
        if not match:
            problems.append(
                Problem(
                    relative_path(lesson_path, root), 1, "lesson file names look like NN-slug.md"
                )
            )
            continue
        lesson, lesson_problems = guarded(
            _read_lesson, lesson_path, root, int(match.group(1)), match.group(2)
        )
        problems += lesson_problems
        if lesson:
            module.lessons.append(lesson)
            problems += _read_translations(
                lesson.translations, lesson_path, root, languages, "lesson", lesson
            )
    if not module.lessons:
        problems.append(Problem(rel, 1, "the module has no lessons"))
    quiz_path = folder / "quiz.gift"
    quiz_rel = relative_path(quiz_path, root)
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
            problems += _missing_cues(module.questions, quiz_rel)
            for language, translated in translation_paths(quiz_path, languages).items():
                quiz, quiz_problems = read_quiz_translation(
                    translated, quiz_path, language, root, module.questions
                )
                problems += quiz_problems
                if quiz:
                    module.quiz_translations[language] = quiz
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


def _read_translations(
    into: dict[str, TranslationFile],
    original: Path,
    root: Path,
    languages: list[str],
    kind: str,
    lesson: LessonFile | None = None,
) -> list[Problem]:
    """Read the translations of one Markdown original into `into`, by language; a lesson's keep
    its blocks."""
    problems: list[Problem] = []
    for language, path in translation_paths(original, languages).items():
        translation, found = read_markdown_translation(path, original, language, root, kind=kind)
        problems += found
        if translation is None:
            continue
        if lesson is not None:
            block_problems = check_lesson_blocks(translation, lesson.blocks)
            problems += block_problems
            if block_problems:
                continue
        into[language] = translation
    return problems


def _missing_cues(questions: list[Question], rel: str) -> list[Problem]:
    """A multiple-answer question without the "(select all that apply)" cue."""
    return [
        Problem(
            rel,
            question.line,
            f"question '{question.name}' has several right answers: its text must say "
            f"'{MULTIPLE_ANSWER_CUE}'",
        )
        for question in questions
        if question.type == "multiresponse"
        and MULTIPLE_ANSWER_CUE.strip("()") not in question.text.lower()
    ]


def _repeated_questions(course: CourseFile, folder: Path, root: Path) -> list[Problem]:
    """A question whose text another question of the course already has (the final assessment
    draws from every module, so a learner could meet it twice)."""
    problems: list[Problem] = []
    seen: dict[str, tuple[str, str, int]] = {}  # text -> (name, file, line)
    for module in course.modules:
        rel = relative_path(folder / f"{module.position:02d}-{module.slug}" / "quiz.gift", root)
        for question in module.questions:
            if question.type == "description":
                continue
            text = " ".join(question.text.lower().split())
            if text in seen:
                name, where, line = seen[text]
                problems.append(
                    Problem(
                        rel,
                        question.line,
                        f"question '{question.name}' repeats the text of '{name}' "
                        f"({where}:{line}); a question is asked once per course",
                    )
                )
            else:
                seen[text] = (question.name, rel, question.line)
    return problems


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


def read_course(
    folder: Path, root: Path, position: int, languages: list[str] = LANGUAGES
) -> tuple[CourseFile | None, list[Problem]]:
    path = folder / "course.md"
    rel = relative_path(path, root)
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
            problems.append(
                Problem(relative_path(sub, root), 1, "module folder names look like NN-slug")
            )
            continue
        module, module_problems = guarded(
            _read_module, sub, root, int(match.group(1)), match.group(2), course.pass_mark,
            languages,
        )  # fmt: skip
        problems += module_problems
        if module:
            course.modules.append(module)
    problems += _repeated_questions(course, folder, root)
    problems += _read_translations(course.translations, path, root, languages, "course")
    problems += stray_translations(folder, languages, root)
    final = _final_module(course, check, doc.meta.get("final_assessment"))
    if final:
        for language, translation in course.translations.items():
            if translation.final_title:
                final.translations[language] = TranslationFile(
                    language, translation.rel, translation.original_rel,
                    title=translation.final_title, original_hash=translation.original_hash,
                    current_hash=translation.current_hash,
                )  # fmt: skip
        course.modules.append(final)
    return course, problems + check.problems
