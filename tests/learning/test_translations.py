"""Translated course files (issue 19): read and checked beside their originals, loaded, shown in
the reader's language with a notice, and quizzes taken, graded and certified in it."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.learning.files import read_curriculum
from app.learning.models import (
    Attempt,
    Certificate,
    ContentTranslation,
    Course,
    GlossaryTerm,
    Lesson,
    QuestionTranslation,
)
from app.learning.services import certificates, progress
from app.learning.translations_files import content_hash
from app.search import searchers
from tests.learning.factory import BLOCKS, WORDS, LoadCourses, Take, write_course

FR_WORDS = " ".join(["Les trafiquants déplacent des armes, des pièces et des munitions."] * 8)

FR_BLOCKS = textwrap.dedent(
    """\
    ::: check goods
    Quels biens le Protocole couvre-t-il ?
    * [ ] Les armes complètes seulement
      > Les pièces et les munitions comptent aussi.
    * [x] Les armes à feu, leurs pièces et éléments, et les munitions
      > Exact : les trois sont couverts.
    :::

    ::: check first-step
    Que faites-vous d'abord d'un pistolet chargé trouvé dans une voiture ?
    * [x] Sécuriser les lieux et appeler un agent formé
      > Exact : la sécurité passe avant la preuve.
    * [ ] Le décharger vous-même pour relever le numéro de série
      > Non : une manipulation sans formation risque un tir.
    * [ ] Le mettre dans un sac pour le laboratoire
      > Pas encore : il est toujours chargé.
    :::

    ::: scenario night-stop
    title: Le contrôle de nuit
    Une voiture au poste a une roue de secours bien trop lourde.
    * Laisser partir la voiture
      > Un chargement caché passe la frontière.
    * Demander la fouille de la roue et appeler l'unité de permanence
      > Trois pistolets sont trouvés dans la roue.
    back: 01-lesson-1
    :::
    """
)

FR_QUIZ = textwrap.dedent(
    """\
    ::intro::Lisez chaque question attentivement.

    ::covers::Quels biens le Protocole couvre-t-il ?{
    ~Les armes complètes seulement#Les pièces comptent aussi.
    =Les armes à feu, pièces et munitions#Exact.
    ~Les armes militaires seulement#Non.
    ####Les trois catégories comptent.}

    ::signs::Quels sont les signes d'un compartiment caché ? (plusieurs réponses possibles){
    ~%50%Des traces d'outils récentes#Oui.
    ~%50%Une roue de secours lourde#Oui.
    ~%-100%Une plaque étrangère#Non.
    }

    ::marking::Le marquage est exigé à la fabrication.{TRUE#Réfléchissez.#Exact.}

    ::agency::Nommez l'office des Nations Unies qui soutient le Protocole.{
    =ONUDC#Exact.
    =Office des Nations Unies contre la drogue et le crime
    =%50%ONU#En partie.
    }

    ::article::Quel article du Protocole porte sur le marquage ?{#8:0}

    ::pairs::Associez chaque document à ce qu'il montre.{
    =Licence d'exportation -> autorisation d'exporter
    =Certificat d'utilisateur final -> qui utilisera les biens
    =Connaissement -> ce que transporte le navire
    }

    ::essay::Décrivez ce que vous feriez d'abord.{}
    """
)


def _stamp(original: Path) -> str:
    return content_hash(original.read_text(encoding="utf-8"))


def add_french(folder: Path, *, quiz: str = FR_QUIZ, blocks: str = FR_BLOCKS) -> None:
    """French translations of a `write_course` course: its page, module 1's intro, its first
    lesson and its quiz, each stamped with its original's hash."""
    m1 = folder / f"01-{folder.name}-m1"
    (folder / "course.fr.md").write_text(
        "---\ntranslation_of: course.md\nlanguage: fr\n"
        f"original_hash: {_stamp(folder / 'course.md')}\n"
        f"title: Cours {folder.name}\nsummary: Un cours court pour les tests.\n---\n"
        "Pourquoi ce cours.\n",
        encoding="utf-8",
    )
    (m1 / "module.fr.md").write_text(
        "---\ntranslation_of: module.md\nlanguage: fr\n"
        f"original_hash: {_stamp(m1 / 'module.md')}\n"
        "title: Module un\nsummary: À propos du module un.\n---\nCe que couvre le module un.\n",
        encoding="utf-8",
    )
    (m1 / "01-lesson-1.fr.md").write_text(
        "---\ntranslation_of: 01-lesson-1.md\nlanguage: fr\n"
        f"original_hash: {_stamp(m1 / '01-lesson-1.md')}\n"
        f"title: Leçon un\nminutes: 5\n---\n{FR_WORDS}\n\n{blocks}",
        encoding="utf-8",
    )
    (m1 / "quiz.fr.gift").write_text(
        "// translation_of: quiz.gift, language: fr, "
        f"original_hash: {_stamp(m1 / 'quiz.gift')}\n{quiz}",
        encoding="utf-8",
    )


@pytest.fixture
def french_course(tmp_path: Path, load_courses: LoadCourses) -> Path:
    root = tmp_path / "courses"
    folder = write_course(root, blocks=BLOCKS)
    add_french(folder)
    load_courses(root)
    return folder


def messages(root: Path) -> tuple[list[str], list[str]]:
    curriculum = read_curriculum(root)
    return [str(p) for p in curriculum.problems], [str(w) for w in curriculum.warnings]


# ---- reading and checking ----


def test_translations_are_read_beside_their_originals(tmp_path: Path) -> None:
    folder = write_course(tmp_path / "courses", blocks=BLOCKS)
    add_french(folder)
    curriculum = read_curriculum(tmp_path / "courses")
    assert curriculum.problems == []
    assert curriculum.warnings == []
    course = curriculum.courses[0]
    module = course.modules[0]
    assert course.translations["fr"].title == "Cours basics"
    assert module.translations["fr"].summary == "À propos du module un."
    assert module.lessons[0].translations["fr"].title == "Leçon un"
    assert [lesson.slug for lesson in module.lessons] == ["lesson-1", "lesson-2"]
    assert [q.name for q in module.quiz_translations["fr"].questions][:2] == ["intro", "covers"]


def test_a_language_the_course_lists_without_files_is_reported_missing(tmp_path: Path) -> None:
    folder = write_course(tmp_path / "courses", modules=1, lessons=1, blocks=BLOCKS)
    course_md = folder / "course.md"
    course_md.write_text(
        course_md.read_text(encoding="utf-8").replace(
            "level: introductory", "level: introductory\nlanguages: [en, fr, es]"
        ),
        encoding="utf-8",
    )
    add_french(folder)
    problems, warnings = messages(tmp_path / "courses")
    assert problems == []
    assert "courses/basics/course.md:1: missing translation: no es translation" in warnings
    assert (
        "courses/basics/01-basics-m1/01-lesson-1.md:1: missing translation: no es translation"
        in warnings
    )
    assert not any("no fr translation" in w for w in warnings)


def test_a_translation_is_stale_when_its_original_changes(tmp_path: Path) -> None:
    folder = write_course(tmp_path / "courses", blocks=BLOCKS)
    add_french(folder)
    lesson = folder / "01-basics-m1" / "01-lesson-1.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nA new paragraph.\n", "utf-8")
    problems, warnings = messages(tmp_path / "courses")
    assert problems == []
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "courses/basics/01-basics-m1/01-lesson-1.fr.md:1: stale translation: "
        "courses/basics/01-basics-m1/01-lesson-1.md changed after it was translated"
    )


def test_stamp_records_the_original_hash(
    tmp_path: Path, runner: Callable[..., object], app: Flask
) -> None:
    folder = write_course(tmp_path / "courses", blocks=BLOCKS)
    add_french(folder)
    lesson = folder / "01-basics-m1" / "01-lesson-1.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nA new paragraph.\n", "utf-8")
    quiz = folder / "01-basics-m1" / "quiz.gift"
    quiz.write_text(quiz.read_text(encoding="utf-8") + "\n", "utf-8")
    translation = folder / "01-basics-m1" / "01-lesson-1.fr.md"
    result = app.test_cli_runner().invoke(
        args=["content", "stamp", str(translation), str(folder / "01-basics-m1" / "quiz.fr.gift")]
    )
    assert "01-lesson-1.fr.md: stamped" in result.output
    assert "quiz.fr.gift: already up to date" in result.output  # trailing blank lines only
    assert f"original_hash: {_stamp(lesson)}" in translation.read_text(encoding="utf-8")
    assert messages(tmp_path / "courses") == ([], [])


def test_a_translation_without_a_hash_is_reported(tmp_path: Path) -> None:
    folder = write_course(tmp_path / "courses", blocks=BLOCKS)
    add_french(folder)
    module = folder / "01-basics-m1" / "module.fr.md"
    module.write_text(
        re.sub(r"original_hash: \w+\n", "", module.read_text(encoding="utf-8")), "utf-8"
    )
    _, warnings = messages(tmp_path / "courses")
    assert [w.split(": ", 1)[1] for w in warnings] == [
        "stale translation: no original_hash recorded (read it back against "
        "courses/basics/01-basics-m1/module.md, then run 'flask content stamp')"
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("check first-step", "check first-steps"), "the blocks differ from the original's"),
        (("* [x] Sécuriser", "* [ ] Sécuriser"), "block 'first-step' marks another option [x]"),
        (("* [ ] Le mettre dans un sac pour le laboratoire\n", ""), "block 'first-step' has 2"),
    ],
)
def test_a_lesson_translation_keeps_the_blocks(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    folder = write_course(tmp_path / "courses", blocks=BLOCKS)
    blocks = FR_BLOCKS.replace(*change)
    if change[1] == "* [ ] Sécuriser":
        blocks = blocks.replace("* [ ] Le décharger", "* [x] Le décharger")
    add_french(folder, blocks=blocks)
    problems, _ = messages(tmp_path / "courses")
    assert len(problems) == 1
    assert problems[0].startswith("courses/basics/01-basics-m1/01-lesson-1.fr.md:")
    assert message in problems[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("::article::", "::articles::"), "question 6 is 'articles' (numerical); the original's"),
        (("(plusieurs réponses possibles)", ""), "its text must say '(plusieurs réponses"),
        (("{#8:0}", "{#9:0}"), "question 'article' must keep the original's answers"),
        (("=%50%ONU#En partie.\n", ""), "question 'agency' must keep the original's answers"),
    ],
)
def test_a_quiz_translation_keeps_names_marks_and_its_cue(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    folder = write_course(tmp_path / "courses", blocks=BLOCKS)
    add_french(folder, quiz=FR_QUIZ.replace(*change))
    problems, _ = messages(tmp_path / "courses")
    assert len(problems) == 1, problems
    assert problems[0].startswith("courses/basics/01-basics-m1/quiz.fr.gift:")
    assert message in problems[0]


def test_a_translation_in_an_unsupported_language_or_of_nothing_is_a_problem(
    tmp_path: Path,
) -> None:
    folder = write_course(tmp_path / "courses", blocks=BLOCKS)
    m1 = folder / "01-basics-m1"
    (m1 / "01-lesson-1.de.md").write_text("---\ntitle: Lektion\n---\nText.\n", "utf-8")
    (m1 / "03-lesson-3.fr.md").write_text("---\ntitle: Leçon trois\n---\nTexte.\n", "utf-8")
    problems, _ = messages(tmp_path / "courses")
    assert problems == [
        "courses/basics/01-basics-m1/01-lesson-1.de.md:1: 'de' is not a supported translation "
        "language (fr, es)",
        "courses/basics/01-basics-m1/03-lesson-3.fr.md:1: translation of '03-lesson-3.md', "
        "which does not exist",
    ]


def test_the_packaged_first_line_course_is_complete_in_french_and_spanish() -> None:
    root = Path(__file__).resolve().parents[2] / "courses"
    curriculum = read_curriculum(root)
    assert curriculum.problems == []
    assert curriculum.warnings == []  # none missing, none stale
    course = next(c for c in curriculum.courses if c.slug == "first-line-awareness")
    assert course.languages == ["en", "fr", "es"]
    for language in ("fr", "es"):
        assert language in course.translations
        for module in course.modules[:5]:
            assert language in module.translations and language in module.quiz_translations
            assert all(language in lesson.translations for lesson in module.lessons)
    assert all(set(term["translations"]) == {"fr", "es"} for term in curriculum.glossary)


def _figures(text: str) -> list[str]:
    """The numbers of a text (article numbers, years, minutes, 16.4.2, CTOC/COP/WG.6/2020/1),
    with module references left out: their slugs are not translated."""
    return sorted(re.findall(r"\d+(?:[./]\d+)*", re.sub(r"\[\[[^\]]+\]\]", "", text)))


def test_the_countering_course_module_intros_are_in_french_and_spanish() -> None:
    """Every module introduction of the practitioners' course is translated, read back (stamped,
    not stale), and keeps the original's figures, article numbers and module references."""
    root = Path(__file__).resolve().parents[2] / "courses"
    curriculum = read_curriculum(root)
    assert curriculum.problems == []
    course = next(c for c in curriculum.courses if c.slug == "countering-firearms-trafficking")
    modules = [m for m in course.modules if m.kind == "module"]  # not the final assessment
    assert len(modules) == 12
    for module in modules:
        original = module.intro
        for language in ("fr", "es"):
            translation = module.translations[language]
            assert not translation.stale, translation.rel
            assert _figures(translation.body) == _figures(original), translation.rel
            assert re.findall(r"\[\[module:[^\]]+\]\]", translation.body) == re.findall(
                r"\[\[module:[^\]]+\]\]", original
            )
    framework = modules[0].translations
    assert "Protocole contre la fabrication et le trafic illicites d'armes à feu" in (
        framework["fr"].body.replace("\n", " ")
    )
    assert "Instrumento Internacional de Localización" in framework["es"].body


GLOSSARY = """\
- term: Tracing
  slug: tracing
  definition: >-
    Following a firearm to its holder.
  fr:
    term: Traçage
    definition: Suivre une arme à feu jusqu'à son détenteur.
  es:
    term: Localización
    definition: Seguir un arma de fuego hasta su tenedor.
"""


def test_a_glossary_translation_is_stale_when_its_english_changes(
    app: Flask, tmp_path: Path, load_courses: LoadCourses
) -> None:
    root = tmp_path / "courses"
    write_course(root, modules=1)
    glossary = root / "glossary.yaml"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    _, warnings = messages(root)
    assert warnings == [
        f"courses/glossary.yaml:1: stale translation: the {language} of glossary entry "
        "'tracing' has no original_hash (read it back against the English, then run "
        "'flask content stamp glossary.yaml')"
        for language in ("fr", "es")
    ]
    stamped = app.test_cli_runner().invoke(args=["content", "stamp", str(glossary)])
    assert "tracing (fr) stamped" in stamped.output and "tracing (es) stamped" in stamped.output
    assert messages(root) == ([], [])
    again = app.test_cli_runner().invoke(args=["content", "stamp", str(glossary)])
    assert "already up to date" in again.output
    # Re-wrapping the definition changes nothing; changing its words makes both stale.
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("a firearm to", "a firearm\n    to"),
        encoding="utf-8",
    )
    assert messages(root) == ([], [])
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("its holder", "its last lawful holder"),
        encoding="utf-8",
    )
    _, warnings = messages(root)
    assert len(warnings) == 2
    assert "the English of glossary entry 'tracing' changed after the fr" in warnings[0]
    load_courses(root)
    with app.app_context():
        rows = db.session.scalars(
            select(ContentTranslation).where(ContentTranslation.kind == "glossary")
        ).all()
        assert sorted((row.language, row.stale) for row in rows) == [("es", True), ("fr", True)]


# ---- loading ----


def test_loading_stores_translations_and_question_translations(
    app: Flask, french_course: Path
) -> None:
    with app.app_context():
        rows = db.session.scalars(select(ContentTranslation)).all()
        assert sorted((r.kind, r.language, r.title) for r in rows) == [
            ("course", "fr", "Cours basics"),
            ("lesson", "fr", "Leçon un"),
            ("module", "fr", "Module un"),
        ]
        assert not any(r.stale for r in rows)
        questions = db.session.scalars(select(QuestionTranslation)).all()
        assert len(questions) == 8
        assert any("ONUDC" in q.gift for q in questions)


def test_a_removed_translation_is_no_longer_shown(
    app: Flask, client: FlaskClient, french_course: Path, load_courses: LoadCourses
) -> None:
    (french_course / "01-basics-m1" / "01-lesson-1.fr.md").unlink()
    load_courses(french_course.parent)
    client.set_cookie("lang", "fr")
    page = client.get("/modules/basics-m1/lessons/lesson-1").get_data(as_text=True)
    assert '<h1 lang="en">Lesson 1.1</h1>' in page
    assert "pas encore traduite en français" in page


# ---- the reader's language ----


def test_a_lesson_shows_in_the_readers_language_with_a_notice(
    client: FlaskClient, french_course: Path
) -> None:
    client.set_cookie("lang", "fr")
    page = client.get("/modules/basics-m1/lessons/lesson-1").get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "<h1>Leçon un</h1>" in page
    assert "Les trafiquants déplacent" in page
    assert "Sécuriser les lieux et appeler un agent formé" in page  # the block, translated
    assert "Cette page est affichée en français ;" in page  # the interface is French too
    assert 'href="/modules/basics-m1/lessons/lesson-1?original=1"' in page
    assert "Module un" in page  # the breadcrumb follows

    original = client.get("/modules/basics-m1/lessons/lesson-1?original=1").get_data(as_text=True)
    assert '<html lang="fr"' in original  # the interface stays French; the content is English
    # The interface stays French; the English original's texts say their language themselves.
    assert '<h1 lang="en">Lesson 1.1</h1>' in original
    assert '<div class="lesson-body" lang="en">' in original
    assert "Vérifiez vos connaissances" in original  # a block's interface, French again
    assert "Ceci est l'original anglais." in original
    assert "Le lire en français" in original


def test_a_page_without_a_translation_says_so_in_english(
    client: FlaskClient, french_course: Path
) -> None:
    client.set_cookie("lang", "fr")
    page = client.get("/modules/basics-m2").get_data(as_text=True)
    assert '<html lang="fr"' in page  # the reader's interface; the content falls back to English
    assert '<h1 lang="en">Module 2</h1>' in page
    assert "Leçons" in page  # the interface is French
    assert "Cette page n'est pas encore traduite en français" in page


def test_accept_language_chooses_and_english_readers_see_no_notice(
    client: FlaskClient, french_course: Path
) -> None:
    page = client.get(
        "/courses/basics", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
    ).get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "<h1>Cours basics</h1>" in page
    assert ">Module un</a>" in page  # the module list follows
    english = client.get("/courses/basics").get_data(as_text=True)
    assert '<html lang="en"' in english
    assert "<h1>Course basics</h1>" in english
    assert "language-notice" not in english
    assert "Accept-Language" in client.get("/courses/basics").headers["Vary"]


def test_the_module_page_shows_in_the_readers_language(
    client: FlaskClient, french_course: Path
) -> None:
    client.set_cookie("lang", "fr")
    page = client.get("/modules/basics-m1").get_data(as_text=True)
    assert "<h1>Module un</h1>" in page
    assert "Ce que couvre le module un." in page
    assert ">Leçon un</a>" in page
    client.set_cookie("lang", "es")
    spanish = client.get("/modules/basics-m1").get_data(as_text=True)
    assert '<h1 lang="en">Module 1</h1>' in spanish
    assert "Esta página aún no está traducida al español" in spanish


def test_the_picker_sets_a_cookie_and_a_members_choice_wins(
    app: Flask,
    client: FlaskClient,
    french_course: Path,
    login: Callable[..., User],
) -> None:
    response = client.post("/language", data={"language": "fr", "next": "/courses/basics"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/courses/basics"
    assert "lang=fr" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert "<h1>Cours basics</h1>" in client.get("/courses/basics").get_data(as_text=True)

    user = login()
    client.post("/language", data={"language": "en", "next": "https://evil.example/"})
    with app.app_context():
        assert db.session.get(User, user.id).language == "en"  # type: ignore[union-attr]
    client.set_cookie("lang", "fr")  # the member's stored choice comes first
    assert "<h1>Course basics</h1>" in client.get("/courses/basics").get_data(as_text=True)
    assert client.get("/account/data.json").get_json()["profile"]["language"] == "en"


def test_the_picker_refuses_an_unknown_language_and_goes_home_from_elsewhere(
    client: FlaskClient,
) -> None:
    refused = client.post("/language", data={"language": "xx", "next": "/courses"})
    assert refused.status_code == 400
    assert "Choose one of the languages offered." in refused.get_data(as_text=True)
    away = client.post("/language", data={"language": "es", "next": "//evil.example/"})
    assert away.status_code == 303
    assert away.headers["Location"] == "/"


def test_the_footer_has_the_picker_on_every_page(client: FlaskClient) -> None:
    page = client.get("/courses", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<form method="post" action="/language" class="language-picker">' in page
    assert '<label for="language-picker">Idioma</label>' in page
    assert '<option value="es" lang="es" selected>Español</option>' in page
    assert '<input type="hidden" name="next" value="/courses">' in page


def test_the_glossary_shows_terms_in_the_readers_language(
    app: Flask, client: FlaskClient, tmp_path: Path, load_courses: LoadCourses
) -> None:
    root = tmp_path / "courses"
    write_course(root, modules=1)
    (root / "glossary.yaml").write_text(
        textwrap.dedent(
            """\
            - term: Tracing
              slug: tracing
              definition: Following a firearm from its maker to its last lawful holder.
              fr:
                term: Traçage
                definition: Suivre une arme à feu de son fabricant à son dernier détenteur légal.
            - term: Brokering
              slug: brokering
              definition: Arranging transfers of firearms between other parties.
            """
        ),
        encoding="utf-8",
    )
    load_courses(root)
    client.set_cookie("lang", "fr")
    page = client.get("/glossary").get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert 'Traçage <span class="muted" lang="en">(Tracing)</span>' in page
    assert "Suivre une arme à feu" in page
    assert "Brokering" in page  # no French yet: the English entry
    with app.app_context():
        term = db.session.scalar(select(GlossaryTerm).where(GlossaryTerm.slug == "tracing"))
        assert term is not None and term.term == "Tracing"


def test_a_glossary_translation_without_a_definition_is_a_problem(tmp_path: Path) -> None:
    root = tmp_path / "courses"
    root.mkdir()
    (root / "glossary.yaml").write_text(
        "- term: Tracing\n  slug: tracing\n  definition: Following a firearm.\n"
        "  fr:\n    term: Traçage\n",
        encoding="utf-8",
    )
    problems, _ = messages(root)
    assert problems == [
        "courses/glossary.yaml:1: 'fr' of glossary entry 'tracing' needs a term and a definition"
    ]


def test_removing_a_quiz_translation_removes_its_questions_and_the_quiz_is_taken_in_english(
    app: Flask, client: FlaskClient, french_course: Path, load_courses: LoadCourses,
    login: Callable[..., User], take: Take,
) -> None:  # fmt: skip
    (french_course / "01-basics-m1" / "quiz.fr.gift").unlink()
    load_courses(french_course.parent)
    with app.app_context():
        assert db.session.scalars(select(QuestionTranslation)).all() == []
    login(language="fr")
    client.post("/courses/basics/enrol")
    attempt_id = take(client, "basics-m1")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.language == "en"
    review = client.get(f"/learning/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Quels biens" not in review


# ---- quizzes and certificates ----


def test_an_attempt_is_taken_graded_and_reviewed_in_the_readers_language(
    app: Flask, client: FlaskClient, french_course: Path, login: Callable[..., User], take: Take
) -> None:
    login(language="fr")
    client.post("/courses/basics/enrol")
    attempt_id = take(client, "basics-m1")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.language == "fr"
    exported = client.get("/account/data.json").get_json()["learning"]["attempts"]
    assert [a["language"] for a in exported] == ["fr"]
    review = client.get(f"/learning/attempts/{attempt_id}/review").get_data(as_text=True)
    assert '<html lang="fr"' in review
    assert "Quels biens le Protocole couvre-t-il ?" in review
    # The French short answer (ONUDC) earned full marks: the grading read the French question.
    assert "Vous avez obtenu <strong>100,0\u00a0%</strong>" in review


def test_a_quiz_without_a_translation_is_taken_in_english(
    app: Flask, client: FlaskClient, french_course: Path, login: Callable[..., User], take: Take
) -> None:
    login(language="es")
    client.post("/courses/basics/enrol")
    attempt_id = take(client, "basics-m1")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.language == "en"


def test_a_certificate_records_the_language_and_the_translated_title(
    app: Flask, french_course: Path, make_user: Callable[..., User]
) -> None:
    user = make_user()
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "basics"))
        assert course is not None
        state = progress.course_progress(course, user.id)
        certificate = certificates.issue(user.id, course, state, "fr")
        db.session.commit()
        stored = db.session.get(Certificate, certificate.id)
        assert stored is not None
        assert (stored.language, stored.course_title) == ("fr", "Cours basics")
        code = stored.code
    page = app.test_client().get(f"/certificates/{code}").get_data(as_text=True)
    assert '<dd lang="fr">Cours basics</dd>' in page
    assert "<dt>Taken in</dt><dd>French</dd>" in page


def test_lessons_keep_their_english_rows(app: Flask, french_course: Path) -> None:
    with app.app_context():
        titles = sorted(db.session.scalars(select(Lesson.title)))
    assert titles == ["Lesson 1.1", "Lesson 1.2", "Lesson 2.1", "Lesson 2.2"]
    assert WORDS  # the originals keep their English text


# ---- search per language ----


@pytest.fixture
def searchable(french_course: Path) -> Iterator[Path]:
    yield french_course
    searchers.close_all()


def test_a_french_query_finds_french_lessons_with_stemming_and_folded_accents(
    client: FlaskClient, searchable: Path
) -> None:
    client.set_cookie("lang", "fr")
    # "trafiquant" and "piece" meet "trafiquants" and "pièces" in the French lesson.
    page = client.get("/search?q=trafiquant+piece").get_data(as_text=True)
    assert ">Leçon un</a>" in page
    assert "<mark>" in page
    module = client.get("/search?q=couvre").get_data(as_text=True)
    assert ">Module un</a>" in module

    client.set_cookie("lang", "en")
    english = client.get("/search?q=trafiquant+piece").get_data(as_text=True)
    assert "Leçon un" not in english


def test_a_french_query_finds_a_glossary_term_by_its_french_name(
    client: FlaskClient, tmp_path: Path, load_courses: LoadCourses
) -> None:
    root = tmp_path / "courses"
    write_course(root, modules=1)
    (root / "glossary.yaml").write_text(
        "- term: Tracing\n  slug: tracing\n  definition: Following a firearm to its holder.\n"
        "  fr:\n    term: Traçage\n"
        "    definition: Suivre une arme à feu jusqu'à son détenteur.\n",
        encoding="utf-8",
    )
    load_courses(root)
    client.set_cookie("lang", "fr")
    page = client.get("/search?q=tracage").get_data(as_text=True)
    searchers.close_all()
    assert ">Traçage</a>" in page


def test_the_first_line_course_is_read_and_its_quizzes_taken_in_french_and_spanish(
    app: Flask, client: FlaskClient, login: Callable[..., User], load_courses: LoadCourses,
    take: Take,
) -> None:  # fmt: skip
    load_courses(Path(__file__).resolve().parents[2] / "courses")
    login(language="fr")
    client.post("/courses/first-line-awareness/enrol")
    page = client.get(
        "/modules/recognising-trafficking/lessons/what-is-trafficked-and-how"
    ).get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "trafic et comment cela circule</h1>" in page
    attempt_id = take(client, "recognising-trafficking")
    review = client.get(f"/learning/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Quels biens le Protocole relatif aux armes à feu couvre-t-il ?" in review
    assert "Vous avez obtenu <strong>100,0\u00a0%</strong>" in review

    # The same member switches to Spanish and takes the second module's quiz in it.
    assert client.post("/language", data={"language": "es", "next": "/"}).status_code == 303
    spanish = client.get("/modules/safe-handling-and-evidence").get_data(as_text=True)
    assert '<html lang="es"' in spanish
    attempt_id = take(client, "safe-handling-and-evidence")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.language == "es"
    review = client.get(f"/learning/attempts/{attempt_id}/review").get_data(as_text=True)
    assert '<html lang="es"' in review
    assert "Ha obtenido <strong>100,0\u00a0%</strong>" in review


def test_a_stale_translation_is_shown_with_a_warning(
    client: FlaskClient, french_course: Path, load_courses: LoadCourses
) -> None:
    lesson = french_course / "01-basics-m1" / "01-lesson-1.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nA new paragraph.\n", "utf-8")
    load_courses(french_course.parent)
    client.set_cookie("lang", "fr")
    page = client.get("/modules/basics-m1/lessons/lesson-1").get_data(as_text=True)
    assert "<h1>Leçon un</h1>" in page
    assert "L'original anglais a changé depuis cette traduction." in page


def test_the_catalogue_names_translated_courses_in_the_readers_language(
    client: FlaskClient, french_course: Path
) -> None:
    client.set_cookie("lang", "fr")
    page = client.get("/courses").get_data(as_text=True)
    assert '<html lang="fr"' in page  # the reader's interface language
    assert '<h2><a href="/courses/basics">Cours basics</a></h2>' in page  # the reader's language
    assert "Des cours à suivre à votre rythme" in page  # and the interface's
    assert ">Cours basics</a>" in page
    assert "Un cours court pour les tests." in page
