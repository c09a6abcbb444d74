"""The practitioners' forum: categories, topics, posts, moderation, the good-practice library."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l

from app.core import generation, hooks
from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.forum import index, mentions, policy, reading, review
from app.forum.blueprint import admin_bp, bp
from app.forum.cli import forum_cli
from app.forum.models import (
    POST_STATUS_LABELS,
    TOPIC_STATUS_LABELS,
    Category,
    LibraryEntry,
    NominationStatus,
    Post,
    PostStatus,
    Topic,
    TopicStatus,
)
from app.forum.services import messages
from app.moderation.audit_log import register_target_link


def init_app(app: Flask) -> None:
    app.jinja_env.globals["forum_policy"] = policy
    app.jinja_env.filters["post_body"] = mentions.render_post
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.jinja_env.globals.update(
        PostStatus=PostStatus,
        NominationStatus=NominationStatus,
        TopicStatus=TopicStatus,
        TOPIC_STATUS_LABELS=TOPIC_STATUS_LABELS,
        POST_STATUS_LABELS=POST_STATUS_LABELS,
    )
    index.init_app(app)
    generation.watch(app, Category, Topic, Post, LibraryEntry)
    review.register(app)
    hooks.backlinks.register(app, "forum", reading.discussed_in)
    hooks.cli_groups.register(app, "forum", forum_cli)
    hooks.data_export.register(app, "forum", reading.member_data)
    hooks.home_sections.register(app, "forum", reading.home_section)
    register_target_link(app, "post", lambda i: url_for("forum.post_link", post_id=int(i)),
                         reading.audit_post_labels)  # fmt: skip
    register_target_link(app, "topic", lambda i: url_for("forum.topic", topic_id=int(i)),
                         reading.audit_topic_labels)  # fmt: skip
    register_target_link(
        app, "user", lambda i: url_for("forum.member_restrictions", user_id=int(i))
    )
    register_target_link(
        app, "library_entry", lambda i: url_for("forum.library_entry_by_id", entry_id=int(i)),
        reading.audit_library_labels,
    )  # fmt: skip
    register_target_link(app, "watched_word", lambda i: url_for("forum_admin.watched_word_list"),
                         reading.audit_watched_word_labels)  # fmt: skip
    hooks.audit_labels.register(app, "nomination", reading.audit_nomination_labels)
    hooks.audit_labels.register(app, "message", messages.audit_labels)
    register_nav(app, NavItem(_l("Forum"), "forum.index", order=30, role=Role.PRACTITIONER))
    register_nav(
        app, NavItem(_l("Good practices"), "forum.library_index", order=31, role=Role.PRACTITIONER)
    )
    register_nav(
        app,
        NavItem(
            _l("Forum categories"),
            "forum_admin.category_list",
            order=95,
            role=Role.ADMIN,
            group="staff",
        ),
    )
    register_nav(
        app,
        NavItem(
            _l("Watched words"),
            "forum_admin.watched_word_list",
            order=96,
            role=Role.ADMIN,
            group="staff",
        ),
    )
