"""The content a reader sees in their language: the translation when one exists, the English
original otherwise, and the notice that says which (no writes).

`choose(kind, original, url)` returns the object to render (the original, or a `Translated`
view of it whose texts come from the translation) and a `Shown` for the notice and the `lang`
of the elements holding the texts (`presentation.lang_attribute`: set where the texts are not in
the reader's language, the interface's). `?original=1` on a page shows the English original
even when a translation in the reader's language exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import select

from app.core.db import db
from app.core.i18n import DEFAULT, reader_language
from app.learning.models import ContentTranslation, QuestionTranslation

# The original's attribute each translated text replaces, by kind.
FIELDS = {
    "course": {"title": "title", "summary": "summary", "intro": "body", "audience": "audience"},
    "module": {"title": "title", "summary": "summary", "intro": "body"},
    "lesson": {"title": "title", "body": "body"},
    "glossary": {"term": "title", "definition": "body"},
}


@dataclass(frozen=True)
class Shown:
    """What a page shows: `language` (its texts' `lang`), the reader's language, whether a
    translation in it exists (`available`) and is shown, and whether its original changed
    since it was translated."""

    language: str
    reader: str
    available: bool
    stale: bool = False

    @property
    def translated(self) -> bool:
        return self.language != DEFAULT

    @property
    def missing(self) -> bool:
        """The reader reads another language and this page has no translation in it."""
        return self.reader != DEFAULT and not self.available


class Translated:
    """An original with the texts of its translation: templates read it as the original."""

    def __init__(self, original: Any, translation: ContentTranslation, kind: str) -> None:
        self._original = original
        self.shown_language: str = translation.language
        self._texts = {
            name: getattr(translation, column)
            for name, column in FIELDS[kind].items()
            if getattr(translation, column)
        }

    @property
    def original(self) -> Any:
        return self._original

    def __getattr__(self, name: str) -> Any:
        if name in self._texts:
            return self._texts[name]
        return getattr(self._original, name)


def language_of(item: Any) -> str:
    """The language an item from `choose` or `translate_all` is shown in."""
    return item.shown_language if isinstance(item, Translated) else DEFAULT


def wants_original() -> bool:
    return bool(request) and request.args.get("original") == "1"


def translations_of(kind: str, ids: Iterable[int], language: str) -> dict[int, ContentTranslation]:
    """The active translations in `language` of the objects of one kind, by object id."""
    wanted = list(ids)
    if language == DEFAULT or not wanted:
        return {}
    rows = db.session.scalars(
        select(ContentTranslation).where(
            ContentTranslation.kind == kind, ContentTranslation.object_id.in_(wanted),
            ContentTranslation.language == language, ContentTranslation.active,
        )
    )  # fmt: skip
    return {row.object_id: row for row in rows}


def choose(kind: str, original: Any, language: str | None = None) -> tuple[Any, Shown]:
    """The original or its translation in the reader's language, and what is shown."""
    reader = language or reader_language()
    translation = translations_of(kind, [original.id], reader).get(original.id)
    if translation is None:
        return original, Shown(DEFAULT, reader, available=False)
    if wants_original():
        return original, Shown(DEFAULT, reader, available=True, stale=translation.stale)
    shown = Shown(reader, reader, available=True, stale=translation.stale)
    return Translated(original, translation, kind), shown


def translate_all(kind: str, originals: Iterable[Any], language: str) -> list[Any]:
    """Each original in `language` where translated (one query); none with ?original=1."""
    originals = list(originals)
    if wants_original():
        return originals
    found = translations_of(kind, [o.id for o in originals], language)
    return [Translated(o, found[o.id], kind) if o.id in found else o for o in originals]


def question_gifts(version_ids: Iterable[int], language: str) -> dict[int, str]:
    """The GIFT of each question version translated into `language`, by version id."""
    wanted = list(version_ids)
    if language == DEFAULT or not wanted:
        return {}
    rows = db.session.execute(
        select(QuestionTranslation.version_id, QuestionTranslation.gift).where(
            QuestionTranslation.version_id.in_(wanted), QuestionTranslation.language == language
        )
    )
    return {row.version_id: row.gift for row in rows}
