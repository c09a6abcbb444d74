"""Writing helpers: the preview of a post being written (a form button without JavaScript, a
fragment for the live preview with it), and the page that gives a rejected post back to its
author."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from app.core.responses import ViewResult
from app.extensions import limiter
from app.forum import forms, mentions
from app.forum.services import returned


def _render(body: str) -> Markup:
    mentions.prefetch_handles([body])
    return mentions.render_post(body)


def with_preview(template: str, form: FlaskForm, **context: Any) -> ViewResult:
    """Re-render a posting form with its text kept and the rendered text above it. Only the
    text (and the CSRF token) is checked: a topic may be previewed before it has a title."""
    fields = [form["body"]] + ([form["csrf_token"]] if "csrf_token" in form else [])
    if not all(field.validate(form) for field in fields):
        return render_template(template, form=form, **context), 400
    preview = _render(form["body"].data or "")
    return render_template(template, form=form, preview=preview, **context)


@limiter.limit("120 per minute")
def preview() -> ViewResult:
    """The live preview: the text rendered as a post would be, as an HTML fragment."""
    form = forms.PreviewForm()
    if not form.validate_on_submit():
        errors = [error for errors in form.errors.values() for error in errors]
        message = errors[0] if errors else _("The preview could not be made.")
        return render_template("forum/_preview_error.html", message=message), 400
    return render_template("forum/_preview_body.html", preview=_render(form.body.data or ""))


def returned_post(post_id: int) -> str:
    """A rejected post, given back to its author with the moderator's reason."""
    post, reason = returned.get_returned_post(current_user, post_id)
    topic = post.topic
    if post.number == 1:
        form: FlaskForm = forms.TopicForm(formdata=None, data={"title": topic.title,
                                                                "body": post.body})  # fmt: skip
    else:
        form = forms.ReplyForm(formdata=None, data={"body": post.body})
    can_reply = returned.can_post_again(current_user, post)
    return render_template("forum/returned.html", post=post, topic=topic, reason=reason,
                           form=form, can_reply=can_reply)  # fmt: skip
