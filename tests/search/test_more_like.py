"""More like this: documents whose text resembles one document's, as a reader may see them."""

from __future__ import annotations

from flask import Flask
from whoosh.query import Term

from app.core.db import db
from app.search import Hit, more_like
from tests.search import toy
from tests.search.backends import search_backend  # noqa: F401  (both backends)

PUBLIC = Term("restricted", "no")  # what a reader below practitioner is restricted to
PARCELS = "Pistol frames were mailed in parcels hidden among toys."


def _keys(hits: list[Hit]) -> list[str]:
    return [hit.key for hit in hits]


def test_the_public_restriction_never_offers_a_restricted_document(search_app: Flask) -> None:
    with search_app.app_context():
        toy.add("open-ring", "Parcels of pistols", body=PARCELS)
        toy.add("secret-ring", "The same ring, restricted", body=PARCELS, restricted=True)
        toy.add("parcel-post", "Pistols by post", body="Pistol frames mailed in parcels.")
        toy.add("fishing-boat", "Rifles at sea", body="Rifles carried across the sea by boat.")
        db.commit()
        public = more_like(toy.INDEX, "open-ring", field="body", text=PARCELS, restrict=PUBLIC)
        everyone = more_like(toy.INDEX, "open-ring", field="body", text=PARCELS)
    assert _keys(public) == ["parcel-post"]
    assert _keys(everyone) == ["secret-ring", "parcel-post"]  # the same text scores best
    assert everyone[0].fields["title"] == "The same ring, restricted"


def test_equal_scores_come_in_key_order_whatever_the_index_history(search_app: Flask) -> None:
    body = "Converted alarm pistols were sold at a weekend market."
    with search_app.app_context():
        for key in ("twin-c", "twin-a", "twin-b", "source"):
            toy.add(key, key, body=body)
        db.commit()
        toy.change("twin-a", title="twin-a again")  # reindexed: now last in the index
        db.commit()
        best_two = more_like(toy.INDEX, "source", field="body", text=body, limit=2)
        every = more_like(toy.INDEX, "source", field="body", text=body)
    assert _keys(best_two) == ["twin-a", "twin-b"]
    assert _keys(every) == ["twin-a", "twin-b", "twin-c"]  # never the document itself


def test_an_unknown_key_or_a_never_built_index_finds_nothing(search_app: Flask) -> None:
    with search_app.app_context():
        assert more_like(toy.INDEX, "open-ring", field="body", text=PARCELS) == []
        toy.add("open-ring", "Parcels of pistols", body=PARCELS)
        db.commit()
        assert more_like(toy.INDEX, "no-such-toy", field="body", text=PARCELS) == []
