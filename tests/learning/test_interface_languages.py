"""The learning pages' interface in the reader's language (issue 19): text, plurals, flashes,
errors, notifications and the certificate, in French and Spanish; course texts that have no
translation stay English and say so with their own `lang`."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import Notification
from app.learning.models import Certificate
from tests.learning.factory import MakeCourse, Take, start, wrong_answer

User_ = Callable[..., User]
NBSP = "\u00a0"


def _page(client: FlaskClient, url: str) -> str:
    return client.get(url, follow_redirects=True).get_data(as_text=True)


def test_a_french_visitor_reads_the_interface_in_french_and_english_course_texts_marked(
    client: FlaskClient, make_course: MakeCourse
) -> None:
    make_course()  # English only
    client.set_cookie("lang", "fr")
    catalogue = _page(client, "/courses")
    assert "Des cours à suivre à votre rythme" in catalogue
    assert '<h2 lang="en"><a href="/courses/basics">Course basics</a></h2>' in catalogue
    assert "Initiation · 2 modules · environ 1 heure" in catalogue
    module = _page(client, "/modules/basics-m1")
    assert '<h1 lang="en">Module 1</h1>' in module
    assert f"Seuil de réussite{NBSP}: 70{NBSP}%." in module
    assert "Cette page n'est pas encore traduite en français" in module
    lesson = _page(client, "/modules/basics-m1/lessons/lesson-1")
    assert '<h1 lang="en">Lesson 1.1</h1>' in lesson
    assert '<strong>Ceci est un aperçu de <span lang="en">Module 1</span>.</strong>' in lesson
    assert ">Cours</a>" in _page(client, "/")  # the navigation's label


def test_a_spanish_learner_gets_flashes_and_errors_in_spanish(
    app: Flask, client: FlaskClient, login: User_, make_course: MakeCourse
) -> None:
    make_course()
    login(language="es")
    enrolled = client.post("/courses/basics/enrol", follow_redirects=True)
    assert "Se ha inscrito en Course basics." in enrolled.get_data(as_text=True)
    read = client.post("/modules/basics-m1/lessons/lesson-1/read", follow_redirects=True)
    assert "«Lesson 1.1» se ha marcado como leída." in read.get_data(as_text=True)
    attempt_id = start(client, "basics-m1")
    refused = client.post(
        f"/learning/attempts/{attempt_id}", data={"page": "1", "action": "save", "q2": "7"}
    )
    assert refused.status_code == 400
    assert "Pregunta 2: opción desconocida." in refused.get_data(as_text=True)
    saved = client.post(
        f"/learning/attempts/{attempt_id}",
        data={"page": "1", "action": "save", "q2": "0"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Sus respuestas se guardaron el" in saved
    assert "Pregunta 2" in saved and "Guardar y continuar →" in saved
    summary = _page(client, f"/learning/attempts/{attempt_id}/summary")
    assert "preguntas aún no tienen respuesta" in summary
    submitted = client.post(f"/learning/attempts/{attempt_id}/submit", follow_redirects=True)
    assert "Su intento se ha enviado." in submitted.get_data(as_text=True)


def test_used_up_attempts_are_counted_in_the_readers_language(
    client: FlaskClient, login: User_, make_course: MakeCourse, take: Take
) -> None:
    make_course(modules=1, settings={"max_attempts": 1})
    login(language="fr")
    take(client, "basics-m1", wrong_answer)
    module = _page(client, "/modules/basics-m1")
    assert "1 tentative au plus." in module
    assert "Vous avez utilisé votre unique tentative pour ce quiz." in module
    refused = client.post("/modules/basics-m1/attempts")
    assert refused.status_code == 303
    again = _page(client, "/modules/basics-m1")
    assert "Vous avez utilisé votre unique tentative pour ce quiz." in again


def test_more_attempts_take_the_plural(
    client: FlaskClient, login: User_, make_course: MakeCourse, take: Take
) -> None:
    make_course(modules=1, settings={"max_attempts": 2})
    login(language="es")
    take(client, "basics-m1", wrong_answer)
    take(client, "basics-m1", wrong_answer)
    module = _page(client, "/modules/basics-m1")
    assert "Como máximo 2 intentos." in module
    assert "Ha utilizado los 2 intentos de este cuestionario." in module


def test_the_certificate_its_form_and_its_notification_follow_the_holders_language(
    app: Flask, client: FlaskClient, login: User_, make_course: MakeCourse, take: Take
) -> None:
    make_course()
    user = login(language="es", display_name="Lucía Pérez")
    take(client, "basics-m1")
    take(client, "basics-m2")
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == user.id))
        assert certificate is not None and certificate.language == "en"  # no Spanish quiz
        note = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
        assert note is not None
        assert note.title == "Ha terminado Course basics: su certificado está listo"
        code = certificate.code
    page = _page(client, f"/certificates/{code}")
    assert "<dt>Realizado en</dt><dd>inglés</dd>" in page
    assert '<dd lang="en">Course basics</dd>' in page
    refused = client.post(f"/certificates/{code}/settings", data={"holder_name": " "})
    assert refused.status_code == 400
    assert "Indique el nombre que se imprimirá en el certificado." in refused.get_data(as_text=True)
    printed = _page(client, f"/certificates/{code}/print")
    assert '<html lang="es">' in printed and "Certificado de finalización" in printed

    visitor = app.test_client()
    visitor.set_cookie("lang", "fr")
    lookup = visitor.get("/certificates/?code=not a code!")
    assert lookup.status_code == 400
    assert "Les codes de certificat ont la forme ABCD-EFGH-JKLM" in lookup.get_data(as_text=True)
    unknown = visitor.get("/certificates/ABCD-EFGH-JKLM")
    assert unknown.status_code == 404
    assert "Aucun certificat ne porte ce code." in unknown.get_data(as_text=True)
    verified = visitor.get(f"/certificates/{code}").get_data(as_text=True)
    assert (
        "<strong>Valide.</strong>" in verified and "<dt>Suivi en</dt><dd>anglais</dd>" in verified
    )
