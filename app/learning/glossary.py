"""The glossary shown at /glossary, loaded from courses/glossary.yaml."""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import func, select

from app.core.db import db
from app.core.i18n import reader_language
from app.learning import translations
from app.learning.models import ContentTranslation, GlossaryTerm


def all_terms() -> list[GlossaryTerm]:
    return list(db.session.scalars(select(GlossaryTerm).order_by(func.lower(GlossaryTerm.term))))


def sort_key(text: str) -> str:
    """Alphabetical order that files 'Échange' under E."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms_for_reader() -> tuple[list[Any], translations.Shown]:
    """Every term in the reader's language where its entry has a translation in it (in that
    language's alphabetical order), and what the page shows."""
    terms = all_terms()
    reader = reader_language()
    found = translations.translations_of("glossary", [t.id for t in terms], reader)
    if not found or translations.wants_original():
        return terms, translations.Shown("en", reader, available=bool(found))
    shown: list[Any] = [
        translations.Translated(t, found[t.id], "glossary") if t.id in found else t for t in terms
    ]
    shown.sort(key=lambda t: sort_key(t.term))
    return shown, translations.Shown(reader, reader, available=True)


def search_equivalents() -> list[tuple[str, list[str]]]:
    """Each term's English name with its names in other languages (`hooks.search_equivalents`):
    a French or Spanish query for `armes à feu` or `marcaje` then finds the English cases that
    say firearm or marking. Translations no longer in the glossary file are left out."""
    rows = db.session.execute(
        select(GlossaryTerm.term, ContentTranslation.title)
        .join(ContentTranslation, ContentTranslation.object_id == GlossaryTerm.id)
        .where(ContentTranslation.kind == "glossary", ContentTranslation.active)
        .order_by(GlossaryTerm.id, ContentTranslation.language)
    )
    found: dict[str, list[str]] = {}
    for english, other in rows:
        found.setdefault(english, []).append(other)
    return list(found.items())
