"""The reader's language: Flask-Babel's locale selector, and the language picker's choices.

The reader's language is, in order: the language a signed-in member chose (`users.language`),
else the `lang` cookie the footer's language picker sets, else the browser's `Accept-Language`,
else English. It decides which translation of the content a page shows (`app.learning
.translations`) and, once the interface has gettext catalogues, the interface's language.

A pseudo-locale tests right-to-left layout before any right-to-left language has a catalogue:
with `PSEUDO_RTL_LOCALE` on (the default in development and tests, off in production) the `lang`
cookie `ar-XB` shows every interface string written right to left (wrapped in U+202E RIGHT-TO-
LEFT OVERRIDE ... U+202C), dates and numbers as in Arabic, and `<html dir="rtl">`
(`text_direction()`). It is not offered by the language picker.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import click
import flask_babel
from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import Domain, get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core import catalogs
from app.core.time import reader_locale
from app.extensions import babel

DEFAULT = "en"
COOKIE = "lang"
COOKIE_DAYS = 365
# Each language named in itself (the picker) and in English (the content files' reports).
NATIVE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
ENGLISH_NAMES = {"en": "English", "fr": "French", "es": "Spanish"}


PSEUDO_RTL = "ar-XB"  # the cookie's value
PSEUDO_RTL_BABEL = "ar"  # the locale its dates and numbers are formatted in
RLO, PDF = "\u202e", "\u202c"  # right-to-left override ... pop directional formatting


def supported() -> list[str]:
    return [str(code) for code in current_app.config["SUPPORTED_LANGUAGES"]]


def select_locale() -> str:
    """The reader's language (Flask-Babel calls it once per request; English outside one, as in
    an e-mail rendered by a command)."""
    if not has_request_context():
        return DEFAULT
    if pseudo_rtl():
        return PSEUDO_RTL_BABEL
    languages = supported()
    chosen = getattr(current_user, "language", "") if current_user.is_authenticated else ""
    if chosen in languages:
        return str(chosen)
    cookie = request.cookies.get(COOKIE, "")
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or DEFAULT


@cache
def _parsed(code: str) -> Locale:
    return Locale.parse(code)


def _selected_locale() -> Locale:
    """`select_locale` as a parsed locale, parsed once per process (Flask-Babel would parse the
    code on every request)."""
    return _parsed(select_locale())


def _translations() -> Any:
    """The catalogue templates translate with: Flask-Babel's, looked up once per request and
    locale (Flask-Babel looks its context, domain and locale up again for each of a page's
    hundreds of strings). Keyed by the locale and domain objects, so a `force_locale` block (an
    e-mail in its recipient's language) gets its own."""
    ctx = g.get("_flask_babel")
    locale = getattr(ctx, "babel_locale", None)
    if locale is None:
        return flask_babel.get_translations()
    domain = getattr(ctx, "babel_domain", None)
    kept = getattr(ctx, "fast_translations", None)
    if kept is not None and kept[0] is locale and kept[1] is domain:
        return kept[2]
    translations = flask_babel.get_translations()
    ctx.fast_translations = (locale, getattr(ctx, "babel_domain", None), translations)
    return translations


def gettext(message: str, **variables: Any) -> str:
    """Flask-Babel's gettext; the English text where the app has no Babel (a bare app that only
    renders Markdown, as some tests build). Imported as `_`, so extraction finds its strings."""
    if has_app_context() and "babel" in current_app.extensions:
        return str(flask_babel.gettext(message, **variables))
    return message % variables if variables else message


def pseudo_rtl() -> bool:
    """Whether this request asks for the right-to-left pseudo-locale (and the site allows it)."""
    return (
        has_request_context()
        and bool(current_app.config.get("PSEUDO_RTL_LOCALE"))
        and request.cookies.get(COOKIE) == PSEUDO_RTL
    )


def text_direction() -> str:
    """`rtl` or `ltr`: the direction of the interface's language, for `<html dir>`."""
    if pseudo_rtl():
        return "rtl"
    locale = get_locale() if has_request_context() else None
    return "rtl" if locale is not None and locale.text_direction == "rtl" else "ltr"


class _RightToLeft:
    """A request's translations with each string wrapped in a right-to-left override: the
    English reads mirrored, as a right-to-left language would sit in the layout."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def ugettext(self, message: str) -> str:
        return RLO + str(self.inner.ugettext(message)) + PDF

    def ungettext(self, singular: str, plural: str, count: int) -> str:
        return RLO + str(self.inner.ungettext(singular, plural, count)) + PDF

    def upgettext(self, context: str, message: str) -> str:
        return RLO + str(self.inner.upgettext(context, message)) + PDF

    def unpgettext(self, context: str, singular: str, plural: str, count: int) -> str:
        return RLO + str(self.inner.unpgettext(context, singular, plural, count)) + PDF


class PseudoRtlDomain(Domain):
    """Flask-Babel's domain for requests in the pseudo-locale (set per request)."""

    def get_translations(self) -> Any:
        return _RightToLeft(super().get_translations())


def reader_language() -> str:
    """The language the current reader reads in (English outside a request; `ar-XB` in the
    pseudo-locale, so that no page kept for a language is served for it or from it)."""
    if not has_request_context():
        return DEFAULT
    if pseudo_rtl():
        return PSEUDO_RTL
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT


def recipient_language(chosen: str, *, reader_is_recipient: bool = False) -> str:
    """The language of a message (an e-mail, a notification) to someone whose stored choice is
    `chosen` ("" until they pick one): that choice, else the current reader's language when the
    reader is the recipient (signing up, asking for their own reset link), else English."""
    if chosen in supported():
        return chosen
    return reader_language() if reader_is_recipient else DEFAULT


def english_name(code: str) -> str:
    return ENGLISH_NAMES.get(code, code)


def language_name(code: str) -> str:
    """`code`'s language named in the reader's language: "French" in English, "français" in
    French (CLDR's names, from Babel)."""
    try:
        return Locale.parse(code).get_display_name(reader_locale()) or code
    except (ValueError, UnknownLocaleError):
        return code


def and_list(items: list[str]) -> str:
    """Words joined as a sentence lists them in the reader's language: "a, b and c",
    "a, b et c", "a, b y c" (CLDR's patterns, from Babel)."""
    return str(format_list([str(item) for item in items], locale=reader_locale()))


def language_choices() -> list[tuple[str, str]]:
    return [(code, NATIVE_NAMES.get(code, code)) for code in supported()]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", catalogs.translation_directories())
    babel.init_app(app, locale_selector=_selected_locale, default_locale=DEFAULT)
    # `{% trans %}` blocks are extracted trimmed (catalogs.JINJA_OPTIONS): render them so too.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters["and_list"] = and_list
    app.cli.add_command(i18n_cli)
    pseudo_domain = PseudoRtlDomain()

    @app.before_request
    def pseudo_locale() -> None:
        """Every gettext of a pseudo-locale request (views, forms, templates) goes through the
        right-to-left domain."""
        if pseudo_rtl():
            pseudo_domain.as_default()

    @app.after_request
    def vary(response: Response) -> Response:
        """A page may differ by the browser's languages: shared caches must keep them apart."""
        response.vary.add("Accept-Language")
        return response

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            "reader_language": reader_language,
            "language_choices": language_choices,
            "language_name": language_name,
            "text_direction": text_direction,
        }


@click.group("i18n", help="The interface's gettext catalogues (app/core/catalogs.py).")
def i18n_cli() -> None:
    pass


@i18n_cli.command("extract")
@click.option("--catalog", "names", multiple=True, help="Only these catalogues (core, accounts…).")
def extract_command(names: tuple[str, ...]) -> None:
    """Write each catalogue's .pot and add new strings to its .po files (untranslated)."""
    for source in catalogs.sources():
        if not names or source.name in names:
            for path in catalogs.update(source):
                click.echo(f"wrote {path}")


@i18n_cli.command("compile")
@click.option("--force", is_flag=True, help="Rebuild every .mo, not only the out-of-date ones.")
def compile_command(force: bool) -> None:
    """Build the .mo files the site reads from the .po files."""
    built = catalogs.compile_catalogs(force=force)
    click.echo(f"{len(built)} catalogue file(s) compiled")


@i18n_cli.command("check")
@click.option("--catalog", "names", multiple=True, help="Only these catalogues (core, accounts…).")
@click.option("--limit", default=200, show_default=True, help="Problems to list (0: all).")
def check_command(names: tuple[str, ...], limit: int) -> None:
    """Fail when a catalogue misses a string, a translation is missing or fuzzy, or a template,
    flash message or form holds text that cannot be translated."""
    found = catalogs.problems(set(names) or None)
    for problem in found[: limit or None]:
        click.echo(str(problem))
    if len(found) > limit > 0:
        click.echo(f"… and {len(found) - limit} more")
    if found:
        raise click.ClickException(f"{len(found)} translation problem(s)")
    click.echo("every catalogue is complete; no untranslatable text found")
