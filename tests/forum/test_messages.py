"""Private messages: one-to-one and group conversations, who may read them, flags reviewed by
moderators through the queue, blocks, and notifications without the text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core import hooks
from app.core.db import db
from app.core.models import AuditEntry, Notification
from app.forum.message_models import ConversationMember, Message, MessageBlock
from tests.conftest import ClientFor, Outbox
from tests.forum.moderation_helpers import open_review_items

MakeUser = Callable[..., User]


def _send(client: FlaskClient, to: str, subject: str = "Serial numbers", body: str = "") -> Any:
    return client.post(
        "/forum/messages/new",
        data={"to": to, "subject": subject, "body": body or "Can we compare the markings?"},
    )


def _conversation_id(response: Any) -> int:
    found = re.search(r"/forum/messages/(\d+)", response.headers["Location"])
    assert found is not None
    return int(found.group(1))


def test_one_to_one_conversation_is_read_only_by_its_members(
    app: Flask, client_for: ClientFor, make_user: MakeUser, outbox: Outbox
) -> None:
    sender = make_user("practitioner", display_name="Ana Ortiz")
    recipient = make_user("practitioner", display_name="Omar Haddad")
    sent = _send(client_for(sender), "@Omar_Haddad", body="The frame was re-stamped twice.")
    assert sent.status_code == 302
    conversation_id = _conversation_id(sent)
    reader = client_for(recipient)
    assert "Private messages" in reader.get("/forum/messages").get_data(as_text=True)
    assert "Unread" in reader.get("/forum/messages").get_data(as_text=True)
    page = reader.get(f"/forum/messages/{conversation_id}").get_data(as_text=True)
    assert "The frame was re-stamped twice." in page
    assert "Unread" not in reader.get("/forum/messages").get_data(as_text=True)
    for outsider in ("practitioner", "moderator", "admin"):
        other = client_for(make_user(outsider))
        assert other.get(f"/forum/messages/{conversation_id}").status_code == 404
        assert (
            other.post(f"/forum/messages/{conversation_id}", data={"body": "x"}).status_code == 404
        )
    replied = reader.post(f"/forum/messages/{conversation_id}", data={"body": "Send me photos."})
    assert replied.status_code == 302
    with app.app_context():
        bodies = list(db.session.scalars(select(Message.body).order_by(Message.id)))
        notes = list(
            db.session.scalars(select(Notification).where(Notification.kind == "forum.message"))
        )
    assert bodies == ["The frame was re-stamped twice.", "Send me photos."]
    assert {n.user_id for n in notes} == {sender.id, recipient.id}
    assert all(n.title.endswith("sent you a private message") for n in notes)
    assert all("Serial" not in n.title for n in notes)
    mails = [m for m in outbox.messages() if "private message" in m["Subject"]]
    assert {m["To"] for m in mails} == {sender.email, recipient.email}
    for mail in mails:
        text = mail["Subject"] + mail.get_payload(decode=True).decode()
        assert "/forum/messages/" in text
        assert "re-stamped" not in text and "photos" not in text and "Serial numbers" not in text


def test_group_conversation_up_to_ten_members(
    app: Flask, client_for: ClientFor, make_user: MakeUser
) -> None:
    sender = make_user("practitioner", display_name="Group Starter")
    names = [f"Member_{n}" for n in range(10)]
    for name in names:
        make_user("practitioner", display_name=name.replace("_", " "))
    too_many = _send(client_for(sender), ", ".join(f"@{n}" for n in names))
    assert too_many.status_code == 400
    assert "at most 10 members" in too_many.get_data(as_text=True)
    sent = _send(client_for(sender), ", ".join(f"@{n}" for n in names[:3]))
    assert sent.status_code == 302
    with app.app_context():
        members = db.session.scalars(
            select(ConversationMember.user_id).where(
                ConversationMember.conversation_id == _conversation_id(sent)
            )
        ).all()
    assert len(members) == 4


def test_unknown_handles_and_trainees_are_refused_with_a_message(
    client_for: ClientFor, make_user: MakeUser
) -> None:
    make_user("trainee", display_name="Young Trainee")
    sender = client_for(make_user("practitioner"))
    refused = _send(sender, "@Young_Trainee, @Nobody_Here")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "@young_trainee" in text and "@nobody_here" in text
    assert "Can we compare the markings?" in text  # the text is kept


def test_a_blocked_member_cannot_write(
    app: Flask, client_for: ClientFor, make_user: MakeUser
) -> None:
    pest = make_user("practitioner", display_name="Pushy Person")
    target = make_user("practitioner", display_name="Quiet Person")
    sent = _send(client_for(pest), "@Quiet_Person")
    conversation_id = _conversation_id(sent)
    blocker = client_for(target)
    assert (
        blocker.post("/forum/messages/blocks", data={"handle": "@Pushy_Person"}).status_code == 302
    )
    assert "Pushy Person" in blocker.get("/forum/messages/blocks").get_data(as_text=True)
    again = _send(client_for(pest), "@Quiet_Person")
    assert again.status_code == 403
    assert "does not accept private messages from you" in again.get_data(as_text=True)
    reply = client_for(pest).post(f"/forum/messages/{conversation_id}", data={"body": "Hello?"})
    assert reply.status_code == 403
    with app.app_context():
        block_id = db.session.scalar(select(MessageBlock.id))
    assert client_for(pest).post(f"/forum/messages/blocks/{block_id}/remove").status_code == 404
    assert blocker.post(f"/forum/messages/blocks/{block_id}/remove").status_code == 302
    assert _send(client_for(pest), "@Quiet_Person").status_code == 302


def test_a_flagged_message_is_read_and_hidden_through_the_review_queue(
    app: Flask, client_for: ClientFor, make_user: MakeUser
) -> None:
    sender = make_user("practitioner", display_name="Rude Sender")
    recipient = make_user("practitioner", display_name="Careful Reader")
    sent = _send(client_for(sender), "@Careful_Reader", body="Buy my unmarked rifles.")
    conversation_id = _conversation_id(sent)
    reader = client_for(recipient)
    page = reader.get(f"/forum/messages/{conversation_id}").get_data(as_text=True)
    flag_url = re.search(r'href="(/forum/messages/m/\d+/flag)"', page)
    assert flag_url is not None
    own = client_for(sender).post(flag_url.group(1), data={"reason": "spam"})
    assert own.status_code == 400
    flagged = reader.post(flag_url.group(1), data={"reason": "spam", "note": "An advert."})
    assert flagged.status_code == 302
    [(item_id, _, summary)] = open_review_items(app, "message")
    assert "unmarked" not in summary
    moderator = client_for(make_user("moderator"))
    assert moderator.get(f"/forum/messages/{conversation_id}").status_code == 404
    item = moderator.get(f"/moderation/items/{item_id}").get_data(as_text=True)
    assert "Buy my unmarked rifles." in item and "An advert." in item
    refused = moderator.post(f"/moderation/items/{item_id}", data={"decision": "hide"})
    assert refused.status_code == 400
    moderator.post(f"/moderation/items/{item_id}", data={"decision": "hide", "reason": "Advert"})
    page = reader.get(f"/forum/messages/{conversation_id}").get_data(as_text=True)
    assert "This message was hidden by a moderator." in page
    assert "Buy my unmarked rifles." not in page
    assert open_review_items(app, "message") == []
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "forum.message.hide")
        )
        assert entry is not None and entry.reason == "Advert"


def test_inbox_queries_do_not_grow_with_conversations(
    client_for: ClientFor, make_user: MakeUser, count_queries: Callable[[], Any]
) -> None:
    owner = make_user("practitioner", display_name="Busy Member")
    reader = client_for(owner)

    def queries() -> int:
        with count_queries() as counter:
            assert reader.get("/forum/messages").status_code == 200
        return len(counter.statements)

    first_sender = make_user("practitioner")
    _send(client_for(first_sender), "@Busy_Member")
    before = queries()
    for _ in range(3):
        _send(client_for(make_user("practitioner")), "@Busy_Member")
    assert queries() == before


def test_data_export_holds_sent_messages_blocks_profile_and_helpful_marks(
    app: Flask, client_for: ClientFor, make_user: MakeUser
) -> None:
    member = make_user("practitioner", display_name="Export Member")
    make_user("practitioner", display_name="Other Member")
    client = client_for(member)
    _send(client, "@Other_Member", subject="About exports", body="My own words.")
    client.post("/forum/messages/blocks", data={"handle": "@Other_Member"})
    client.post("/forum/preferences/profile", data={"organisation_type": "police"})
    with app.app_context():
        user = db.session.get(User, member.id)
        assert user is not None
        forum = hooks.member_data(user)["forum"]
    assert forum["private_messages_sent"][0]["body"] == "My own words."
    assert forum["private_messages_sent"][0]["subject"] == "About exports"
    assert forum["blocked_members"] == ["Other Member"]
    assert forum["profile"]["organisation_type"] == "police"
    assert forum["helpful_marks"] == []


def test_a_moderator_does_not_dismiss_flags_on_their_own_message(
    app: Flask, client_for: ClientFor, make_user: MakeUser
) -> None:
    writer = make_user("moderator", display_name="Moderator Writer")
    make_user("moderator", display_name="Second Moderator")
    reader = make_user("practitioner", display_name="Message Reader")
    assert _send(client_for(writer), "@Message_Reader").status_code == 302
    with app.app_context():
        message_id = db.session.scalar(select(Message.id))
    client_for(reader).post(f"/forum/messages/m/{message_id}/flag", data={"reason": "other"})
    [(item_id, _, _)] = open_review_items(app, "message")
    queue = client_for(writer).get("/moderation/?kind=message").get_data(as_text=True)
    assert "Second Moderator" in queue  # the queue says who decides
    refused = client_for(writer).post(
        f"/moderation/items/{item_id}", data={"decision": "dismiss", "reason": "Fine"}
    )
    assert refused.status_code == 403
    assert len(open_review_items(app, "message")) == 1


def test_opening_a_conversation_clears_its_notifications(
    app: Flask, client_for: ClientFor, make_user: MakeUser
) -> None:
    make_user("practitioner", display_name="Note Sender")
    recipient = make_user("practitioner", display_name="Note Reader")
    sender = client_for(make_user("practitioner", display_name="Third Person"))
    conversation_id = _conversation_id(_send(sender, "@Note_Reader"))
    reader = client_for(recipient)
    reader.get(f"/forum/messages/{conversation_id}")
    with app.app_context():
        unread = db.session.scalars(
            select(Notification.id).where(
                Notification.user_id == recipient.id, Notification.read_at.is_(None)
            )
        ).all()
    assert unread == []


def test_conversation_page_queries_do_not_grow_with_messages(
    client_for: ClientFor, make_user: MakeUser, count_queries: Callable[[], Any]
) -> None:
    names = ["Talk One", "Talk Two", "Talk Three"]
    people = [make_user("practitioner", display_name=name) for name in names]
    starter = client_for(people[0])
    sent = _send(starter, "@Talk_Two, @Talk_Three", body="Hello @Talk_Two.")
    conversation_id = _conversation_id(sent)
    reader = client_for(people[1])

    def queries() -> int:
        with count_queries() as counter:
            assert reader.get(f"/forum/messages/{conversation_id}").status_code == 200
        return len(counter.statements)

    before = queries()
    for person in people:
        client_for(person).post(
            f"/forum/messages/{conversation_id}", data={"body": "More, and @Talk_One too."}
        )
    assert queries() == before
