"""Curators create and edit cases; drafts, publication through the review queue, audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import AuditEntry
from app.digest.models import CaseDigest, CaseRevision
from app.moderation.models import ReviewItem
from tests.conftest import ClientFor
from tests.digest.curation_helpers import case_form

User_ = Callable[..., User]


def _case(app: Flask, slug: str = "fuel-tank-courier") -> CaseDigest | None:
    with app.app_context():
        case = db.session.scalar(select(CaseDigest).where(CaseDigest.slug == slug))
        if case is not None:
            db.session.expunge(case)
        return case


def _revisions(app: Flask, slug: str = "fuel-tank-courier") -> list[CaseRevision]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(CaseRevision)
                .join(CaseDigest)
                .where(CaseDigest.slug == slug)
                .order_by(CaseRevision.number)
            )
        )
        for row in rows:
            db.session.expunge(row)
        return rows


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_moderator_creates_a_draft_with_a_first_revision(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    moderator = login("moderator")
    response = client.post("/cases/new", data=case_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/cases/fuel-tank-courier/edit")
    case = _case(app)
    assert case is not None and case.status == "draft"
    assert case.route_transit == ["Bulgaria", "Romania"]
    assert case.quantities == {"firearms": 6, "ammunition": 120}
    assert case.protocol_articles == [5, 11] and case.convention_articles == []
    assert case.body.startswith("## Summary\n\nA courier carried pistols")
    assert "## Good practices\n\n- Check fuel tanks.\n\n## Sources" in case.body
    [revision] = _revisions(app)
    assert (revision.number, revision.author_id, revision.reason) == (
        1,
        moderator.id,
        "First version",
    )
    assert revision.snapshot["title"] == "Pistols hidden in a fuel tank"
    assert _actions(app) == ["case.create"]
    page = client.get("/cases/fuel-tank-courier/edit").get_data(as_text=True)
    assert "This is a draft" in page and 'value="Pistols hidden in a fuel tank"' in page


def test_invalid_case_form_explains_and_keeps_what_was_typed(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    login("moderator")
    data = case_form(title="", protocol_articles="5, five", reason="", region="Atlantis",
                     decision_date="14/06/2019", facts="Typed facts stay here.")  # fmt: skip
    response = client.post("/cases/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The case was not saved" in page
    assert "Give article numbers from 1 to 100" in page
    assert "Say why you make this change." in page
    assert "Not a valid choice" in page
    assert "Give the date as YYYY-MM-DD." in page
    assert "Typed facts stay here." in page and 'value="5, five"' in page
    assert _case(app) is None


def test_duplicate_or_reserved_slug_is_refused(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    login("moderator")
    assert client.post("/cases/new", data=case_form()).status_code == 302
    again = client.post("/cases/new", data=case_form(title="Another"))
    assert again.status_code == 409
    assert "already exists" in again.get_data(as_text=True)
    assert 'value="Another"' in again.get_data(as_text=True)
    reserved = client.post("/cases/new", data=case_form(slug="curate"))
    assert reserved.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(CaseDigest.title)) == "Pistols hidden in a fuel tank"


def test_submitted_draft_is_published_by_another_moderator(
    app: Flask, client: FlaskClient, login: User_, make_user: User_, client_for: ClientFor
) -> None:
    """The two-person rule: the author of a draft cannot publish it while another moderator
    exists; the queue says whom it waits on, and the other moderator publishes it."""
    login("moderator")
    second = make_user("moderator", display_name="Second Reviewer")
    client.post("/cases/new", data=case_form())
    assert client.post("/cases/fuel-tank-courier/submit").status_code == 302
    with app.app_context():
        item = db.session.scalar(select(ReviewItem).where(ReviewItem.kind == "case_draft"))
        assert item is not None and item.status == "open"
        item_id = item.id
    queue = client.get("/moderation/?kind=case_draft").get_data(as_text=True)
    assert "Publish case: Pistols hidden in a fuel tank" in queue
    assert "<td>Second Reviewer</td>" in queue
    shown = client.get(f"/moderation/items/{item_id}").get_data(as_text=True)
    assert "A courier carried pistols across the border" in shown
    assert "waiting on Second Reviewer" in shown and 'value="approve"' not in shown
    own = client.post(f"/moderation/items/{item_id}", data={"decision": "approve"})
    assert own.status_code == 403 and "another moderator must decide it" in own.get_data(
        as_text=True
    )
    forced = client.post(
        f"/moderation/items/{item_id}",
        data={"decision": "approve", "confirm_self": "y", "reason": "In a hurry"},
    )
    assert forced.status_code == 403
    assert _case(app).status == "draft"  # type: ignore[union-attr]
    response = client_for(second).post(f"/moderation/items/{item_id}", data={"decision": "approve"})
    assert response.status_code == 302
    case = _case(app)
    assert case is not None and case.status == "published"
    assert [r.reason for r in _revisions(app)] == ["First version", "Published"]
    assert _actions(app) == ["case.create", "case.submit", "case.publish"]
    with app.app_context():
        assert db.session.get(ReviewItem, item_id).status == "closed"  # type: ignore[union-attr]
    assert client.post("/cases/fuel-tank-courier/submit").status_code == 409


def test_the_sole_moderator_publishes_their_own_draft_with_a_reason(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    moderator = login("moderator")
    client.post("/cases/new", data=case_form())
    client.post("/cases/fuel-tank-courier/submit")
    with app.app_context():
        item_id = db.session.scalar(select(ReviewItem.id))
    shown = client.get(f"/moderation/items/{item_id}").get_data(as_text=True)
    assert "you are the only moderator" in shown and 'name="confirm_self"' in shown
    unconfirmed = client.post(
        f"/moderation/items/{item_id}", data={"decision": "approve", "reason": "Only one of us"}
    )
    assert unconfirmed.status_code == 400
    assert "tick the confirmation and give a reason" in unconfirmed.get_data(as_text=True)
    assert _case(app).status == "draft"  # type: ignore[union-attr]
    done = client.post(
        f"/moderation/items/{item_id}",
        data={"decision": "approve", "confirm_self": "y", "reason": "Only one of us"},
    )
    assert done.status_code == 302 and _case(app).status == "published"  # type: ignore[union-attr]
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "review.self_approved")
        )
        assert entry is not None
        assert (entry.actor_id, entry.target_type, entry.reason) == (
            moderator.id,
            "case",
            "Only one of us",
        )


def test_rejecting_a_draft_needs_a_reason_and_keeps_it_a_draft(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    login("moderator")
    client.post("/cases/new", data=case_form())
    client.post("/cases/fuel-tank-courier/submit")
    with app.app_context():
        item_id = db.session.scalar(select(ReviewItem.id))
    refused = client.post(f"/moderation/items/{item_id}", data={"decision": "reject"})
    assert refused.status_code == 400
    assert "Give a reason" in refused.get_data(as_text=True)
    done = client.post(
        f"/moderation/items/{item_id}", data={"decision": "reject", "reason": "Sources missing"}
    )
    assert done.status_code == 302
    case = _case(app)
    assert case is not None and case.status == "draft"
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.reject"))
        assert entry is not None and entry.reason == "Sources missing"


def test_edit_of_a_published_case_is_a_live_revision_and_logged(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    moderator = login("moderator")
    client.post("/cases/new", data=case_form())
    client.post("/cases/fuel-tank-courier/submit")
    with app.app_context():
        item_id = db.session.scalar(select(ReviewItem.id))
    client.post(
        f"/moderation/items/{item_id}",
        data={"decision": "approve", "confirm_self": "y", "reason": "Sole moderator"},
    )
    edited = case_form(title="Pistols in a fuel tank", facts="New facts.", reason="Shorter title")
    response = client.post("/cases/fuel-tank-courier/edit", data=edited)
    assert response.status_code == 302
    case = _case(app)
    assert (
        case is not None and case.status == "published" and case.title == "Pistols in a fuel tank"
    )
    last = _revisions(app)[-1]
    assert (last.number, last.author_id, last.reason) == (3, moderator.id, "Shorter title")
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.edit"))
        assert entry is not None and entry.reason == "Shorter title"
        assert '"changed": ["body", "title"]' in entry.details
    same = client.post("/cases/fuel-tank-courier/edit", data=edited)
    assert same.status_code == 400
    assert "Nothing was changed" in same.get_data(as_text=True)
    assert len(_revisions(app)) == 3


def test_slug_cannot_be_changed_by_an_edit(app: Flask, client: FlaskClient, login: User_) -> None:
    login("moderator")
    client.post("/cases/new", data=case_form())
    client.post(
        "/cases/fuel-tank-courier/edit", data=case_form(slug="other", title="T2", reason="r")
    )
    assert _case(app, "other") is None
    case = _case(app)
    assert case is not None and case.title == "T2"


def test_case_page_offers_curator_links_to_moderators_only(
    client: FlaskClient, login: User_, make_user: User_, client_for: ClientFor
) -> None:
    login("moderator")
    client.post("/cases/new", data=case_form(restricted=None))
    page = client.get("/cases/fuel-tank-courier").get_data(as_text=True)
    assert 'href="/cases/fuel-tank-courier/edit"' in page
    practitioner = client_for(make_user("practitioner"))
    assert practitioner.get("/cases/fuel-tank-courier").status_code == 404  # still a draft
    assert practitioner.get("/cases/curate").status_code == 403


def test_curation_pages_run_a_fixed_number_of_queries(
    app: Flask, client: FlaskClient, login: User_, count_queries: Any
) -> None:
    login("moderator")
    client.post("/cases/new", data=case_form())
    with count_queries() as one:
        client.get("/cases/fuel-tank-courier/history")
    with count_queries() as curate_one:
        client.get("/cases/curate")
    for number in range(2, 6):
        edited = case_form(title=f"Title {number}", reason=f"Edit {number}")
        assert client.post("/cases/fuel-tank-courier/edit", data=edited).status_code == 302
        client.post("/cases/new", data=case_form(slug=f"other-{number}"))
    with count_queries() as five:
        page = client.get("/cases/fuel-tank-courier/history").get_data(as_text=True)
    with count_queries() as curate_five:
        client.get("/cases/curate")
    assert "Edit 5" in page and five.count == one.count
    assert curate_five.count == curate_one.count


def test_links_to_unknown_modules_or_cases_are_refused(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    login("moderator")
    unknown = case_form(modules="no-such-module", commentary="See [[case:no-such-case]].")
    response = client.post("/cases/new", data=unknown)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "unknown course module &#39;no-such-module&#39;" in page
    assert "links to an unknown case &#39;no-such-case&#39;" in page
    assert "See [[case:no-such-case]]." in page  # what was typed is still there
    assert _case(app) is None
    client.post("/cases/new", data=case_form(slug="first-case"))
    linked = case_form(commentary="Compare [[case:first-case]].")
    assert client.post("/cases/new", data=linked).status_code == 302


def test_a_save_over_someone_elses_newer_revision_is_refused_once(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    login("moderator")
    client.post("/cases/new", data=case_form())
    page = client.get("/cases/fuel-tank-courier/edit").get_data(as_text=True)
    assert 'name="base_revision" type="hidden" value="1"' in page
    first = case_form(title="Colleague's title", reason="Colleague", base_revision="1")
    assert client.post("/cases/fuel-tank-courier/edit", data=first).status_code == 302
    mine = case_form(title="My title", facts="My facts.", reason="Mine", base_revision="1")
    refused = client.post("/cases/fuel-tank-courier/edit", data=mine)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Revision 2 of this case was saved after you opened it" in text
    assert "My facts." in text and 'type="hidden" value="2"' in text
    case = _case(app)
    assert case is not None and case.title == "Colleague's title"
    again = client.post("/cases/fuel-tank-courier/edit", data={**mine, "base_revision": "2"})
    assert again.status_code == 302
    case = _case(app)
    assert case is not None and case.title == "My title"


def test_the_submitter_learns_of_the_decision_and_its_reason(
    app: Flask, client: FlaskClient, login: User_, make_user: User_, client_for: ClientFor
) -> None:
    login("moderator")
    client.post("/cases/new", data=case_form())
    client.post("/cases/fuel-tank-courier/submit")
    reviewer = client_for(make_user("moderator"))
    with app.app_context():
        item_id = db.session.scalar(select(ReviewItem.id))
    reason = {"decision": "reject", "reason": "Add the sentence of the courier"}
    assert reviewer.post(f"/moderation/items/{item_id}", data=reason).status_code == 302
    notes = client.get("/notifications").get_data(as_text=True)
    assert "Your case draft was sent back: Pistols hidden in a fuel tank" in notes
    page = client.get("/cases/fuel-tank-courier/edit").get_data(as_text=True)
    assert "A moderator sent this draft back" in page
    assert "Reason: Add the sentence of the courier" in page


def test_a_composite_saved_with_a_full_date_or_a_court_name_is_refused(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    login("moderator")
    dated = client.post("/cases/new", data=case_form(decision_date="2021-05-04"))
    assert dated.status_code == 400
    assert "an illustrative case gives &#39;decision_year&#39;, not a full" in dated.get_data(
        as_text=True
    )
    named = client.post("/cases/new", data=case_form(court="Audiencia Provincial"))
    assert named.status_code == 400
    assert "an illustrative case names no court" in named.get_data(as_text=True)
    real = client.post(
        "/cases/new",
        data=case_form(illustrative=None, decision_date="2021-05-04", decision_year=None,
                       court="Audiencia Provincial"),
    )  # fmt: skip
    assert real.status_code == 302
    case = _case(app)
    assert case is not None
    assert (str(case.decision_date), case.decision_year) == ("2021-05-04", 2021)
