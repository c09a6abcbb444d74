"""Good practices: nominate a post, promote it into a library entry or decline; the library page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.core.models import AuditEntry
from app.forum.models import GoodPracticeNomination, LibraryEntry
from tests.conftest import ClientFor
from tests.forum.factory import MakeReply, MakeThread, MakeTopic
from tests.forum.moderation_helpers import audit_rows, notification_titles, open_review_items

User_ = Callable[..., User]
SUMMARY = "Check the **courier manifest** against declared contents before x-ray screening."


@pytest.fixture
def practice(make_thread: MakeThread) -> tuple[int, int, User]:
    """A reply worth keeping in the library: (topic id, reply id, author)."""
    return make_thread(
        "Practice Author", "We compare manifests first.", title="Courier parcel screening"
    )


def _nominate(app: Flask, session: FlaskClient, post_id: int, note: str = "Useful") -> int:
    assert session.post(f"/forum/p/{post_id}/nominate", data={"note": note}).status_code == 302
    with app.app_context():
        nomination_id = db.session.scalar(
            select(GoodPracticeNomination.id).order_by(GoodPracticeNomination.id.desc())
        )
    assert nomination_id is not None
    return int(nomination_id)


def test_nomination_is_promoted_into_a_library_entry(
    app: Flask, make_user: User_, client_for: ClientFor, practice: tuple[int, int, User]
) -> None:
    topic_id, post_id, author = practice
    nominator = make_user("practitioner")
    nomination_id = _nominate(app, client_for(nominator), post_id, "Saves hours")
    [(item_id, target, _)] = open_review_items(app, "nomination")
    assert target == nomination_id
    mod = client_for(make_user("moderator"))
    item = mod.get(f"/moderation/items/{item_id}").get_data(as_text=True)
    assert "Saves hours" in item and "Write the library entry" in item
    draft = mod.get(f"/forum/library/promote/{nomination_id}").get_data(as_text=True)
    assert "Courier parcel screening" in draft and "We compare manifests first." in draft

    bad = mod.post(f"/forum/library/promote/{nomination_id}", data={"title": "Manifests",
                   "summary": SUMMARY, "cases": "Bad_Slug!"})  # fmt: skip
    assert bad.status_code == 400 and "not a valid case digest identifier" in bad.get_data(
        as_text=True
    )
    response = mod.post(
        f"/forum/library/promote/{nomination_id}",
        data={"title": "Manifest checks before x-ray", "summary": SUMMARY,
              "tags": "Postal detection, couriers, postal detection"},
    )  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(LibraryEntry))
        assert entry is not None
        assert (entry.tags, entry.source_topic_id, entry.source_post_id) == (
            "postal detection, couriers", topic_id, post_id,
        )  # fmt: skip
        slug, entry_id = entry.slug, entry.id
    assert response.headers["Location"].endswith(f"/forum/library/{slug}")
    assert open_review_items(app, "nomination") == []
    assert audit_rows(app, "forum.library.promote")[0]["target_id"] == str(entry_id)
    for user in (nominator, author):
        assert any("good-practice library" in t for t in notification_titles(app, user.id))

    reader = client_for(make_user("practitioner"))
    page = reader.get(f"/forum/library/{slug}").get_data(as_text=True)
    assert "<strong>courier manifest</strong>" in page
    assert f'href="/forum/p/{post_id}"' in page and "postal detection" in page
    listing = reader.get("/forum/library").get_data(as_text=True)
    assert "Manifest checks before x-ray" in listing


def test_declining_needs_a_reason_which_the_nominator_is_told(
    app: Flask, make_user: User_, client_for: ClientFor, practice: tuple[int, int, User]
) -> None:
    _, post_id, _ = practice
    nominator = make_user("practitioner")
    nomination_id = _nominate(app, client_for(nominator), post_id)
    [(item_id, _, _)] = open_review_items(app, "nomination")
    mod = client_for(make_user("moderator"))
    assert mod.post(f"/moderation/items/{item_id}", data={"decision": "decline"}).status_code == 400
    mod.post(f"/moderation/items/{item_id}", data={"decision": "decline", "reason": "Too local"})
    with app.app_context():
        nomination = db.session.get(GoodPracticeNomination, nomination_id)
        assert nomination is not None and nomination.status == "declined"
    assert any("Too local" in t for t in notification_titles(app, nominator.id))
    assert audit_rows(app, "forum.nomination.decline")[0]["reason"] == "Too local"
    assert mod.get(f"/forum/library/promote/{nomination_id}").status_code == 409


def test_a_post_is_nominated_once_at_a_time(
    app: Flask, make_user: User_, client_for: ClientFor, practice: tuple[int, int, User]
) -> None:
    _, post_id, _ = practice
    _nominate(app, client_for(make_user("practitioner")), post_id)
    second = client_for(make_user("practitioner")).post(
        f"/forum/p/{post_id}/nominate", data={"note": ""}
    )
    assert second.status_code == 409 and "already been nominated" in second.get_data(as_text=True)


def test_members_cannot_promote_or_edit_entries(
    app: Flask, make_user: User_, client_for: ClientFor, practice: tuple[int, int, User]
) -> None:
    _, post_id, _ = practice
    member = client_for(make_user("practitioner"))
    nomination_id = _nominate(app, member, post_id)
    data = {"title": "Manifest checks", "summary": SUMMARY}
    assert member.get(f"/forum/library/promote/{nomination_id}").status_code == 403
    assert member.post(f"/forum/library/promote/{nomination_id}", data=data).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(LibraryEntry.id)) is None


def test_library_is_searchable_by_words_and_tags(
    app: Flask,
    make_user: User_,
    client_for: ClientFor,
    make_topic: MakeTopic,
    make_reply: MakeReply,
    practice: tuple[int, int, User],
) -> None:
    _, post_id, _ = practice
    topic2, _ = make_topic(make_user("practitioner"), title="Dark web test purchases")
    other_post = make_reply(make_user("practitioner"), topic2, "Controlled buys online.")
    mod = client_for(make_user("moderator"))
    entries = [
        (post_id, "Manifest checks before x-ray", SUMMARY, "postal detection"),
        (other_post, "Controlled online purchases", "Agree test purchases with the prosecutor "
         "before any contact with vendors.", "online trafficking, prosecution"),
    ]  # fmt: skip
    nominator = client_for(make_user("practitioner"))
    for source, title, summary, tags in entries:
        nomination_id = _nominate(app, nominator, source)
        mod.post(f"/forum/library/promote/{nomination_id}",
                 data={"title": title, "summary": summary, "tags": tags})  # fmt: skip
    reader = client_for(make_user("practitioner"))
    found = reader.get("/forum/library?q=prosecutors").get_data(as_text=True)
    assert "Controlled online purchases" in found and "Manifest checks" not in found
    tagged = reader.get("/forum/library?tag=postal+detection").get_data(as_text=True)
    assert "Manifest checks before x-ray" in tagged and "Controlled online" not in tagged
    everything = reader.get("/forum/library").get_data(as_text=True)
    assert "online trafficking (1)" in everything and "postal detection (1)" in everything
    broken = reader.get('/forum/library?q="unbalanced (')
    assert broken.status_code == 200


def test_moderator_edits_and_removes_an_entry(
    app: Flask, make_user: User_, client_for: ClientFor, practice: tuple[int, int, User]
) -> None:
    _, post_id, _ = practice
    mod = client_for(make_user("moderator"))
    nomination_id = _nominate(app, client_for(make_user("practitioner")), post_id)
    mod.post(f"/forum/library/promote/{nomination_id}",
             data={"title": "Manifest checks", "summary": SUMMARY})  # fmt: skip
    with app.app_context():
        slug = db.session.scalar(select(LibraryEntry.slug))
    edited = mod.post(f"/forum/library/{slug}/edit", data={"title": "Manifest checks, revised",
                      "summary": SUMMARY, "tags": "couriers", "reason": "Clearer"})  # fmt: skip
    assert edited.status_code == 302
    assert "Manifest checks, revised" in mod.get(f"/forum/library/{slug}").get_data(as_text=True)
    assert mod.post(f"/forum/library/{slug}/remove", data={}).status_code == 400
    removed = mod.post(f"/forum/library/{slug}/remove", data={"remove-reason": "Outdated"})
    assert removed.status_code == 302
    assert mod.get(f"/forum/library/{slug}").status_code == 404
    assert audit_rows(app, "forum.library.edit")[0]["reason"] == "Clearer"
    assert audit_rows(app, "forum.library.remove")[0]["reason"] == "Outdated"


def test_a_moderator_does_not_promote_their_own_nomination(
    app: Flask, make_user: User_, client_for: ClientFor, practice: tuple[int, int, User]
) -> None:
    """The two-person rule for good practices: the nominator may not add it to the library
    while another moderator exists; alone, only with a reason, recorded as self-approved."""
    _, post_id, _ = practice
    author = make_user("moderator", display_name="Nominating Moderator")
    nominating = client_for(author)
    nomination_id = _nominate(app, nominating, post_id)
    other = make_user("moderator", display_name="Other Moderator")
    page = nominating.get(f"/forum/library/promote/{nomination_id}").get_data(as_text=True)
    assert "another moderator must add it" in page and "Add to the library" not in page
    refused = nominating.post(f"/forum/library/promote/{nomination_id}",
                              data={"title": "Manifest checks", "summary": SUMMARY,
                                    "reason": "Mine", "confirm_self": "y"})  # fmt: skip
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(LibraryEntry.id))) == 0
    queue = nominating.get("/moderation/?kind=nomination").get_data(as_text=True)
    assert "<td>Other Moderator</td>" in queue
    with app.app_context():  # the other moderator leaves: the nominator is the only one
        db.session.get(User, other.id).role = "practitioner"  # type: ignore[union-attr]
        db.session.commit()
    form = {"title": "Manifest checks", "summary": SUMMARY}
    unconfirmed = nominating.post(f"/forum/library/promote/{nomination_id}", data=form)
    assert unconfirmed.status_code == 400
    done = nominating.post(f"/forum/library/promote/{nomination_id}",
                           data={"title": "Manifest checks", "summary": SUMMARY,
                                 "reason": "Only moderator", "confirm_self": "y"})  # fmt: skip
    assert done.status_code == 302
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "review.self_approved")
        )
        assert entry is not None and (entry.actor_id, entry.reason) == (author.id, "Only moderator")
