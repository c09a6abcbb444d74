"""How questions are shown: the right answer in words, and template helpers for quiz pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.lists import format_list
from babel.numbers import format_decimal
from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup, escape

from app.core.i18n import reader_language
from app.core.time import reader_locale, utcnow
from app.core.urls import external_url
from app.learning.gift import Question
from app.learning.glossary import sort_key
from app.learning.grading import feedback_for, matching_choices, matching_stems
from app.learning.marking import mark
from app.learning.services.progress import ProgressStatus
from app.learning.translations import language_of


def _number(value: float) -> str:
    return f"{value:g}"


def right_answer(question: Question) -> str:
    """The full-credit answer(s) of a question, in words."""
    qtype = question.type
    if qtype in ("multichoice", "multiresponse", "shortanswer"):
        best = [c.text for c in question.choices if c.fraction > 0]
        if qtype == "multichoice":
            top = max((c.fraction for c in question.choices), default=0)
            best = [c.text for c in question.choices if c.fraction == top]
        return "; ".join(best) or str(_("(none)"))
    if qtype == "truefalse":
        return str(_("True") if question.truefalse.correct else _("False"))
    if qtype == "numerical":
        parts = []
        for answer in question.numerical_answers:
            if answer.fraction < 1 or (answer.value is None and answer.min is None):
                continue
            if answer.min is not None and answer.max is not None:
                parts.append(
                    _("from %(low)s to %(high)s", low=_number(answer.min), high=_number(answer.max))
                )
            elif answer.value is not None and answer.tolerance:
                parts.append(f"{_number(answer.value)} ± {_number(answer.tolerance)}")
            elif answer.value is not None:
                parts.append(_number(answer.value))
        return str(_(" or ")).join(parts) or str(_("(none)"))
    if qtype == "matching":
        return "; ".join(f"{pair.question} → {pair.answer}" for pair in matching_stems(question))
    return ""


LEVEL_NAMES = {
    "introductory": _l("Introductory"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}


def level_name(level: str) -> str:
    """A course's level (one of `course_files.LEVELS`) in the reader's language."""
    name = LEVEL_NAMES.get(level)
    return str(name) if name is not None else level.capitalize()


def time_left(deadline: datetime) -> str:
    """The time left before a deadline as the page is drawn, in whole minutes rounded down
    ("less than a minute" at the end): what the page says without JavaScript."""
    seconds = (deadline - utcnow()).total_seconds()
    if seconds < 60:
        return str(_("less than a minute"))
    minutes = int(seconds // 60)
    return str(ngettext("%(num)d minute", "%(num)d minutes", minutes))


def seconds_left(deadline: datetime) -> int:
    return max(0, int((deadline - utcnow()).total_seconds()))


def iso_utc(value: datetime) -> str:
    """A stored (naive UTC) time for a script: ISO 8601 with its zone."""
    return value.replace(microsecond=0).isoformat() + "Z"


def score(value: float | None) -> str:
    """A result in percent with one decimal, in the reader's locale: 85.5 in English, 85,5 in
    French (the sentence around it places the % sign)."""
    return format_decimal(round(value or 0.0, 1), "0.0", locale=reader_locale())


def lang_attribute(shown: Any) -> Markup:
    """` lang="en"` for an element holding course text in another language than the reader's
    (the page's interface): the English original where no translation exists. `shown` is a
    language code, or an item from `translations.choose`/`translate_all`."""
    language = shown if isinstance(shown, str) else language_of(shown)
    if not language or language == reader_language():
        return Markup("")
    return Markup(' lang="%s"') % language


def in_language(text: Any, shown: Any) -> Markup:
    """`text` as it is, or in a `<span lang>` when `shown` (as for `lang_attribute`) is not the
    reader's language: a course's title inside an interface sentence."""
    attribute = lang_attribute(shown)
    if not attribute:
        return escape(text)
    return Markup("<span%s>%s</span>") % (attribute, text)


def module_links(modules: list[Any]) -> Markup:
    """Links to modules (originals or translations), joined as a list in the reader's language:
    "A, B and C", "A, B et C"."""
    link = Markup('<a href="%s"%s>%s</a>')
    links = [
        link % (url_for("learning.module_by_slug", slug=m.slug), lang_attribute(m), m.title)
        for m in modules
    ]
    return Markup(format_list([str(link) for link in links], locale=reader_locale()))


def interface_lang(content_language: str) -> Markup:
    """` lang="fr"` (the reader's) for interface text inside an element marked with another
    language by `lang_attribute` (a check block's buttons inside an English lesson body)."""
    reader = reader_language()
    if not content_language or content_language == reader:
        return Markup("")
    return Markup(' lang="%s"') % reader


def register(app: Flask) -> None:
    app.jinja_env.filters["in_language"] = in_language
    app.jinja_env.filters["score"] = score
    app.jinja_env.filters["initial"] = lambda text: (sort_key(text)[:1] or "#").upper()
    app.jinja_env.globals.update(
        right_answer=right_answer,
        external_url=external_url,
        mark=mark,
        time_left=time_left,
        iso_utc=iso_utc,
        seconds_left=seconds_left,
        feedback_for=feedback_for,
        matching_choices=matching_choices,
        matching_stems=matching_stems,
        ProgressStatus=ProgressStatus,
        lang_attribute=lang_attribute,
        level_name=level_name,
        module_links=module_links,
        interface_lang=interface_lang,
    )
