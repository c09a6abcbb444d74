"""Permission decisions for forum moderation, flags, sanctions, watched words, search, library.

Reading, searching, flagging and nominating are for practitioners and above; post and topic
tools, restrictions and library curation for moderators; watched words for administrators.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from app.accounts.models import User
from app.accounts.services import users as accounts
from app.core.db import db
from app.core.time import utcnow
from app.forum.models import Category, WatchedWord
from app.forum.services import library
from app.forum.services import posts as services
from app.moderation.services import sanctions
from tests.permissions import RouteCase, World, at_least

PASSWORD = "correct horse battery staple"


def build(world: World) -> None:
    category = Category(name="Moderation checks", slug="perm-moderation", position=9)
    db.session.add(category)
    db.session.flush()
    member = accounts.create_user("perm-member@example.org", "Perm Member", PASSWORD,
                                  role=accounts.Role.PRACTITIONER, confirmed=True)  # fmt: skip
    admin = db.session.get(User, world["users"]["admin"].id)
    assert admin is not None
    first = services.create_topic(member, category, "Moderation matrix topic", "Opening text.")
    reply = services.reply(member, first.topic, "A reply to flag and nominate.")
    other = services.reply(member, first.topic, "A reply for the moderator tools.")
    promoted = library.nominate(member, first, "Worth keeping.")
    entry = library.promote(
        admin,
        promoted.id,
        library.EntryFields(title="Matrix practice", summary="A summary long enough to keep."),
    )
    waiting = library.nominate(admin, reply, "Also worth keeping.")
    sanction = sanctions.impose(admin, member.id, "silence", utcnow() + timedelta(days=3), "Test")
    word = WatchedWord(pattern="matrixword", action="review")
    db.session.add(word)
    db.session.flush()
    world.update(
        mod_topic=first.topic_id,
        mod_reply=reply.id,
        mod_other=other.id,
        mod_member=member.id,
        mod_entry=entry.slug,
        mod_entry_id=entry.id,
        mod_nomination=waiting.id,
        mod_sanction=sanction.id,
        mod_word=word.id,
    )


def _url(template: str) -> Callable[[World], str]:
    return lambda w: template.format(**w)


MODS, ADMINS, MEMBERS = "moderator", "admin", "practitioner"

CASES = [
    RouteCase("forum.search", "/forum/search?q=matrix", at_least(MEMBERS)),
    RouteCase("forum.search", "/forum/search?q=%22unbalanced", at_least(MEMBERS)),
    RouteCase("forum.library_index", "/forum/library?tag=x&q=practice", at_least(MEMBERS)),
    RouteCase("forum.library_entry", _url("/forum/library/{mod_entry}"), at_least(MEMBERS)),
    RouteCase("forum.library_entry", "/forum/library/no-such-entry", at_least(MEMBERS, 404)),
    RouteCase("forum.library_entry_by_id", _url("/forum/library/e/{mod_entry_id}"),
              at_least(MEMBERS, 302)),
    RouteCase("forum.nominate", _url("/forum/p/{mod_reply}/nominate"), at_least(MEMBERS)),
    RouteCase("forum.nominate", _url("/forum/p/{mod_reply}/nominate"), at_least(MEMBERS, 409),
              "POST", {"note": "Again"}),
    RouteCase("forum.flag_post", _url("/forum/p/{mod_reply}/flag"), at_least(MEMBERS)),
    RouteCase("forum.flag_post", _url("/forum/p/{mod_reply}/flag"), at_least(MEMBERS, 400),
              "POST", {"reason": "other"}),
    RouteCase("forum.flag_post", _url("/forum/p/{mod_reply}/flag"), at_least(MEMBERS, 302),
              "POST", {"reason": "spam"}),
    RouteCase("forum.promote", _url("/forum/library/promote/{mod_nomination}"), at_least(MODS)),
    RouteCase("forum.promote", _url("/forum/library/promote/{mod_nomination}"),
              at_least(MODS, 400), "POST", {"title": "x"}),
    RouteCase("forum.edit_library_entry", _url("/forum/library/{mod_entry}/edit"),
              at_least(MODS)),
    RouteCase("forum.edit_library_entry", _url("/forum/library/{mod_entry}/edit"),
              at_least(MODS, 400), "POST", {"title": ""}),
    RouteCase("forum.remove_library_entry", _url("/forum/library/{mod_entry}/remove"),
              at_least(MODS, 302), "POST", {"remove-reason": "Matrix"}),
    RouteCase("forum.moderate_post", _url("/forum/p/{mod_other}/moderate"), at_least(MODS)),
    RouteCase("forum.moderate_post", _url("/forum/p/{mod_other}/moderate"),
              at_least(MODS, 400), "POST", {"action": "hide"}),
    RouteCase("forum.moderate_post", _url("/forum/p/{mod_other}/moderate"),
              at_least(MODS, 302), "POST", {"action": "hide", "reason": "Matrix"}),
    RouteCase("forum.moderate_post", "/forum/p/999999/moderate", at_least(MODS, 404)),
    RouteCase("forum.moderate_topic", _url("/forum/t/{mod_topic}/moderate"), at_least(MODS)),
    RouteCase("forum.moderate_topic", _url("/forum/t/{mod_topic}/moderate"),
              at_least(MODS, 302), "POST", {"action": "pin"}),
    RouteCase("forum.member_restrictions", _url("/forum/members/{mod_member}/restrictions"),
              at_least(MODS)),
    RouteCase("forum.member_restrictions", _url("/forum/members/{mod_member}/restrictions"),
              at_least(MODS, 400), "POST", {"kind": "suspend", "ends_at": "2999-01-01"}),
    RouteCase("forum.member_restrictions", "/forum/members/999999/restrictions",
              at_least(MODS, 404)),
    RouteCase("forum.lift_restriction", _url("/forum/restrictions/{mod_sanction}/lift"),
              at_least(MODS, 302), "POST", {"reason": "Matrix"}),
    RouteCase("forum_admin.watched_word_list", "/forum/admin/watched-words", at_least(ADMINS)),
    RouteCase("forum_admin.watched_word_list", "/forum/admin/watched-words",
              at_least(ADMINS, 302), "POST", {"pattern": "another", "action": "block"}),
    RouteCase("forum_admin.watched_word_list", "/forum/admin/watched-words",
              at_least(ADMINS, 400), "POST", {"pattern": "", "action": "block"}),
    RouteCase("forum_admin.remove_watched_word",
              _url("/forum/admin/watched-words/{mod_word}/delete"), at_least(ADMINS, 302), "POST"),
]  # fmt: skip
