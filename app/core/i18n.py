"""The reader's language: Flask-Babel's locale selector, and the language picker's choices.

The reader's language is, in order: the language a signed-in member chose (`users.language`),
else the `lang` cookie the footer's language picker sets, else the browser's `Accept-Language`,
else English. It decides which translation of the content a page shows (`app.learning
.translations`) and, once the interface has gettext catalogues, the interface's language.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from app.extensions import babel

DEFAULT = "en"
COOKIE = "lang"
COOKIE_DAYS = 365
# Each language named in itself (the picker) and in English (the notices, until the interface
# is translated).
NATIVE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
ENGLISH_NAMES = {"en": "English", "fr": "French", "es": "Spanish"}


def supported() -> list[str]:
    return [str(code) for code in current_app.config["SUPPORTED_LANGUAGES"]]


def select_locale() -> str:
    """The reader's language (Flask-Babel calls it once per request; English outside one, as in
    an e-mail rendered by a command)."""
    if not has_request_context():
        return DEFAULT
    languages = supported()
    chosen = getattr(current_user, "language", "") if current_user.is_authenticated else ""
    if chosen in languages:
        return str(chosen)
    cookie = request.cookies.get(COOKIE, "")
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or DEFAULT


def reader_language() -> str:
    """The language the current reader reads in (English outside a request)."""
    if not has_request_context():
        return DEFAULT
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT


def english_name(code: str) -> str:
    return ENGLISH_NAMES.get(code, code)


def language_choices() -> list[tuple[str, str]]:
    return [(code, NATIVE_NAMES.get(code, code)) for code in supported()]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_locale=DEFAULT)

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
            "language_name": english_name,
        }
