"""The curriculum as files: read and check `courses/` into plain data, no database.

`read_curriculum` parses every course (`app.learning.course_files`) and the glossary, cross-checks
prerequisites, references and glossary links, and reports every problem as `path:line: message`;
`app.learning.services.content` loads the result into the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.core.frontmatter import Problem, relative_path
from app.core.markdown import REFERENCE_RE
from app.core.sources import SOURCES
from app.learning.course_files import (
    LANGUAGES,
    SLUG_RE,
    CourseFile,
    ModuleFile,
    guarded,
    read_course,
    read_text,
)
from app.learning.translations_files import DEFAULT_LANGUAGE, TranslationFile, glossary_hash

MIN_CHECKS = 2  # check blocks expected in each lesson
GLOSSARY_LINK_RE = re.compile(r"\]\(/glossary#([^)\s]*)\)")


@dataclass
class Curriculum:
    courses: list[CourseFile] = field(default_factory=list)
    glossary: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # missing and stale translations


def _glossary_translations(
    entry: dict[str, Any], slug: str, rel: str, line: int, languages: list[str]
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """An entry's `fr:`/`es:` fields: each a mapping with a term, a definition and the
    `original_hash` that `flask content stamp glossary.yaml` records of the English entry."""
    found: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for language in languages:
        if language == DEFAULT_LANGUAGE or language not in entry:
            continue
        value = entry[language]
        term = value.get("term") if isinstance(value, dict) else None
        definition = value.get("definition") if isinstance(value, dict) else None
        if (
            not isinstance(term, str)
            or not term.strip()
            or not isinstance(definition, str)
            or not definition.strip()
        ):
            problems.append(
                Problem(rel, line, f"'{language}' of glossary entry '{slug}' needs a term and a "
                        "definition")
            )  # fmt: skip
            continue
        recorded = value.get("original_hash")
        found[language] = {
            "term": term.strip(),
            "definition": definition.strip(),
            # What the translation was read back against, and the English as it is now.
            "original_hash": "" if recorded is None else str(recorded),
            "current_hash": glossary_hash(str(entry.get("term", "")), str(entry["definition"])),
        }
    return found, problems


def _read_glossary(
    root: Path, languages: list[str] = LANGUAGES
) -> tuple[list[dict[str, Any]], list[Problem]]:
    path = root / "glossary.yaml"
    rel = relative_path(path, root)
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
        translations, found = _glossary_translations(entry, slug, rel, line, languages)
        problems += found
        terms.append(
            {
                "slug": slug,
                "term": term.strip(),
                "definition": definition.strip(),
                "see": [str(s) for s in see],
                "sources": [str(s) for s in sources],
                "translations": translations,
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


def read_curriculum(
    root: Path, case_slugs: set[str] | None = None, languages: list[str] | None = None
) -> Curriculum:
    """Parse and cross-check every course, module, lesson, quiz and the glossary under root."""
    curriculum = Curriculum()
    if not root.is_dir():
        return curriculum
    languages = languages or LANGUAGES
    glossary, curriculum.problems = guarded(_read_glossary, root, languages)
    curriculum.glossary = glossary or []
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for position, folder in enumerate(folders, start=1):
        course, problems = guarded(read_course, folder, root, position, languages)
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
                        relative_path(root / course.slug, root),
                        1,
                        f"module slug '{module.slug}' is used twice",
                    )
                )
            modules[module.slug] = (course, module)
    for course in curriculum.courses:
        for module in course.modules:
            folder = root / course.slug / f"{module.position:02d}-{module.slug}"
            module_rel = (
                relative_path(folder / "module.md", root)
                if module.kind == "module"
                else relative_path(root / course.slug / "course.md", root)
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
            _check_blocks(curriculum, module, folder, root)
            for lesson in module.lessons:
                rel = relative_path(folder / f"{lesson.position:02d}-{lesson.slug}.md", root)
                texts = [(rel, lesson.body, lesson.first_line)] + [
                    (t.rel, t.body, t.first_line) for t in lesson.translations.values()
                ]
                for rel, body, first_line in texts:
                    _check_links(curriculum, rel, body, first_line, glossary, modules, case_slugs)
    _check_translations(curriculum, root)


def _check_links(
    curriculum: Curriculum,
    rel: str,
    body: str,
    first_line: int,
    glossary: set[str],
    modules: dict[str, tuple[CourseFile, ModuleFile]],
    case_slugs: set[str] | None,
) -> None:
    """Glossary links and module and case references of one lesson text."""
    for number, line in enumerate(body.splitlines(), start=first_line):
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


def _check_translations(curriculum: Curriculum, root: Path) -> None:
    """Warn of missing translations (a language the course's `languages:` lists without a file)
    and stale ones (the original changed after the translation's `original_hash`)."""

    def compare(translations: dict[str, TranslationFile], rel: str, languages: list[str]) -> None:
        for language in languages:
            if language != DEFAULT_LANGUAGE and language not in translations:
                curriculum.warnings.append(
                    Problem(rel, 1, f"missing translation: no {language} translation")
                )
        for translation in translations.values():
            if not translation.original_hash:
                curriculum.warnings.append(
                    Problem(translation.rel, 1, "stale translation: no original_hash recorded "
                            f"(read it back against {translation.original_rel}, then run "
                            "'flask content stamp')")
                )  # fmt: skip
            elif translation.stale:
                curriculum.warnings.append(
                    Problem(translation.rel, 1, f"stale translation: {translation.original_rel} "
                            f"changed after it was translated (hash {translation.original_hash}, "
                            f"now {translation.current_hash})")
                )  # fmt: skip

    glossary_rel = relative_path(root / "glossary.yaml", root)
    for term in curriculum.glossary:
        for language, text in term["translations"].items():
            where = f"the {language} of glossary entry '{term['slug']}'"
            if not text["original_hash"]:
                curriculum.warnings.append(
                    Problem(glossary_rel, term["line"], f"stale translation: {where} has no "
                            "original_hash (read it back against the English, then run "
                            "'flask content stamp glossary.yaml')")
                )  # fmt: skip
            elif text["original_hash"] != text["current_hash"]:
                curriculum.warnings.append(
                    Problem(glossary_rel, term["line"], f"stale translation: the English of "
                            f"glossary entry '{term['slug']}' changed after {where} was made "
                            f"(hash {text['original_hash']}, now {text['current_hash']})")
                )  # fmt: skip
    for course in curriculum.courses:
        folder = root / course.slug
        languages = course.languages
        compare(course.translations, relative_path(folder / "course.md", root), languages)
        for module in course.modules:
            if module.kind != "module":
                continue
            module_folder = folder / f"{module.position:02d}-{module.slug}"
            compare(module.translations, relative_path(module_folder / "module.md", root),
                    languages)  # fmt: skip
            compare(module.quiz_translations, relative_path(module_folder / "quiz.gift", root),
                    languages)  # fmt: skip
            for lesson in module.lessons:
                rel = relative_path(module_folder / f"{lesson.position:02d}-{lesson.slug}.md", root)
                compare(lesson.translations, rel, languages)


def _check_blocks(curriculum: Curriculum, module: ModuleFile, folder: Path, root: Path) -> None:
    """A scenario's `back:` names a lesson of its module: the file name without `.md`, or the
    slug alone."""
    names = {f"{lesson.position:02d}-{lesson.slug}" for lesson in module.lessons}
    slugs = {lesson.slug for lesson in module.lessons}
    for lesson in module.lessons:
        rel = relative_path(folder / f"{lesson.position:02d}-{lesson.slug}.md", root)
        for block in lesson.blocks:
            if block.kind == "scenario" and block.back not in names | slugs:
                curriculum.problems.append(
                    Problem(rel, block.back_line or block.line,
                            f"scenario '{block.id}' points back to '{block.back}', which is not "
                            f"a lesson of this module ({', '.join(sorted(names))})")
                )  # fmt: skip


def block_coverage(
    curriculum: Curriculum, root: Path, courses: set[str]
) -> tuple[list[Problem], int, int]:
    """Lessons with fewer than MIN_CHECKS check blocks and modules without a scenario, in the
    `courses` given (all when empty); with the numbers of lessons and modules looked at."""
    shortfalls: list[Problem] = []
    lessons = modules = 0
    for course in curriculum.courses:
        if courses and course.slug not in courses:
            continue
        for module in course.modules:
            if module.kind != "module":
                continue
            modules += 1
            folder = root / course.slug / f"{module.position:02d}-{module.slug}"
            scenarios = 0
            for lesson in module.lessons:
                lessons += 1
                rel = relative_path(folder / f"{lesson.position:02d}-{lesson.slug}.md", root)
                checks = sum(1 for block in lesson.blocks if block.kind == "check")
                scenarios += sum(1 for block in lesson.blocks if block.kind == "scenario")
                if checks < MIN_CHECKS:
                    shortfalls.append(
                        Problem(rel, lesson.first_line, f"the lesson has {checks} check blocks "
                                f"(at least {MIN_CHECKS} expected)")
                    )  # fmt: skip
            if scenarios == 0:
                shortfalls.append(
                    Problem(relative_path(folder / "module.md", root), 1,
                            "no lesson of the module has a scenario block")
                )  # fmt: skip
    return shortfalls, lessons, modules
