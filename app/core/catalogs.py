"""The interface's gettext catalogues: where they live, how they are extracted, compiled, checked.

Each feature carries its own catalogue beside its code (`app/<feature>/translations/`), holding
the strings of its Python files and of its templates (`app/templates/<feature>/`); the shared
layout, error pages and core helpers have `app/translations/`. Flask-Babel merges them all
(`BABEL_TRANSLATION_DIRECTORIES`), so a feature's strings and translations move with it and two
people translating two features never edit the same file.

`.po` files are kept in the repository; `.mo` files are built from them (`make`, or
`flask i18n compile` on a deployment) and never committed. `flask i18n check` fails when a
catalogue misses a string the code uses, a translation is missing or fuzzy, or a template or form
holds text that cannot be translated (`untranslatable`).
"""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from jinja2 import Environment

APP = Path(__file__).resolve().parents[1]
TEMPLATES = APP / "templates"
LANGUAGES = ("fr", "es")
DOMAIN = "messages"
PROJECT = "Firearms trafficking training platform"
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
}


@dataclass(frozen=True)
class Source:
    """One catalogue: its folder and the Python and template folders its strings come from."""

    name: str
    folder: Path
    python: tuple[Path, ...]
    templates: tuple[Path, ...]

    def python_files(self) -> Iterator[Path]:
        for place in self.python:
            yield from sorted(place.rglob("*.py")) if place.is_dir() else [place]

    def template_files(self) -> Iterator[Path]:
        for place in self.templates:
            yield from sorted(place.rglob("*.html")) if place.is_dir() else [place]

    def po_path(self, language: str) -> Path:
        return self.folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"


FEATURES = ("accounts", "learning", "digest", "forum", "moderation", "search")


def sources() -> list[Source]:
    """Every catalogue, the shared one first (Flask-Babel merges them in this order)."""
    shared = Source(
        name="core",
        folder=APP / "translations",
        python=(*sorted(APP.glob("*.py")), APP / "core", APP / "jobs"),
        templates=(*sorted(TEMPLATES.glob("*.html")), TEMPLATES / "core", TEMPLATES / "errors"),
    )
    features = [
        Source(
            name=name,
            folder=APP / name / "translations",
            python=(APP / name,),
            templates=(TEMPLATES / name,),
        )
        for name in FEATURES
    ]
    return [shared, *features]


def translation_directories() -> str:
    """`BABEL_TRANSLATION_DIRECTORIES`: every catalogue's folder, `;`-separated."""
    return ";".join(str(source.folder) for source in sources())


# ---------------------------------------------------------------------------------------------
# Extraction and compilation


def extract(source: Source) -> Catalog:
    """The strings `source`'s Python files and templates mark for translation."""
    catalog = Catalog(project=PROJECT, domain=DOMAIN, charset="utf-8")
    files = [("python", path, None) for path in source.python_files()] + [
        ("jinja2", path, JINJA_OPTIONS) for path in source.template_files()
    ]
    for method, path, options in files:
        relative = path.relative_to(APP.parent).as_posix()
        for lineno, message, comments, context in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options, strip_comment_tags=True
        ):
            catalog.add(
                message,
                None,
                [(relative, lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, include_lineno=False)
    path.write_bytes(buffer.getvalue())


def update(source: Source) -> list[str]:
    """Bring each language's `.po` up to date with the strings `source` marks: new strings added
    untranslated, strings no longer used dropped. No `.pot` is kept (it would only be a copy of
    what extraction gives), and no line numbers, so moving a string does not touch the file."""
    template = extract(source)
    written = []
    for language in LANGUAGES:
        path = source.po_path(language)
        if path.exists():
            catalog = read_catalog(path, language)
            template.creation_date = catalog.creation_date
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project=PROJECT, charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        write_catalog(catalog, path)
        written.append(str(path.relative_to(APP.parent)))
    return written


def compile_catalogs(force: bool = False) -> list[Path]:
    """Build each `.mo` older than its `.po` (all of them with `force`). Fuzzy entries are left
    out: a translation nobody confirmed is not shown."""
    built = []
    for source in sources():
        for language in LANGUAGES:
            po = source.po_path(language)
            if not po.exists():
                continue
            mo = po.with_suffix(".mo")
            if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            buffer = io.BytesIO()
            write_mo(buffer, read_catalog(po, language), use_fuzzy=False)
            mo.write_bytes(buffer.getvalue())
            built.append(mo)
    return built


# ---------------------------------------------------------------------------------------------
# Checks


@dataclass(frozen=True)
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _shown(path: Path) -> str:
    """`path` as the report shows it: from the project's folder when it is inside."""
    return str(path.relative_to(APP.parent)) if path.is_relative_to(APP.parent) else str(path)


def catalogue_problems(source: Source) -> list[Problem]:
    """Strings the code marks that a language's `.po` lacks, leaves empty or marks fuzzy."""
    problems = []
    template = extract(source)
    for language in LANGUAGES:
        path = source.po_path(language)
        where = str(path.relative_to(APP.parent))
        if not path.exists():
            if len(template):
                problems.append(Problem(where, f"missing ({len(template)} strings to translate)"))
            continue
        catalog = read_catalog(path, language)
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id, message.context)
            label = message.id if isinstance(message.id, str) else message.id[0]
            if found is None:
                problems.append(Problem(where, f"not in the catalogue: {label!r}"))
            elif found.fuzzy:
                problems.append(Problem(where, f"fuzzy: {label!r}"))
            elif not _translated(found.string):
                problems.append(Problem(where, f"not translated: {label!r}"))
    return problems


def _translated(string: object) -> bool:
    if isinstance(string, (tuple, list)):
        return all(bool(part) for part in string)
    return bool(string)


# Text a reader sees: letters, two or more in a row (a lone "x" or "·" is not a sentence).
WORDS = re.compile(r"[^\W\d_]{2,}")
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
# Elements whose text is code, data or a name in its own language, never translated.
VERBATIM = {"script", "style", "code", "kbd", "samp", "pre"}
# Marks a line whose text is deliberately left as it is (a product name, a language's own name).
IGNORE = "{# i18n: ignore #}"
# Stands where a Jinja expression or statement was, so that tags split by one still parse (the
# space keeps `<td{{ attributes }}>` a tag).
HOLE = " \x00"


def template_problems(path: Path, environment: Environment | None = None) -> list[Problem]:
    """Text in a template outside `_()`, `gettext()` and `{% trans %}`: the reader would see it in
    English whatever their language."""
    environment = environment or Environment(extensions=["jinja2.ext.i18n"])
    source = path.read_text(encoding="utf-8")
    ignored = {number for number, line in enumerate(source.splitlines(), 1) if IGNORE in line}
    finder = _TextFinder()
    finder.feed(_without_jinja(environment, source))
    finder.close()
    where = _shown(path)
    return [
        Problem(f"{where}:{line}", f"untranslatable text {text!r}")
        for line, text in finder.found
        if line not in ignored
    ]


def _without_jinja(environment: Environment, source: str) -> str:
    """`source` with every Jinja construct replaced by a hole (newlines kept, so line numbers hold)
    and the inside of `{% trans %}` blocks dropped."""
    parts: list[str] = []
    in_trans = False
    tokens = list(environment.lex(source))
    for index, (_line, kind, value) in enumerate(tokens):
        if kind == "block_begin":
            following = next((t[2] for t in tokens[index + 1 :] if t[1] != "whitespace"), "")
            if following == "trans":
                in_trans = True
            elif following == "endtrans":
                in_trans = False
        if kind == "data" and not in_trans:
            parts.append(value)
        else:
            parts.append(HOLE + "\n" * value.count("\n"))
    return "".join(parts)


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.verbatim = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VERBATIM:
            self.verbatim += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in VERBATIM and self.verbatim:
            self.verbatim -= 1

    def handle_data(self, data: str) -> None:
        if not self.verbatim:
            self._check(data)

    def _check(self, text: str) -> None:
        visible = text.replace(HOLE, " ")
        if WORDS.search(visible):
            self.found.append((self.getpos()[0], " ".join(visible.split())[:60]))


# Python calls whose string arguments a reader sees.
SHOWN_CALLS = {"flash"}
SHOWN_KEYWORDS = {"label", "message", "description"}


def python_problems(path: Path) -> list[Problem]:
    """Literal strings given to `flash()`, as a form field's label or as a validator's message."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = _shown(path)
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        shown: list[ast.expr] = []
        if name in SHOWN_CALLS and node.args:
            shown.append(node.args[0])
        if name.endswith("Field") and node.args:
            shown.append(node.args[0])
        shown += [word.value for word in node.keywords if word.arg in SHOWN_KEYWORDS]
        for argument in shown:
            if _literal_text(argument):
                problems.append(Problem(f"{where}:{argument.lineno}", f"{name}() text not marked"))
    return problems


def _called(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _literal_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORDS.search(node.value))
    return isinstance(node, ast.JoinedStr)


def disagreements() -> list[Problem]:
    """A msgid translated differently by two catalogues: Flask-Babel merges them into one, so
    a page would show whichever was merged last, not the one its feature wrote."""
    found = []
    for language in LANGUAGES:
        seen: dict[object, tuple[str, object]] = {}
        for source in sources():
            path = source.po_path(language)
            if not path.exists():
                continue
            for message in read_catalog(path, language):
                if not message.id or not _translated(message.string):
                    continue
                key = (message.id, message.context)
                earlier = seen.setdefault(key, (source.name, message.string))
                if earlier[1] != message.string:
                    label = message.id if isinstance(message.id, str) else message.id[0]
                    found.append(Problem(_shown(path), f"{label!r} is translated otherwise in "
                                         f"the {earlier[0]} catalogue"))  # fmt: skip
    return found


def problems(names: set[str] | None = None) -> list[Problem]:
    """Everything `flask i18n check` reports, for every catalogue or those named."""
    found: list[Problem] = [] if names else disagreements()
    environment = Environment(extensions=["jinja2.ext.i18n"])
    for source in sources():
        if names and source.name not in names:
            continue
        found += catalogue_problems(source)
        for path in source.template_files():
            found += template_problems(path, environment)
        for path in source.python_files():
            found += python_problems(path)
    return found
