"""Private messages: the inbox, a new conversation, a conversation, flags and blocks."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.db import intend_write
from app.core.errors import ServiceError
from app.core.markdown import prefetch_references
from app.core.responses import ViewResult, invalid, page_status
from app.forum import forms, mentions
from app.forum.message_models import Conversation
from app.forum.services import messages


def inbox() -> str:
    return render_template("forum/messages/inbox.html", rows=messages.inbox(current_user))


def new_conversation() -> ViewResult:
    form = forms.MessageForm()
    if request.method == "GET" and request.args.get("to"):
        form.to.data = "@" + request.args.get("to", "")[:100].lstrip("@")
    if form.validate_on_submit():
        try:
            recipients = messages.find_members(form.to.data)
            conversation = messages.start(current_user, recipients, form.subject.data,
                                          form.body.data)  # fmt: skip
        except ServiceError as error:
            return invalid("forum/messages/new.html", error, form=form)
        flash(_("Your message is sent."), "success")
        return redirect(url_for("forum.conversation", conversation_id=conversation.id))
    return render_template("forum/messages/new.html", form=form), page_status(form)


def conversation(conversation_id: int) -> ViewResult:
    intend_write()
    found = messages.get_conversation(current_user, conversation_id)
    form = forms.MessageReplyForm()
    if form.validate_on_submit():
        try:
            message = messages.reply(current_user, found, form.body.data)
        except ServiceError as error:
            return _render(found, form, error.status, error.message)
        return redirect(
            url_for("forum.conversation", conversation_id=found.id, _anchor=f"m{message.id}")
        )
    return _render(found, form, page_status(form))


def _render(
    found: Conversation, form: forms.MessageReplyForm, status: int, error: str = ""
) -> ViewResult:
    items = messages.messages_of(found)
    if items:
        messages.mark_read(current_user, found, items[-1].id)
    prefetch_references(message.body for message in items)  # one query per kind
    mentions.prefetch_handles(message.body for message in items)
    if error:
        flash(error, "error")
    return render_template(
        "forum/messages/conversation.html", conversation=found, items=items, form=form
    ), status


def flag_message(message_id: int) -> ViewResult:
    message = messages.get_message_for_member(current_user, message_id)
    form = forms.MessageFlagForm()
    if form.validate_on_submit():
        try:
            messages.flag(current_user, message, form.reason.data, form.note.data or "")
        except ServiceError as error:
            return invalid("forum/messages/flag.html", error, form=form, message=message)
        flash(_("Thank you: a moderator will read the flagged message."), "success")
        return redirect(url_for("forum.conversation", conversation_id=message.conversation_id))
    return render_template("forum/messages/flag.html", form=form, message=message), page_status(
        form
    )


def blocks() -> ViewResult:
    form = forms.BlockForm()
    if form.validate_on_submit():
        try:
            blocked = messages.block(current_user, form.handle.data)
        except ServiceError as error:
            blocked_list = messages.blocks_of(current_user)
            return invalid("forum/messages/blocks.html", error, form=form, blocks=blocked_list)
        flash(
            _(
                "%(name)s can no longer send you private messages.",
                name=blocked.blocked.display_name,
            ),
            "success",
        )
        return redirect(url_for("forum.message_blocks"))
    page = render_template(
        "forum/messages/blocks.html", form=form, blocks=messages.blocks_of(current_user)
    )
    return page, page_status(form)


def unblock(block_id: int) -> Response:
    messages.unblock(current_user, block_id)
    flash(_("The member can send you private messages again."), "success")
    return redirect(url_for("forum.message_blocks"))
