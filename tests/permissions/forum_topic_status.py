"""Permission decisions for the post routes of replies inside topics a member may not open.

A topic awaiting approval is open to its author and to moderators; a topic hidden by a moderator
likewise. A reply inside such a topic follows its topic: the matrix practitioner did not open
these topics, so every post route answers 404 to them (even for a reply they wrote before the
topic was hidden), as if the post did not exist; moderators and admins get through. In the
practitioner's own topic awaiting approval, they reach their own reply like any post of theirs.
"""

from __future__ import annotations

from collections.abc import Callable

from app.accounts.models import User
from app.accounts.services import users as accounts
from app.core.db import db
from app.forum.models import Category, WatchedWord
from app.forum.services import moderation
from app.forum.services import posts as services
from tests.permissions import RouteCase, World, at_least

PASSWORD = "correct horse battery staple"
HELD = "holdformatrix"  # a "review" watched word: a new topic using it waits for approval


def build(world: World) -> None:
    category = Category(name="Topic status checks", slug="perm-topic-status", position=11)
    db.session.add_all([category, WatchedWord(pattern=HELD, action="review")])
    db.session.flush()
    member = accounts.create_user("perm-topic-author@example.org", "Perm Topic Author", PASSWORD,
                                  role=accounts.Role.PRACTITIONER, confirmed=True)  # fmt: skip
    practitioner = db.session.get(User, world["users"]["practitioner"].id)
    admin = db.session.get(User, world["users"]["admin"].id)
    assert practitioner is not None and admin is not None

    pending = services.create_topic(member, category, "A held topic", f"Opening {HELD} text.")
    pending_reply = services.reply(member, pending.topic, "A reply inside a held topic.")
    own = services.create_topic(practitioner, category, "My held topic", f"Mine, {HELD}.")
    own_reply = services.reply(practitioner, own.topic, "My reply inside my held topic.")
    hidden = services.create_topic(member, category, "A hidden topic", "Opening text.")
    hidden_reply = services.reply(practitioner, hidden.topic, "My reply, then hidden.")
    moderation.set_hidden(admin, hidden.topic_id, True, "Matrix")
    world.update(
        held_topic=pending.topic_id,
        held_reply=pending_reply.id,
        own_topic=own.topic_id,
        own_reply=own_reply.id,
        hidden_topic=hidden.topic_id,
        hidden_reply=hidden_reply.id,
    )


def _url(template: str) -> Callable[[World], str]:
    return lambda w: template.format(**w)


def _moderators_only(status: int) -> dict[str, int]:
    """Moderators and admins get through; the practitioner cannot open the topic: 404."""
    return {**at_least("moderator", status), "practitioner": 404}


def _secondary_routes(topic: str, reply: str) -> list[RouteCase]:
    """Flag, nominate, post link, history, edit, delete and quote-reply of one reply."""
    post, thread = f"/forum/p/{{{reply}}}", f"/forum/t/{{{topic}}}"
    return [
        RouteCase("forum.flag_post", _url(post + "/flag"), _moderators_only(200)),
        RouteCase("forum.nominate", _url(post + "/nominate"), _moderators_only(200)),
        RouteCase("forum.nominate", _url(post + "/nominate"), _moderators_only(302), "POST",
                  {"note": "Matrix"}),
        RouteCase("forum.post_link", _url(post), _moderators_only(302)),
        RouteCase("forum.history", _url(post + "/history"), _moderators_only(200)),
        RouteCase("forum.edit", _url(post + "/edit"), _moderators_only(200)),
        RouteCase("forum.delete", _url(post + "/delete"), _moderators_only(200)),
        RouteCase("forum.topic", _url(thread), _moderators_only(200)),
        RouteCase("forum.reply", _url(thread + "/reply?quote={" + reply + "}"),
                  _moderators_only(200)),
        # Last: a moderator's flag hides the reply at once.
        RouteCase("forum.flag_post", _url(post + "/flag"), _moderators_only(302), "POST",
                  {"reason": "spam"}),
    ]  # fmt: skip


CASES = [
    *_secondary_routes("held_topic", "held_reply"),
    *_secondary_routes("hidden_topic", "hidden_reply"),
    # The practitioner's own topic awaiting approval: they reach their own reply in it.
    RouteCase("forum.post_link", _url("/forum/p/{own_reply}"), at_least("practitioner", 302)),
    RouteCase("forum.edit", _url("/forum/p/{own_reply}/edit"), at_least("practitioner")),
    RouteCase("forum.history", _url("/forum/p/{own_reply}/history"), at_least("practitioner")),
    RouteCase("forum.reply", _url("/forum/t/{own_topic}/reply?quote={own_reply}"),
              {**at_least("practitioner"), "moderator": 200, "admin": 200}),
]  # fmt: skip
