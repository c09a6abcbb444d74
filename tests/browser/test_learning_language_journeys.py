"""A learner who reads French (then one who reads Spanish) chooses the language in the footer,
signs up, reads the first module of the first-line course, answers a scenario, takes the module's
quiz and earns the course's certificate, all in that language, and a visitor verifies it on the
public page in that language (issue 19).

The certificate needs every module of the course passed (`CourseProgress.complete`). The journey
takes the first module through the site; the passes of the other four modules and of the final
assessment are written to the database before its quiz is submitted (as attempts in the same
language), so that submitting it completes the course: those quizzes are the same pages again,
and `test_lesson_and_quiz_to_a_verified_certificate` takes them all through the site in English.

The sign-up and account pages are translated elsewhere: their fields are found by id and their
text is not asserted here. Every step is checked by axe-core (with JavaScript) and at 360 px.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.time import utcnow
from app.learning.models import Attempt, AttemptStatus, Course, Module
from tests.browser.harness import COURSE, PASSWORD, Journey, Site
from tests.browser.journeys import account_menu, answer_page

pytestmark = pytest.mark.browser

FIRST = "recognising-trafficking"
SCENARIO = "the-heavy-spare-wheel"
NBSP = "\u00a0"


@dataclass(frozen=True)
class Reader:
    """What a reader of one language sees: the course's texts and the interface's."""

    language: str
    language_name: str  # in the picker, in its own language
    course: str
    module: str
    lessons: tuple[str, str, str]
    lesson_text: str  # a sentence of the first lesson
    consequence: str  # of the scenario's second choice
    enrol: str
    enrolled: str
    check_yourself: str
    what_happens: str
    mark_read_and_continue: str
    go_to_quiz: str
    start_quiz: str
    save_and_continue: str
    finish: str
    summary: str
    submit_all: str
    scored: str
    completed: str
    my_learning: str
    my_certificates: str
    certificate: str
    taken_in: str
    valid: str
    verify_heading: str
    code_label: str
    verify: str


FRENCH = Reader(
    language="fr",
    language_name="Français",
    course="Sensibilisation au trafic d'armes à feu pour les agents de première ligne",
    module="Reconnaître une situation de trafic",
    lessons=(
        "Ce qui fait l'objet de trafic et comment cela circule",
        "Les indicateurs aux points de contrôle et dans les véhicules",
        "Colis, fret et documents",
    ),
    lesson_text="Pourquoi le premier agent compte",
    consequence="La roue est examinée avec les bons outils et sans dommage.",
    enrol="S'inscrire à ce cours",
    enrolled="Vous êtes inscrit au cours",
    check_yourself="Vérifiez vos connaissances",
    what_happens=f"Ce qui se passe{NBSP}:",
    mark_read_and_continue="Marquer comme lue et continuer",
    go_to_quiz="Aller au quiz →",
    start_quiz="Commencer le quiz",
    save_and_continue="Enregistrer et continuer →",
    finish="Terminer la tentative…",
    summary="récapitulatif de la tentative 1",
    submit_all="Tout soumettre et terminer",
    scored=f"Vous avez obtenu 100,0{NBSP}%",
    completed="Voir votre certificat",
    my_learning="Ma formation",
    my_certificates="Mes certificats",
    certificate="Certificat",
    taken_in="Suivi en",
    valid="Valide.",
    verify_heading="Vérifier un certificat",
    code_label="Code du certificat",
    verify="Vérifier",
)

SPANISH = Reader(
    language="es",
    language_name="Español",
    course="Sensibilización sobre el tráfico de armas de fuego para agentes de primera línea",
    module="Reconocer una situación de tráfico",
    lessons=(
        "Qué se trafica y cómo se traslada",
        "Indicadores en los puestos de control y en los vehículos",
        "Paquetes, carga y documentos",
    ),
    lesson_text="Por qué importa el primer agente",
    consequence="La rueda se examina con las herramientas adecuadas y sin daños.",
    enrol="Inscribirse en este curso",
    enrolled="Se ha inscrito en",
    check_yourself="Compruebe sus conocimientos",
    what_happens="Lo que ocurre:",
    mark_read_and_continue="Marcar como leída y continuar",
    go_to_quiz="Ir al cuestionario →",
    start_quiz="Comenzar el cuestionario",
    save_and_continue="Guardar y continuar →",
    finish="Terminar el intento…",
    summary="resumen del intento 1",
    submit_all="Enviar todo y terminar",
    scored=f"Ha obtenido 100,0{NBSP}%",
    completed="Ver su certificado",
    my_learning="Mi formación",
    my_certificates="Mis certificados",
    certificate="Certificado",
    taken_in="Realizado en",
    valid="Válido.",
    verify_heading="Verificar un certificado",
    code_label="Código del certificado",
    verify="Verificar",
)


def _words(text: str) -> str:
    return " ".join(text.split())


def _choose_language(journey: Journey, reader: Reader) -> None:
    with journey.step(f"choose {reader.language_name} in the footer") as page:
        page.goto("/courses")
        page.locator("#language-picker").select_option(reader.language)
        page.locator("form.language-picker button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#language-picker").input_value() == reader.language


def _confirmation_link(site: Site, email: str) -> str:
    """The link of the confirmation e-mail, which the outbox may write a moment after the page."""
    for _ in range(50):
        if site.mails_to(email):
            break
        time.sleep(0.2)
    return site.link_in_last_mail(email, "/confirm/")


def _sign_up(journey: Journey, site: Site, email: str, name: str) -> None:
    """Sign up and confirm, finding the fields by id (the account pages are translated apart)."""
    with journey.step("open the sign-up form") as page:
        page.goto("/sign-up")
        page.locator("#email").wait_for()
    with journey.step("create the account") as page:
        page.locator("#email").fill(email)
        page.locator("#display_name").fill(name)
        page.locator("#password").fill(PASSWORD)
        page.locator("#confirm").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    with journey.step("follow the confirmation link from the e-mail") as page:
        link = _confirmation_link(site, email)
        page.goto(re.sub(r"^https?://[^/]+", "", link))
        page.locator(".tag-ok").first.wait_for()


def _pass_the_other_modules(site: Site, email: str, language: str) -> None:
    """Write a passed attempt, in `language`, for every module of the course but the first (the
    final assessment included)."""
    with site.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None
        others = db.session.scalars(
            select(Module)
            .join(Course, Course.id == Module.course_id)
            .where(Course.slug == COURSE, Module.active, Module.slug != FIRST)
        ).all()
        assert len(others) == 5, [m.slug for m in others]  # four modules and the final one
        now = utcnow()
        for module in others:
            db.session.add(
                Attempt(
                    user_id=user.id, module_id=module.id, status=AttemptStatus.SUBMITTED,
                    started_at=now, submitted_at=now, score=100.0, passed=True,
                    language=language,
                )
            )  # fmt: skip
        db.commit()


def _read_the_first_module(journey: Journey, reader: Reader) -> None:
    with journey.step("open the course catalogue") as page:
        page.goto("/courses")
        page.get_by_role("link", name=reader.course).wait_for()
    with journey.step("open the course") as page:
        page.get_by_role("link", name=reader.course).click()
        page.get_by_role("heading", name=reader.course, level=1).wait_for()
    with journey.step("enrol") as page:
        page.get_by_role("button", name=reader.enrol).click()
        page.get_by_text(reader.enrolled).wait_for()
    with journey.step("open the first module") as page:
        page.locator("ol.modules").get_by_role("link", name=reader.module, exact=True).click()
        page.get_by_role("heading", name=reader.module, level=1).wait_for()
        heading = page.locator("h1")
        assert heading.get_attribute("lang") in (None, reader.language)
    with journey.step("read the first lesson") as page:
        page.get_by_role("link", name=reader.lessons[0], exact=True).click()
        page.get_by_role("heading", name=reader.lessons[0], level=1).wait_for()
        main = page.inner_text("main")
        assert reader.lesson_text in main, "the lesson is not in the reader's language"
        assert reader.check_yourself in main, "the check block's interface is not translated"
        # The lesson is translated: nothing on it is marked as another language.
        assert page.locator("main [lang]").count() == 0
    with journey.step("mark it read and go on") as page:
        page.get_by_role("button", name=reader.mark_read_and_continue).click()
        page.get_by_role("heading", name=reader.lessons[1], level=1).wait_for()
    with journey.step("answer the scenario") as page:
        scenario = page.locator(f"#block-{SCENARIO}")
        scenario.locator('input[name="choice"][value="1"]').check()
        scenario.locator("button[type=submit]").click()
        page.wait_for_url(f"**#block-{SCENARIO}")
        result = _words(page.locator(f"#block-{SCENARIO} [role=status]").inner_text())
        assert reader.consequence in result, result
        assert _words(reader.what_happens) in result, result  # the non-breaking space, as one
    with journey.step("mark the second lesson read") as page:
        page.get_by_role("button", name=reader.mark_read_and_continue).click()
        page.get_by_role("heading", name=reader.lessons[2], level=1).wait_for()
    with journey.step("go to the quiz") as page:
        page.get_by_role("link", name=reader.go_to_quiz).click()
        page.get_by_role("heading", name=reader.module, level=1).wait_for()


def _take_the_quiz(journey: Journey, site: Site, reader: Reader) -> None:
    with journey.step("start the quiz") as page:
        page.get_by_role("button", name=reader.start_quiz).click()
        page.wait_for_url(re.compile(r"/learning/attempts/\d+"))
    found = re.search(r"/learning/attempts/(\d+)", journey.page.url)
    assert found is not None
    attempt_id = int(found.group(1))
    with site.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.language == reader.language
    number = 1
    while True:
        with journey.step(f"answer page {number} of the quiz") as page:
            answer_page(journey, site, attempt_id, number)
            onward = page.get_by_role("button", name=reader.save_and_continue)
            last = onward.count() == 0
            (page.get_by_role("button", name=reader.finish) if last else onward).click()
            page.wait_for_url(re.compile(r"/summary$" if last else rf"page={number + 1}"))
        if last:
            break
        number += 1
    with journey.step("submit the quiz from its summary") as page:
        page.get_by_role("heading", name=re.compile(reader.summary)).wait_for()
        page.get_by_role("button", name=reader.submit_all).click()
        page.wait_for_url(re.compile(r"/review$"))
    with journey.step("see the result") as page:
        main = page.inner_text("main")
        assert reader.scored in main, "the quiz was not fully right, or not in the language"
        assert reader.completed in main, "the course is not completed"


def _certificate(journey: Journey, reader: Reader) -> str:
    with journey.step("find the certificate on the dashboard") as page:
        nav = page.locator('header a[href="/dashboard"]').first
        assert nav.inner_text() == reader.my_learning  # the nav label, in the reader's language
        nav.click()
        page.get_by_role("heading", name=reader.my_certificates).wait_for()
        link = page.locator('main a[href^="/certificates/"]').first
        assert link.inner_text() == reader.course
        code = (link.get_attribute("href") or "").rsplit("/", 1)[-1]
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    with journey.step("open the certificate") as page:
        link.click()
        page.get_by_role("heading", name=f"{reader.certificate} {code}").wait_for()
        facts = _words(page.locator("dl.facts").inner_text())
        assert reader.course in facts
        assert reader.taken_in in facts
    with journey.step("open the printable certificate") as page:
        page.goto(f"/certificates/{code}/print")
        assert page.locator("html").get_attribute("lang") == reader.language
        assert page.locator(f'p.course[lang="{reader.language}"]').inner_text() == reader.course
    return code


def _verify_as_visitor(journey: Journey, reader: Reader, code: str) -> None:
    with journey.step("sign out") as page:
        page.goto("/")
        account_menu(page).click()
        page.locator('form[action$="/sign-out"] button').click()
        page.wait_for_load_state()
    with journey.step("verify the certificate as a visitor") as page:
        page.goto("/certificates/")
        page.get_by_role("heading", name=reader.verify_heading).wait_for()
        page.get_by_label(reader.code_label).fill(code.lower().replace("-", " "))
        page.get_by_role("button", name=reader.verify).click()
        page.get_by_text(reader.valid).wait_for()
        facts = _words(page.locator("dl.facts").inner_text())
        assert reader.course in facts and reader.taken_in in facts


@pytest.mark.parametrize("reader", [FRENCH, SPANISH], ids=["fr", "es"])
def test_a_course_and_its_certificate_in_the_readers_language(
    journey: Journey, site: Site, reader: Reader
) -> None:
    # Short (not `new_email`'s): a long address is folded in the mail's To header.
    email = f"lea-{reader.language}-{'js' if journey.javascript else 'nojs'}@example.org"
    _choose_language(journey, reader)
    _sign_up(journey, site, email, "Léa Moreau" if reader.language == "fr" else "Lucía Pérez")
    _read_the_first_module(journey, reader)
    _pass_the_other_modules(site, email, reader.language)
    _take_the_quiz(journey, site, reader)
    code = _certificate(journey, reader)
    _verify_as_visitor(journey, reader, code)
    journey.check_markup()
