"""Members' forum profiles: what they show, what a member hides, and `@handle` links in posts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.db import db
from app.forum.models import LibraryEntry, MemberProfile, Topic
from tests.conftest import ClientFor
from tests.forum.factory import MakeReply, MakeTopic

MakeUser = Callable[..., User]


def test_profile_shows_role_joined_recent_posts_and_chosen_details(
    app: Flask, client_for: ClientFor, make_user: MakeUser, make_topic: MakeTopic
) -> None:
    member = make_user("practitioner", display_name="Ana Ortiz", country="Chile")
    _, post_id = make_topic(member, title="Marking on imported frames")
    viewer = client_for(make_user("practitioner"))
    page = viewer.get(f"/forum/u/{member.id}").get_data(as_text=True)
    assert "<h1>Ana Ortiz</h1>" in page
    assert "Practitioner" in page
    assert "Marking on imported frames" in page
    assert f"/forum/p/{post_id}" in page
    assert "Chile" not in page  # not chosen yet
    owner = client_for(member)
    response = owner.post(
        "/forum/preferences/profile", data={"organisation_type": "customs", "show_country": "y"}
    )
    assert response.status_code == 302
    page = viewer.get(f"/forum/u/{member.id}").get_data(as_text=True)
    assert "Customs or border agency" in page
    assert "Chile" in page
    with app.app_context():
        profile = db.session.get(MemberProfile, member.id)
        assert profile is not None and profile.organisation_type == "customs"


def test_hidden_profile_shows_only_the_name_to_other_members(
    client_for: ClientFor, make_user: MakeUser, make_topic: MakeTopic
) -> None:
    member = make_user("practitioner", display_name="Hidden Person", country="Kenya")
    make_topic(member, title="A topic by a private member")
    owner = client_for(member)
    owner.post(
        "/forum/preferences/profile",
        data={"organisation_type": "police", "show_country": "y", "hidden": "y"},
    )
    other = client_for(make_user("practitioner")).get(f"/forum/u/{member.id}")
    text = other.get_data(as_text=True)
    assert "Hidden Person" in text
    assert "keeps their profile details private" in text
    for detail in ("Kenya", "Police", "A topic by a private member", "Joined"):
        assert detail not in text
    moderator = client_for(make_user("moderator")).get(f"/forum/u/{member.id}")
    assert "Kenya" in moderator.get_data(as_text=True)
    own = owner.get(f"/forum/u/{member.id}").get_data(as_text=True)
    assert "Your details are hidden from other members." in own
    assert "checked" in owner.get("/forum/preferences").get_data(as_text=True)


def test_recent_posts_leave_out_posts_the_viewer_may_not_see(
    app: Flask,
    client_for: ClientFor,
    make_user: MakeUser,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    member = make_user("practitioner")
    make_topic(member, title="An open discussion")
    hidden_topic, _ = make_topic(member, title="A topic moderators hid")
    with app.app_context():
        topic = db.session.get(Topic, hidden_topic)
        assert topic is not None
        topic.status = "hidden"
        db.commit()
    page = client_for(make_user("practitioner")).get(f"/forum/u/{member.id}")
    text = page.get_data(as_text=True)
    assert "An open discussion" in text
    assert "A topic moderators hid" not in text


def test_good_practices_from_the_members_posts_are_listed(
    app: Flask, client_for: ClientFor, make_user: MakeUser, make_topic: MakeTopic
) -> None:
    member = make_user("practitioner")
    topic_id, post_id = make_topic(member)
    with app.app_context():
        db.session.add(
            LibraryEntry(
                slug="joint-tracing-requests", title="Joint tracing requests", summary="S" * 30,
                source_topic_id=topic_id, source_post_id=post_id, by_id=None,
            )
        )  # fmt: skip
        db.commit()
    page = client_for(make_user("practitioner")).get(f"/forum/u/{member.id}")
    assert "Joint tracing requests" in page.get_data(as_text=True)


def test_a_trainee_has_no_forum_profile(client_for: ClientFor, make_user: MakeUser) -> None:
    trainee = make_user("trainee")
    response = client_for(make_user("practitioner")).get(f"/forum/u/{trainee.id}")
    assert response.status_code == 404


def test_unknown_organisation_type_is_refused(
    client: FlaskClient, login: MakeUser, app: Flask
) -> None:
    user = login("practitioner")
    response = client.post("/forum/preferences/profile", data={"organisation_type": "spies"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(MemberProfile, user.id) is None


def test_author_names_and_mentions_link_to_profiles(
    app: Flask,
    client_for: ClientFor,
    make_user: MakeUser,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner", display_name="Jane Example")
    named = make_user("practitioner", display_name="Omar Haddad")
    make_user("trainee", display_name="Not Member")
    topic_id, _ = make_topic(author)
    make_reply(
        author,
        topic_id,
        body="Thanks @Omar_Haddad. Also `@Omar_Haddad` in code, @Not_Member, @Nobody_Here "
        "and [a link @Omar_Haddad](https://example.org). Mail omar@example.org.",
    )
    page = client_for(make_user("practitioner")).get(f"/forum/t/{topic_id}")
    text = page.get_data(as_text=True)
    assert f'<a href="/forum/u/{author.id}">Jane Example</a>' in text
    link = f'<a href="/forum/u/{named.id}" class="mention">@Omar_Haddad</a>'
    assert text.count(link) == 1
    assert "<code>@Omar_Haddad</code>" in text
    assert "@Not_Member" in text and "/forum/u/" + str(named.id + 1) not in text
    assert "@Nobody_Here" in text
    assert "omar@example.org" in text


def test_mentions_cost_one_query_per_page(
    app: Flask,
    client_for: ClientFor,
    make_user: MakeUser,
    make_topic: MakeTopic,
    make_reply: MakeReply,
    count_queries: Callable[[], Any],
) -> None:
    author = make_user("practitioner")
    names = [make_user("practitioner", display_name=f"Named Person{i}") for i in range(4)]
    topic_id, _ = make_topic(author)
    reader = client_for(make_user("practitioner"))

    def queries() -> int:
        with count_queries() as counter:
            assert reader.get(f"/forum/t/{topic_id}").status_code == 200
        return len(counter.statements)

    make_reply(author, topic_id, body=f"Hello @{names[0].display_name.replace(' ', '_')}")
    first = queries()
    for person in names[1:]:
        make_reply(author, topic_id, body=f"Hello @{person.display_name.replace(' ', '_')}")
    assert queries() == first
