"""The interface's gettext catalogues (app/core/catalogs.py) and `flask i18n`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from app.core import catalogs
from app.core.time import format_datetime, format_number


def template(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.html"
    path.write_text(text, encoding="utf-8")
    return path


def found(tmp_path: Path, text: str) -> list[str]:
    return [problem.what for problem in catalogs.template_problems(template(tmp_path, text))]


def test_text_outside_gettext_is_reported_with_its_line(tmp_path: Path) -> None:
    path = template(tmp_path, '<h1>{{ _("Cases") }}</h1>\n<p>Nothing found.</p>\n')
    problems = catalogs.template_problems(path)
    assert [str(problem) for problem in problems] == [
        f"{path}:2: untranslatable text 'Nothing found.'"
    ]


def test_marked_text_code_and_expressions_are_not_reported(tmp_path: Path) -> None:
    assert not found(
        tmp_path,
        '<p>{{ _("Signed in as %(name)s", name=user.name) }}</p>\n'
        "{% trans count=n %}{{ count }} case{% pluralize %}{{ count }} cases{% endtrans %}\n"
        "<code>[[case:slug]]</code> <script>let label = 'Menu';</script>\n"
        '<a href="{{ url }}" class="button">{{ title }}</a> · 12 &rsaquo;\n'
        "<span>Français</span> {# i18n: ignore #}\n",
    )


def test_visible_attributes_are_text_too(tmp_path: Path) -> None:
    assert found(tmp_path, '<input name="q" placeholder="Search cases">') == [
        "untranslatable text 'Search cases'"
    ]
    assert not found(tmp_path, '<input name="q" placeholder="{{ _(\'Search cases\') }}">')


def test_a_literal_flash_or_field_label_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "views.py"
    path.write_text(
        "flash('Saved.')\n"
        "flash(_('Saved.'))\n"
        "name = StringField('Name', validators=[Length(max=5, message='Too long')])\n"
        "title = StringField(_l('Title'))\n",
        encoding="utf-8",
    )
    problems = [str(problem) for problem in catalogs.python_problems(path)]
    assert problems == [
        f"{path}:1: flash() text not marked",
        f"{path}:3: StringField() text not marked",
        f"{path}:3: Length() text not marked",
    ]


def test_every_catalogue_folder_is_given_to_flask_babel(app: Flask) -> None:
    folders = app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")
    assert folders[0].endswith("app/translations")
    assert any(folder.endswith("app/learning/translations") for folder in folders)
    for source in catalogs.sources():
        for language in catalogs.LANGUAGES:
            assert source.po_path(language).exists(), source.po_path(language)


def test_the_interface_follows_the_readers_language(client: FlaskClient) -> None:
    french = client.get("/courses", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<label for="language-picker">Langue</label>' in french
    spanish = client.get("/courses", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert ">Cambiar de idioma</button>" in spanish
    english = client.get("/courses").get_data(as_text=True)
    assert ">Change language</button>" in english


def test_dates_and_numbers_follow_the_locale(app: Flask) -> None:
    moment = datetime(2026, 12, 7, 14, 5)
    with app.test_request_context():
        assert format_datetime(moment) == "07 Dec 2026, 14:05 UTC"
        assert format_number(10000) == "10,000"
        with force_locale("fr"):
            assert format_datetime(moment, with_time=False) == "07 déc. 2026"
            assert format_number(10000) == "10\u202f000"
        with force_locale("es"):
            assert format_datetime(moment) == "07 dic 2026, 14:05 UTC"


def test_compile_builds_a_mo_beside_each_po(tmp_path: Path) -> None:
    catalogs.compile_catalogs(force=True)
    for source in catalogs.sources():
        for language in catalogs.LANGUAGES:
            po = source.po_path(language)
            assert po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime


def test_two_catalogues_translating_one_msgid_otherwise_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flask-Babel merges the catalogues: one msgid must read the same in all of them."""
    first = catalogs.Source("first", tmp_path / "first", (), ())
    second = catalogs.Source("second", tmp_path / "second", (), ())
    for source, text in ((first, "Affaire"), (second, "Cas")):
        catalog = Catalog(locale="fr", domain=catalogs.DOMAIN)
        catalog.add("Case", text)
        catalogs.write_catalog(catalog, source.po_path("fr"))
    monkeypatch.setattr(catalogs, "sources", lambda: [first, second])
    monkeypatch.setattr(catalogs, "LANGUAGES", ("fr",))
    assert [problem.what for problem in catalogs.disagreements()] == [
        "'Case' is translated otherwise in the first catalogue"
    ]
    catalog = catalogs.read_catalog(second.po_path("fr"), "fr")
    catalog["Case"].string = "Affaire"
    catalogs.write_catalog(catalog, second.po_path("fr"))
    assert catalogs.disagreements() == []
