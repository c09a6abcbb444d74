"""Every URL of the forum: `forum` for practitioners (categories, topics, posting, moderation
tools, search, the good-practice library), `forum_admin` for administrators (categories, watched
words). Each blueprint's before-request guard applies to all of its URLs."""

from __future__ import annotations

from flask import Blueprint

from app.forum.views import (
    activity,
    admin,
    library,
    members,
    messages,
    moderation,
    topics,
    writing,
)

bp = Blueprint("forum", __name__)
admin_bp = Blueprint("forum_admin", __name__)

bp.before_request(topics.require_practitioner)
bp.add_url_rule("/forum/", view_func=topics.index)
bp.add_url_rule("/forum/latest", view_func=activity.latest)
bp.add_url_rule("/forum/unread", view_func=activity.unread)
bp.add_url_rule("/forum/c/<slug>", view_func=topics.category)
bp.add_url_rule("/forum/c/<slug>/new", view_func=topics.new_topic, methods=["GET", "POST"])
bp.add_url_rule("/forum/c/<slug>/watch", view_func=topics.watch_category, methods=["POST"])
bp.add_url_rule("/forum/t/<int:topic_id>", view_func=topics.topic)
bp.add_url_rule("/forum/t/<int:topic_id>/unread", view_func=topics.first_unread)
bp.add_url_rule("/forum/t/<int:topic_id>/reply", view_func=topics.reply, methods=["GET", "POST"])
bp.add_url_rule("/forum/t/<int:topic_id>/watch", view_func=topics.watch_topic, methods=["POST"])
bp.add_url_rule("/forum/p/<int:post_id>", view_func=topics.post_link)
bp.add_url_rule("/forum/p/<int:post_id>/like", view_func=activity.like, methods=["POST"])
bp.add_url_rule("/forum/p/<int:post_id>/edit", view_func=topics.edit, methods=["GET", "POST"])
bp.add_url_rule("/forum/p/<int:post_id>/history", view_func=topics.history)
bp.add_url_rule("/forum/p/<int:post_id>/delete", view_func=topics.delete, methods=["GET", "POST"])
bp.add_url_rule("/forum/preferences", view_func=topics.preferences, methods=["GET", "POST"])
bp.add_url_rule("/forum/preferences/profile", view_func=members.save_profile, methods=["POST"])
bp.add_url_rule("/forum/u/<int:user_id>", view_func=members.member)
bp.add_url_rule("/forum/preview", view_func=writing.preview, methods=["POST"])
bp.add_url_rule("/forum/messages", "message_inbox", view_func=messages.inbox)
bp.add_url_rule("/forum/messages/new", view_func=messages.new_conversation, methods=["GET", "POST"])
bp.add_url_rule(
    "/forum/messages/<int:conversation_id>",
    view_func=messages.conversation,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/forum/messages/m/<int:message_id>/flag",
    view_func=messages.flag_message,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/forum/messages/blocks", "message_blocks", view_func=messages.blocks, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/forum/messages/blocks/<int:block_id>/remove",
    "unblock_member",
    view_func=messages.unblock,
    methods=["POST"],
)
bp.add_url_rule("/forum/p/<int:post_id>/returned", view_func=writing.returned_post)
bp.add_url_rule(
    "/forum/p/<int:post_id>/flag", view_func=moderation.flag_post, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/forum/p/<int:post_id>/moderate", view_func=moderation.moderate_post, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/forum/t/<int:topic_id>/moderate", view_func=moderation.moderate_topic, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/forum/members/<int:user_id>/restrictions",
    view_func=moderation.member_restrictions,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/forum/restrictions/<int:sanction_id>/lift",
    view_func=moderation.lift_restriction,
    methods=["POST"],
)
admin_bp.add_url_rule(
    "/forum/admin/watched-words", view_func=moderation.watched_word_list, methods=["GET", "POST"]
)
admin_bp.add_url_rule(
    "/forum/admin/watched-words/<int:word_id>/delete",
    view_func=moderation.remove_watched_word,
    methods=["POST"],
)
bp.add_url_rule("/forum/search", view_func=library.search)
bp.add_url_rule("/forum/library", view_func=library.library_index)
bp.add_url_rule("/forum/library/<slug>", view_func=library.library_entry)
bp.add_url_rule(
    "/forum/p/<int:post_id>/nominate", view_func=library.nominate, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/forum/library/promote/<int:nomination_id>", view_func=library.promote, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/forum/library/<slug>/edit", view_func=library.edit_library_entry, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/forum/library/<slug>/remove", view_func=library.remove_library_entry, methods=["POST"]
)
bp.add_url_rule("/forum/library/e/<int:entry_id>", view_func=library.library_entry_by_id)
admin_bp.before_request(admin.require_admin)
admin_bp.add_url_rule(
    "/forum/admin/categories", view_func=admin.category_list, methods=["GET", "POST"]
)
admin_bp.add_url_rule(
    "/forum/admin/categories/<int:category_id>",
    view_func=admin.category_edit,
    methods=["GET", "POST"],
)
admin_bp.add_url_rule(
    "/forum/admin/categories/<int:category_id>/move",
    view_func=admin.category_move,
    methods=["POST"],
)
