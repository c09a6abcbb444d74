"""Translations of the course files, read and checked beside their originals (no database).

A translation sits in the original's folder with the language before the extension:
`NN-slug.fr.md`, `module.fr.md`, `course.fr.md` and `quiz.fr.gift`. Its front matter starts
with `translation_of: <original file name>`, `language: <code>` and `original_hash: <hash>`
(a GIFT quiz says the same on its first line:
`// translation_of: quiz.gift, language: fr, original_hash: <hash>`).

`original_hash` is `content_hash()` of the original file when the translation was read back
against it (`flask content stamp` writes it). The check recomputes the original's hash: when the
two differ the original changed after the translation, and the translation is reported stale.
A lesson translation keeps the original's blocks (same ids, same order, same number of options,
`[x]` on the same option), so a learner's answer to a block means the same in every language; a
quiz translation keeps the original's question names, order and types, so attempts and reports
match the English questions.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.core.frontmatter import Checker, Problem, parse, relative_path
from app.learning.blocks import Block, parse_blocks
from app.learning.gift import Question, check_gift, parse_gift
from app.learning.gift.types import Choice, MatchPair, NumericalAnswer, TrueFalse

DEFAULT_LANGUAGE = "en"
# A multiple-answer question says so in the language it is written in.
MULTIPLE_ANSWER_CUES = {
    "en": "select all that apply",
    "fr": "plusieurs réponses possibles",
    "es": "seleccione todas las que correspondan",
}
# `01-slug.fr.md`, `module.es.md`, `quiz.fr.gift`: the original's stem, the language, the suffix.
TRANSLATION_RE = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.(?P<ext>md|gift)$")
GIFT_HEADER_RE = re.compile(
    r"^//\s*translation_of:\s*(?P<of>[^,\s]+)\s*,\s*language:\s*(?P<lang>[a-z]{2})"
    r"(?:\s*,\s*original_hash:\s*(?P<hash>[0-9a-f]+))?\s*$"
)
HASH_LENGTH = 16


def content_hash(text: str) -> str:
    """The hash a translation records of its original: the file's text with line endings and
    trailing spaces normalised, so an editor's whitespace does not make translations stale."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    normalised = "\n".join(lines).strip("\n")
    return hashlib.sha256(normalised.encode()).hexdigest()[:HASH_LENGTH]


def glossary_hash(term: str, definition: str) -> str:
    """The hash a glossary entry's `fr:`/`es:` translation records of its English term and
    definition (as YAML reads them, so re-wrapping the definition changes nothing)."""
    return content_hash(f"{term.strip()}\n{' '.join(definition.split())}")


def split_name(name: str) -> tuple[str, str] | None:
    """(original file name, language) of a translation's file name, None for an original."""
    match = TRANSLATION_RE.match(name)
    if not match:
        return None
    return f"{match['stem']}.{match['ext']}", match["lang"]


@dataclass
class TranslationFile:
    """One translation: its texts (empty when the original has none) and the hashes that tell
    whether it is stale."""

    language: str
    rel: str
    original_rel: str
    title: str = ""
    summary: str = ""
    body: str = ""
    audience: str = ""
    final_title: str = ""  # course translations: the final assessment's title
    first_line: int = 1  # file line of the body's first line
    original_hash: str = ""  # recorded in the translation
    current_hash: str = ""  # of the original as it is now
    questions: list[Question] = field(default_factory=list)  # quiz translations

    @property
    def stale(self) -> bool:
        return self.original_hash != self.current_hash


def translation_paths(original: Path, languages: list[str]) -> dict[str, Path]:
    """The translations of one original that exist, by language."""
    found: dict[str, Path] = {}
    for language in languages:
        if language == DEFAULT_LANGUAGE:
            continue
        path = original.with_name(f"{original.stem}.{language}{original.suffix}")
        if path.exists():
            found[language] = path
    return found


def stray_translations(folder: Path, languages: list[str], root: Path) -> list[Problem]:
    """Translation files of a language not supported, or beside no original."""
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        split = split_name(path.name)
        if split is None:
            continue
        original, language = split
        rel = relative_path(path, root)
        if language not in languages or language == DEFAULT_LANGUAGE:
            problems.append(
                Problem(rel, 1, f"'{language}' is not a supported translation language "
                        f"({', '.join(x for x in languages if x != DEFAULT_LANGUAGE)})")
            )  # fmt: skip
        elif not (folder / original).exists():
            problems.append(Problem(rel, 1, f"translation of '{original}', which does not exist"))
    return problems


def _header(check: Checker, original: Path, language: str) -> str:
    """Check translation_of and language; return original_hash ('' when missing)."""
    meta = check.doc.meta
    if meta.get("translation_of") != original.name:
        check.add("translation_of", f"'translation_of' must be '{original.name}'")
    if meta.get("language") != language:
        check.add("language", f"'language' must be '{language}', as in the file name")
    value = meta.get("original_hash", "")
    return str(value) if value is not None else ""


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def read_markdown_translation(
    path: Path, original: Path, language: str, root: Path, *, kind: str
) -> tuple[TranslationFile | None, list[Problem]]:
    """A translated lesson, module intro or course page (`kind`: lesson, module or course)."""
    rel = relative_path(path, root)
    try:
        text = _read(path)
    except UnicodeDecodeError:
        return None, [Problem(rel, 1, "the file is not UTF-8 text")]
    doc, problems = parse(text, rel)
    if doc is None:
        return None, problems
    check = Checker(rel, doc)
    translation = TranslationFile(
        language=language,
        rel=rel,
        original_rel=relative_path(original, root),
        original_hash=_header(check, original, language),
        current_hash=content_hash(_read(original)),
        title=check.text("title", max_length=200),
        summary=check.text("summary", required=kind != "lesson", max_length=1000),
        audience=check.text("audience", required=False) if kind == "course" else "",
        body=doc.body.strip(),
    )
    leading = len(doc.body) - len(doc.body.lstrip("\n"))
    translation.first_line = doc.body_line + doc.body[:leading].count("\n")
    final = doc.meta.get("final_assessment")
    if kind == "course" and isinstance(final, dict) and isinstance(final.get("title"), str):
        translation.final_title = final["title"].strip()
    return translation, problems + check.problems


def check_lesson_blocks(translation: TranslationFile, original: list[Block]) -> list[Problem]:
    """The translation's blocks are the original's: same ids in the same order, same kinds,
    same number of options and the right option in the same place."""
    parsed = parse_blocks(translation.body)
    first_line = translation.first_line
    problems = [
        Problem(translation.rel, first_line + p.line - 1, p.message) for p in parsed.problems
    ]
    theirs = [(b.kind, b.id) for b in parsed.blocks]
    ours = [(b.kind, b.id) for b in original]
    if theirs != ours:
        names = ", ".join(f"{kind} {id_}" for kind, id_ in ours) or "none"
        problems.append(
            Problem(translation.rel, first_line,
                    f"the blocks differ from the original's ({names}, in that order)")
        )  # fmt: skip
        return problems
    for block, source in zip(parsed.blocks, original, strict=True):
        line = first_line + block.line - 1
        if len(block.options) != len(source.options):
            problems.append(
                Problem(translation.rel, line, f"block '{block.id}' has {len(block.options)} "
                        f"options; the original has {len(source.options)}")
            )  # fmt: skip
        elif block.right != source.right:
            problems.append(
                Problem(translation.rel, line,
                        f"block '{block.id}' marks another option [x] than the original")
            )  # fmt: skip
        elif block.kind == "scenario" and block.back != source.back:
            problems.append(
                Problem(translation.rel, line,
                        f"scenario '{block.id}' must point back to '{source.back}' as the original")
            )  # fmt: skip
    return problems


def missing_cues(questions: list[Question], rel: str, language: str) -> list[Problem]:
    """A multiple-answer question without its language's cue ("(select all that apply)")."""
    cue = MULTIPLE_ANSWER_CUES.get(language, MULTIPLE_ANSWER_CUES[DEFAULT_LANGUAGE])
    return [
        Problem(rel, question.line,
                f"question '{question.name}' has several right answers: its text must say "
                f"'({cue})'")
        for question in questions
        if question.type == "multiresponse" and cue not in question.text.lower()
    ]  # fmt: skip


def read_quiz_translation(
    path: Path, original: Path, language: str, root: Path, questions: list[Question]
) -> tuple[TranslationFile | None, list[Problem]]:
    """A translated quiz: parses, names the original's questions in the same order with the same
    types, and says its language's multiple-answer cue."""
    rel = relative_path(path, root)
    try:
        text = _read(path)
    except UnicodeDecodeError:
        return None, [Problem(rel, 1, "the file is not UTF-8 text")]
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    header = GIFT_HEADER_RE.match(first)
    if not header or header["of"] != original.name or header["lang"] != language:
        return None, [
            Problem(rel, 1, f"the first line must be '// translation_of: {original.name}, "
                    f"language: {language}, original_hash: <hash>'")
        ]  # fmt: skip
    translation = TranslationFile(
        language=language,
        rel=rel,
        original_rel=relative_path(original, root),
        original_hash=header["hash"] or "",
        current_hash=content_hash(_read(original)),
    )
    problems = [Problem(rel, p.line, p.message) for p in check_gift(text, rel)]
    if problems:
        return None, problems
    translation.questions = parse_gift(text, rel)
    theirs = [(q.name, q.type) for q in translation.questions]
    ours = [(q.name, q.type) for q in questions]
    if theirs != ours:
        for index, (mine, source) in enumerate(zip(theirs, ours, strict=False)):
            if mine != source:
                line = translation.questions[index].line
                problems.append(
                    Problem(rel, line, f"question {index + 1} is '{mine[0]}' ({mine[1]}); the "
                            f"original's is '{source[0]}' ({source[1]}): same names, order and "
                            "types as the original")
                )  # fmt: skip
                break
        else:
            problems.append(
                Problem(rel, 1, f"the quiz has {len(theirs)} questions; the original has "
                        f"{len(ours)}")
            )  # fmt: skip
        return None, problems
    for ours_q, source_q in zip(translation.questions, questions, strict=True):
        if marks(ours_q) != marks(source_q):
            problems.append(
                Problem(rel, ours_q.line, f"question '{ours_q.name}' must keep the original's "
                        "answers: their number, order and marks")
            )  # fmt: skip
    if problems:
        return None, problems
    return translation, missing_cues(translation.questions, rel, language)


def marks(question: Question) -> list[tuple[object, ...]]:
    """What a translation must keep of a question's answers: their number, order and marks
    (numbers and true/false as they are); only texts and feedback are translated."""
    out: list[tuple[object, ...]] = []
    for answer in question.answers:
        if isinstance(answer, Choice):
            out.append(("choice", answer.fraction))
        elif isinstance(answer, MatchPair):
            out.append(("pair", answer.is_distractor))
        elif isinstance(answer, NumericalAnswer):
            out.append(("number", answer.value, answer.tolerance, answer.min, answer.max,
                        answer.fraction))  # fmt: skip
        elif isinstance(answer, TrueFalse):
            out.append(("truefalse", answer.correct))
    return out


def _scalar(fields: dict[str, yaml.Node], name: str) -> str | None:
    node = fields.get(name)
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def stamp_glossary(path: Path, languages: list[str]) -> list[str]:
    """Write into each `fr:`/`es:` translation of the glossary the hash of its entry's English
    term and definition as they are now; return the `slug (language)` of those that changed.

    The file is edited line by line (an `original_hash:` line first in the translation's
    mapping), so its layout, comments and folded definitions stay as written.
    """
    text = _read(path)
    root = yaml.compose(text)
    if not isinstance(root, yaml.SequenceNode):
        raise ValueError("the glossary must be a list of terms")
    lines = text.split("\n")
    edits: list[tuple[int, bool, str]] = []  # (line index, replaces that line, new line)
    stamped: list[str] = []
    for entry in root.value:
        if not isinstance(entry, yaml.MappingNode):
            continue
        fields = {key.value: value for key, value in entry.value}
        slug, term, definition = (_scalar(fields, name) for name in ("slug", "term", "definition"))
        if slug is None or term is None or definition is None:
            continue
        value = glossary_hash(term, definition)
        for language in languages:
            node = fields.get(language)
            if language == DEFAULT_LANGUAGE or not isinstance(node, yaml.MappingNode):
                continue
            if node.flow_style or not node.value:
                raise ValueError(f"write the '{language}' of '{slug}' as a block mapping")
            keys = {key.value: (key, val) for key, val in node.value}
            first = node.value[0][0]
            line = " " * first.start_mark.column + f"original_hash: {value}"
            if "original_hash" in keys:
                key, recorded = keys["original_hash"]
                if str(recorded.value) == value:
                    continue
                edits.append((key.start_mark.line, True, line))
            else:
                edits.append((first.start_mark.line, False, line))
            stamped.append(f"{slug} ({language})")
    for index, replaces, line in sorted(edits, reverse=True):
        lines[index : index + 1 if replaces else index] = [line]
    if edits:
        path.write_text("\n".join(lines), encoding="utf-8")
    return stamped


def stamp(path: Path, original: Path) -> bool:
    """Write the original's current hash into a translation (after it was read back against
    the original); return whether the file changed."""
    text = _read(path)
    value = content_hash(_read(original))
    lines = text.split("\n")
    if path.suffix == ".gift":
        match = GIFT_HEADER_RE.match(lines[0].strip())
        if not match:
            raise ValueError("the first line is not a translation_of comment")
        lines[0] = (
            f"// translation_of: {match['of']}, language: {match['lang']}, original_hash: {value}"
        )
    else:
        if not lines or lines[0].strip() != "---":
            raise ValueError("no front matter")
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise ValueError("the front matter is not closed")
        at = next((i for i in range(1, end) if lines[i].startswith("original_hash:")), None)
        if at is not None:
            lines[at] = f"original_hash: {value}"
        else:
            after = next((i for i in range(1, end) if lines[i].startswith("language:")), 0)
            lines.insert(after + 1, f"original_hash: {value}")
    new = "\n".join(lines)
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True
