"""A small set of cases, loaded and indexed, that the search and restriction tests query."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from app.search import searchers
from tests.digest.factory import MakeCases, summary

WORLD = {
    "parcel-pistols-portugal": {
        "title": '"Converted alarm pistols sold through a parcel network"',
        "decision_year": "2019",
    },
    "rifles-boat-chile": {
        "title": '"Rifles carried on a fishing boat"',
        "country": '"Chile"',
        "region": "South America",
        "decision_year": "2021",
        "outcome": "acquittal",
        "modus_operandi": "[concealment-vehicles]",
        "weapons": "[rifles]",
        "links": "[drugs]",
        "techniques": "[interception]",
        "articles": "\n  protocol: [11]\n  convention: []",
        "sections": summary("Rifles were smuggled on a fishing boat to the southern coast."),
    },
    "turkiye-drone-ammunition": {
        "title": '"Drones over the Türkiye border"',
        "country": '"Türkiye"',
        "region": "North Africa and Middle East",
        "decision_year": "2016",
        "outcome": "pending",
        "stage": "trial",
        "modus_operandi": "[drones]",
        "weapons": "[ammunition]",
        "links": "[]",
        "techniques": "[tracing-request]",
        "sections": summary("Drones dropped ammunition near a café beside the border wall."),
    },
    "portugal-postal-revolvers": {
        "title": '"Revolvers posted in parcels from a collector"',
        "decision_year": "2023",
        "modus_operandi": "[postal-courier]",
        "weapons": "[revolvers]",
        "sections": summary("A collector posted old revolvers in parcels to buyers abroad."),
    },
    "secret-broker": {
        "title": '"Broker with forged certificates"',
        "country": '"Serbia"',
        "region": "Western Balkans",
        "decision_year": "2022",
        "modus_operandi": "[brokering-forged-documents, postal-courier]",
        "weapons": "[machine-guns]",
        "restricted": "true",
        "sections": summary(
            "A broker offered zarquon machine guns and posted parcels with forged papers."
        ),
    },
}
PUBLIC = [
    "portugal-postal-revolvers",
    "rifles-boat-chile",
    "parcel-pistols-portugal",
    "turkiye-drone-ammunition",
]  # fmt: skip  (newest first)


@pytest.fixture
def world(app: Flask, make_cases: MakeCases) -> Iterator[Flask]:
    make_cases(WORLD)
    yield app
    searchers.close_all()


def slugs(html: str) -> list[str]:
    """The case slugs of the result list, in order."""
    results = html.split('class="list hits"', 1)[-1].split("</ol>", 1)[0]
    return re.findall(r'<h3><a href="/cases/([a-z0-9-]+)">', results)


def facet(html: str, name: str, value: str) -> int | None:
    """The count shown beside a facet value, or None when the value is not listed."""
    match = re.search(
        rf'name="{name}" value="{re.escape(value)}"(?: checked)?>\s*[^<]*<span class="muted">'
        r"\((\d+)\)</span>",
        html,
    )
    return int(match.group(1)) if match else None
