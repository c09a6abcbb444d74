"""The case digest in its readers' languages: the search page (filters, labels, counts with each
language's plural rules, "Illustrative"), the case page's headings and summary, form errors,
the alert e-mail and notification in the member's language, and the stop-alerts page.

The search index stays English whoever saves a case: a French reader's page shows translated
labels, while the words searched are still the English ones."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.markdown import render_markdown
from app.core.models import Notification
from app.search import searchers
from tests.conftest import ClientFor, Outbox
from tests.digest.curation_helpers import case_form
from tests.digest.factory import CASES_DIR, SECTIONS, LoadCaseFiles, MakeCases, summary
from tests.learning.factory import MakeCourse

User_ = Callable[..., User]
NB = "\u00a0"  # French puts a non-breaking space before : ; ? ! and inside « »
AP = "\u2019"  # the typographic apostrophe of the French catalogue
FRENCH = {"Accept-Language": "fr"}
SPANISH = {"Accept-Language": "es"}


@pytest.fixture
def packaged(app: Flask, load_case_files: LoadCaseFiles) -> Iterator[Flask]:
    load_case_files(CASES_DIR)
    yield app
    searchers.close_all()


def _page(client: FlaskClient, url: str, headers: dict[str, str], status: int = 200) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _legends(html: str) -> list[str]:
    return re.findall(r'<fieldset class="facet">\s*<legend>([^<]+)</legend>', html)


def test_a_french_reader_sees_the_search_page_in_french(
    packaged: Flask, client: FlaskClient
) -> None:
    html = _page(client, "/cases", FRENCH)
    assert "<h1>Recueil de jurisprudence</h1>" in html
    assert "<strong>50</strong> affaires." in html  # the 50 public cases, plural
    assert "50 affaires. Page 1 sur 3." in html
    assert 'Filtres <span class="muted">(0 actif)</span>' in html  # French: 0 is singular
    assert _legends(html)[:4] == ["Années", "Pays", "Région", "Mode opératoire"]
    assert '<button type="submit" data-apply-filters>Appliquer les filtres</button>' in html
    assert '<option value="newest">Du plus récent au plus ancien</option>' in html
    # "Illustrative" stays visible on every composite, in French.
    assert '<span class="tag">Illustratif</span>' in html
    assert "Les affaires marquées «\u00a0Illustratif\u00a0» sont des cas composites" in html
    assert "Illustrative case" not in html and "Filters" not in html

    # Facet values are shown in French; the URL keeps the English codes.
    filtered = _page(client, "/cases?weapon=pistols&region=western-balkans", FRENCH)
    assert 'Filtres <span class="muted">(2 actifs)</span>' in filtered
    assert re.search(r'value="pistols" checked>\s*Pistolets <span class="muted">', filtered)
    assert f"Arme{NB}: Pistolets" in filtered  # the chip that removes the filter
    assert f"Région{NB}: Balkans occidentaux" in filtered

    # No result: "0 affaire" in French (0 takes the singular), "0 casos" in Spanish.
    none = _page(client, "/cases?q=zzyzxq", FRENCH)
    assert f"<strong>0</strong> affaire pour «{NB}zzyzxq{NB}»." in none
    spanish = _page(client, "/cases?q=zzyzxq", SPANISH)
    assert "<strong>0</strong> casos para «zzyzxq»." in spanish

    # The words searched are the index's English ones, whatever the reader's language.
    found = _page(client, "/cases?q=pistols", FRENCH)
    assert re.search(r"<strong>[1-9]\d*</strong> affaires? pour «", found)


def test_a_bad_filter_value_is_explained_in_the_readers_language(
    packaged: Flask, client: FlaskClient
) -> None:
    html = _page(client, "/cases?weapon=cannons&year_from=19x9", FRENCH, status=400)
    assert f"«{NB}cannons{NB}» n{AP}est pas une arme connue{NB}; elle a été ignorée." in html
    assert f"«{NB}De l{AP}année{NB}» doit être une année, par exemple 2019" in html
    spanish = _page(client, "/cases?sort=sideways", SPANISH, status=400)
    assert "Orden desconocido; los resultados se ordenan por pertinencia." in spanish


@pytest.fixture
def cases(tmp_path: Path, make_cases: MakeCases, make_course: MakeCourse) -> Iterator[Path]:
    make_course()
    make_cases({
        "alarm-pistols": {"modules": "[basics-m1, basics-m2]"},
        "appeal-case": {"court": '"Court of Appeal"', "court_level": "appeal",
                        "illustrative": "false", "decision_year": None,
                        "decision_date": "2018-03-01",
                        "sections": summary("Converted pistols were sold to a courier.")},
    })  # fmt: skip
    yield tmp_path / "cases"
    searchers.close_all()


def test_a_spanish_reader_sees_the_case_page_headings_in_spanish(
    cases: Path, client: FlaskClient
) -> None:
    html = _page(client, "/cases/alarm-pistols", SPANISH)
    headings = re.findall(r'<h2 id="([^"]+)">([^<]+)</h2>', html)
    sections = [pair for pair in headings if pair[0] in {
        "summary", "facts", "investigation", "prosecution-and-decision", "commentary",
        "good-practices", "sources"}]  # fmt: skip
    assert sections == [
        ("summary", "Resumen"),
        ("facts", "Hechos"),  # the anchor stays English: links to #facts work in every language
        ("investigation", "Investigación"),
        ("prosecution-and-decision", "Enjuiciamiento y decisión"),
        ("commentary", "Comentario"),
        ("good-practices", "Buenas prácticas"),
        ("sources", "Fuentes"),
    ]
    assert ("summary-box", "En resumen") in headings
    assert ("cite", "Cómo referirse a este caso ilustrativo") in headings
    assert '<span class="tag">Ilustrativo</span>' in html
    facts = dict(re.findall(r"<dt>([^<]+)</dt>\s*<dd>(.*?)</dd>", html, re.S))
    assert facts["País"] == "Portugal"  # the case's own words are not translated
    assert facts["Resultado"] == "Condena"
    assert facts["Modus operandi"] == (
        "Conversión de armas de alarma y de fogueo, Envíos postales y por mensajería"
    )
    assert facts["Artículos"] == (
        "Protocolo sobre armas de fuego, art. 5, 9; "
        "Convención contra la Delincuencia Organizada, art. 5"
    )
    assert facts["Incautaciones"] == "40 armas de fuego, 2.000 cartuchos"
    assert facts["Ruta"] == "desde Türkiye; a través de Bulgaria; hacia Portugal"

    real = _page(client, "/cases/appeal-case", SPANISH)
    assert '<time datetime="2018-03-01">1 de marzo de 2018</time>' in real
    assert "Ilustrativo" not in real.split('id="related"', 1)[0]
    french = _page(client, "/cases/appeal-case", FRENCH)
    assert '<time datetime="2018-03-01">1 mars 2018</time>' in french
    assert '<h2 id="facts">Faits</h2>' in french and "Bonnes pratiques" in french


def test_a_curators_form_errors_are_in_french(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    login("moderator", language="fr")  # the member's choice wins over the browser's
    response = client.post(
        "/cases/new", data=case_form(protocol_articles="five", reason=""), headers=SPANISH
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert (
        f"L{AP}affaire n{AP}a pas été enregistrée. Corrigez les champs signalés ci-dessous" in html
    )
    assert f"Indiquez des numéros d{AP}articles de 1 à 100, séparés par des virgules." in html
    assert "Indiquez pourquoi vous faites cette modification." in html
    assert f"<h1>Nouvelle fiche d{AP}affaire</h1>" in html
    assert "Articles du Protocole relatif aux armes à feu" in html  # the field's label

    refused = client.post("/cases/saved", data={"name": "", "query": "q=pistols"})
    assert refused.status_code == 400
    assert "Donnez un nom à la recherche" in refused.get_data(as_text=True)


def _notifications(app: Flask, user: User) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(select(Notification.title).where(Notification.user_id == user.id))
        )


def _about(word: str, **front: Any) -> dict[str, Any]:
    return {"sections": {**SECTIONS, "Summary": f"A {word} was searched."}, **front}


def _send(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["alerts", "send"])
    assert result.exit_code == 0, result.output


def test_each_member_gets_the_alert_in_their_own_language(
    app: Flask,
    client: FlaskClient,
    login: User_,
    make_user: User_,
    client_for: ClientFor,
    make_cases: MakeCases,
    runner: FlaskCliRunner,
    outbox: Outbox,
) -> None:
    root = make_cases({"old-granary-case": _about("granary")})
    french = login("trainee", display_name="Amélie", language="fr")
    english = make_user("trainee", display_name="Tomas")
    for browser in (client, client_for(english)):
        saved = browser.post(
            "/cases/saved", data={"name": "Granaries", "query": "q=granary", "alert": "weekly"}
        )
        assert saved.status_code == 302
    _send(runner)
    make_cases(
        {"new-granary-case": _about("granary", title='"Pistols found under a granary"')},
        root=root,
    )
    _send(runner)

    mails = {message["To"]: message for message in outbox.messages()}
    title = f"1 nouvelle affaire correspond à votre recherche enregistrée «{NB}Granaries{NB}»"
    assert _notifications(app, french) == [title]
    # The subject is the same sentence (the mail header folds its spaces into plain ones).
    subject = str(make_header(decode_header(mails[french.email]["Subject"])))
    assert subject == title.replace(NB, " ")
    body = mails[french.email].get_payload(decode=True).decode()
    assert body.startswith("Bonjour Amélie,\n")
    assert "- Pistols found under a granary (cas illustratif)" in body  # the title as written
    assert "Vous recevez au plus un courriel par semaine pour cette recherche" in body
    assert f"Arrêter les alertes de cette recherche{NB}:" in body

    # The same run wrote the English member's alert in English.
    english_body = mails[english.email].get_payload(decode=True).decode()
    assert english_body.startswith("Hello Tomas,\n")
    assert "You get at most one e-mail a week for this search" in english_body
    assert _notifications(app, english) == ["1 new case matches your saved search “Granaries”"]

    # The stop-alerts link opens a page in the language of whoever opens it.
    link = re.search(r"http://localhost(/cases/alerts/unsubscribe/\S+)", body)
    assert link is not None
    page = app.test_client().get(link.group(1), headers=FRENCH).get_data(as_text=True)
    assert (
        "Arrêter les courriels hebdomadaires sur les nouvelles affaires correspondant à votre "
        f"recherche enregistrée «{NB}Granaries{NB}»{NB}?"
    ) in page
    assert ">Arrêter ces alertes</button>" in page


def test_a_case_reference_is_labelled_in_each_readers_language(
    app: Flask, make_cases: MakeCases
) -> None:
    """Resolved references are kept per reader class and language: the French reader's
    "(cas illustratif)" never reaches the next English reader."""
    make_cases({"open-case": {"title": '"Pistols in a camper van"'}})
    searchers.close_all()

    def render(headers: dict[str, str]) -> str:
        with app.test_request_context(headers=headers):
            return str(render_markdown("See [[case:open-case]]."))

    assert ">Pistols in a camper van (cas illustratif)</a>" in render(FRENCH)
    assert ">Pistols in a camper van (illustrative case)</a>" in render({})
    assert ">Pistols in a camper van (caso ilustrativo)</a>" in render(SPANISH)
