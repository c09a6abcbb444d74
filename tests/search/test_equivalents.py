"""A French or Spanish query finds the English cases (issue 19): each glossary entry's `fr:`/`es:`
term is searched as its English term and that term's synonym group, accents ignored, and the
seed's French and Spanish words for trafficking lead to "trafficking". English queries find what
they found before. On /search a French query also finds the French lessons and glossary terms.
Both search backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.core.db import db
from app.learning.translations_files import content_hash
from app.search import searchers
from app.search.synonyms import Thesaurus, load_seed
from tests.digest.factory import MakeCases
from tests.digest.search_world import slugs
from tests.learning.factory import LoadCourses, write_course
from tests.search.backends import search_backend  # noqa: F401  (both backends)

GLOSSARY = """\
- term: Firearm
  slug: firearm
  definition: A portable barrelled weapon that expels a shot.
  fr:
    term: Arme à feu
    definition: Toute arme à canon portative qui propulse un plomb.
  es:
    term: Arma de fuego
    definition: Toda arma portátil que tenga cañón y que lance un proyectil.
- term: Marking
  slug: marking
  definition: Marks that identify a firearm.
  fr:
    term: Marquage
    definition: Les marques qui identifient une arme à feu.
  es:
    term: Marcaje
    definition: Las marcas que identifican un arma de fuego.
- term: Tracing
  slug: tracing
  definition: Following a firearm to its holder.
  fr:
    term: Traçage
    definition: Suivre une arme à feu jusqu'à son détenteur, un traçage systématique.
"""
FR_LESSON = " ".join(["Les trafiquants déplacent des armes, des pièces et des munitions."] * 8)
# Cases whose only words on firearms, marking and trafficking are their summaries'.
NEUTRAL = {
    "offences": "[]", "modus_operandi": "[drones]", "weapons": "[rifles]", "techniques": "[]",
    "links": "[]", "quantities": "{}", "modules": "[]",
}  # fmt: skip
SECTIONS = {
    "Summary": "",
    "Facts": "A crew loaded a boat at night.",
    "Investigation": "Officers watched the harbour.",
    "Prosecution and decision": "The crew was convicted.",
    "Commentary": "A known route.",
    "Good practices": "- Watch the harbour.",
    "Sources": "CTOC/COP/WG.6/2020/1. An illustrative composite.",
}


def _case(title: str, text: str) -> dict[str, object]:
    return {**NEUTRAL, "title": f'"{title}"', "sections": {**SECTIONS, "Summary": text}}


CASES = {
    "pistol-ring": _case("A market ring", "A ring sold pistols and guns at a market."),
    "serial-marks": _case("Maker's marks", "Each frame bore the maker's marking."),
    "border-trafficking": _case("The port", "Officers uncovered trafficking through the port."),
    "fishing-boat": _case("A fishing boat", "A fishing boat carried spare nets."),
}


@pytest.fixture
def world(
    app: Flask, tmp_path: Path, load_courses: LoadCourses, make_cases: MakeCases
) -> Iterator[Flask]:
    root = tmp_path / "courses"
    folder = write_course(root, modules=1) / "01-basics-m1"
    (folder / "01-lesson-1.fr.md").write_text(
        "---\ntranslation_of: 01-lesson-1.md\nlanguage: fr\n"
        f"original_hash: {content_hash((folder / '01-lesson-1.md').read_text('utf-8'))}\n"
        f"title: Leçon un\nminutes: 5\n---\n{FR_LESSON}\n",
        encoding="utf-8",
    )
    (root / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    load_courses(root)
    with app.app_context():
        load_seed()
        db.commit()
    make_cases(CASES)
    yield app
    searchers.close_all()


def _cases(client: FlaskClient, query: str) -> list[str]:
    response = client.get("/cases", query_string={"q": query})
    assert response.status_code == 200
    return sorted(slugs(response.get_data(as_text=True)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("armes à feu", ["pistol-ring"]),  # Arme à feu: firearm, and its group (guns, pistols)
        ("arme a feu", ["pistol-ring"]),  # accents and plural endings do not matter
        ("arma de fuego", ["pistol-ring"]),
        ("ARMAS DE FUEGO", ["pistol-ring"]),
        ("marcaje", ["serial-marks"]),
        ("marquage", ["serial-marks"]),
        ("trafic d'armes", ["border-trafficking"]),
        ("trafic d'armes à feu", ["border-trafficking"]),
        ("tráfico de armas", ["border-trafficking"]),
        ("trafico de armas", ["border-trafficking"]),
        ("marquage OR trafic", ["border-trafficking", "serial-marks"]),  # operators still apply
        ("armes à feu -marquage", ["pistol-ring"]),
    ],
)
def test_a_french_or_spanish_query_finds_the_english_cases(
    world: Flask, client: FlaskClient, query: str, expected: list[str]
) -> None:
    assert _cases(client, query) == expected


def test_english_queries_and_unknown_words_are_unchanged(world: Flask, client: FlaskClient) -> None:
    assert _cases(client, "marking") == ["serial-marks"]
    assert _cases(client, "trafficking") == ["border-trafficking"]
    assert _cases(client, "fuego") == []  # a word of an equivalent is not the equivalent
    assert _cases(client, '"armes à feu"') == []  # a quoted phrase is searched as typed


def test_the_site_search_finds_english_cases_french_lessons_and_terms(
    world: Flask, client: FlaskClient
) -> None:
    client.set_cookie("lang", "fr")
    page = client.get("/search", query_string={"q": "marquage"}).get_data(as_text=True)
    assert ">Marquage</a>" in page  # the glossary term, by its French name
    assert "/cases/serial-marks" in page  # and the English case
    traced = client.get("/search", query_string={"q": "tracage systematique"})
    assert ">Traçage</a>" in traced.get_data(as_text=True)  # stemmed, accents folded
    lesson = client.get("/search", query_string={"q": "trafiquant piece"})
    assert ">Leçon un</a>" in lesson.get_data(as_text=True)  # the French lesson


def test_an_equivalent_leads_one_way() -> None:
    words = Thesaurus([["gun", "firearm", "weapon"]], [("Firearm", ["Arme à feu", "Gun"])])
    expanded = '("armes à feu" OR Firearm OR gun OR weapon OR "Arme à feu")'
    assert words.expand("armes à feu") == expanded
    assert words.expand("gun") == "(gun OR firearm OR weapon)"  # the group's own variant
    assert words.expand("feu") == "feu"
