"""Plug forum moderation into the app: review kinds, sanctions, audit links, navigation.

Importing this module also adds the moderation, search and library routes to the forum
blueprints (they must exist before the blueprints are registered).
"""

from __future__ import annotations

from flask import Flask, url_for

from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.forum import library_views, moderation_views, review, sanctions
from app.moderation.audit_views import register_target_link

ROUTE_MODULES = (library_views, moderation_views)


def init_app(app: Flask) -> None:
    review.register()
    sanctions.init_app(app)
    register_target_link("post", lambda i: url_for("forum.post_link", post_id=int(i)))
    register_target_link("topic", lambda i: url_for("forum.topic", topic_id=int(i)))
    register_target_link("user", lambda i: url_for("forum.member_restrictions", user_id=int(i)))
    register_target_link(
        "library_entry", lambda i: url_for("forum.library_entry_by_id", entry_id=int(i))
    )
    register_target_link("watched_word", lambda i: url_for("forum_admin.watched_word_list"))
    register_nav(
        app, NavItem("Good practices", "forum.library_index", order=31, role=Role.PRACTITIONER)
    )
    register_nav(
        app, NavItem("Watched words", "forum_admin.watched_word_list", order=96, role=Role.ADMIN)
    )
