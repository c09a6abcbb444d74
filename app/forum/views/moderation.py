"""Moderation pages on the forum blueprint: flags, post and topic tools, sanctions, watched words.

The forum blueprint already requires practitioner status for every route; the moderator and
admin pages add their own `role_required`.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from app.accounts.models import User
from app.core.db import get_or_404
from app.core.errors import NotFound, ServiceError
from app.core.permissions import Role, role_required
from app.core.responses import ViewResult, invalid, page_status
from app.forum import forms, reading
from app.forum.models import PostStatus
from app.forum.services import flags, moderation, watched_words
from app.forum.services import posts as services
from app.moderation.services import sanctions


def _post_page(post_id: int) -> str:
    return url_for("forum.post_link", post_id=post_id)


def flag_post(post_id: int) -> ViewResult:
    post = services.get_visible_post(current_user, post_id)
    form = forms.FlagForm()
    if form.validate_on_submit():
        try:
            flags.flag(current_user, post, form.reason.data, form.message.data or "")
        except ServiceError as error:
            return invalid("forum/flag.html", error, form=form, post=post)
        flash(_("Thank you: the moderators will look at this post."), "success")
        return redirect(url_for("forum.topic", topic_id=post.topic_id))
    return render_template("forum/flag.html", form=form, post=post), page_status(form)


@role_required(Role.MODERATOR)
def moderate_post(post_id: int) -> ViewResult:
    post = services.get_visible_post(current_user, post_id)
    form = forms.PostActionForm()
    if form.validate_on_submit():
        action = {
            "hide": moderation.hide,
            "unhide": moderation.unhide,
            "delete": moderation.delete,
        }[form.action.data]
        try:
            action(current_user, post.id, form.reason.data or "")
        except ServiceError as error:
            return invalid("forum/moderate_post.html", error, form=form, post=post)
        flash(_("Done: the action is in the audit log."), "success")
        if post.status == PostStatus.DELETED and post.number == 1:
            return redirect(url_for("forum.category", slug=post.topic.category.slug))
        return redirect(_post_page(post.id))
    return render_template("forum/moderate_post.html", form=form, post=post), page_status(form)


@role_required(Role.MODERATOR)
def moderate_topic(topic_id: int) -> ViewResult:
    topic = services.get_visible_topic(current_user, topic_id)
    form = forms.TopicActionForm()
    form.category.choices = [SelectChoice(str(c.id), c.name) for c in reading.categories()]
    if form.validate_on_submit():
        reason, action = form.reason.data or "", form.action.data
        try:
            if action in ("hide", "unhide"):
                moderation.set_hidden(current_user, topic.id, action == "hide", reason)
            elif action in ("lock", "unlock"):
                moderation.set_locked(current_user, topic.id, action == "lock", reason)
            elif action in ("pin", "unpin"):
                moderation.set_pinned(current_user, topic.id, action == "pin", reason)
            elif action == "move":
                moderation.move(current_user, topic.id, form.category.data or 0, reason)
            else:
                if form.seconds.data is None:
                    raise ServiceError(
                        _("Give the number of seconds for slow mode (0 turns it off).")
                    )
                moderation.set_slow_mode(current_user, topic.id, form.seconds.data, reason)
        except ServiceError as error:
            return invalid("forum/moderate_topic.html", error, form=form, topic=topic)
        flash(_("Done: the action is in the audit log."), "success")
        return redirect(url_for("forum.topic", topic_id=topic.id))
    if not form.is_submitted():
        form.category.data = topic.category_id
        form.seconds.data = topic.slow_mode_seconds
    return render_template("forum/moderate_topic.html", form=form, topic=topic), page_status(form)


def _member(user_id: int) -> User:
    user = get_or_404(User, user_id, _("This member does not exist."))
    if user.deleted_at is not None:
        raise NotFound(_("This member does not exist."))
    return user


@role_required(Role.MODERATOR)
def member_restrictions(user_id: int) -> ViewResult:
    member = _member(user_id)
    form = forms.SanctionForm()
    context = {
        "member": member,
        "history": sanctions.history(member.id),
        "active": sanctions.active(member.id),
    }
    if form.validate_on_submit():
        try:
            ends_at = sanctions.parse_end(form.ends_at.data)
            sanctions.impose(current_user, member.id, form.kind.data, ends_at, form.reason.data)
        except ServiceError as error:
            return invalid("forum/restrictions.html", error, form=form, **context)
        flash(_("The restriction is in force and in the audit log."), "success")
        return redirect(url_for("forum.member_restrictions", user_id=member.id))
    return render_template("forum/restrictions.html", form=form, **context), page_status(form)


@role_required(Role.MODERATOR)
def lift_restriction(sanction_id: int) -> Response:
    form = forms.LiftForm()
    if not form.validate():
        raise ServiceError(_("Keep the reason under 2000 characters."))
    sanction = sanctions.lift(current_user, sanction_id, form.reason.data or "")
    flash(_("The restriction was lifted."), "success")
    return redirect(url_for("forum.member_restrictions", user_id=sanction.user_id))


def watched_word_list() -> ViewResult:
    form = forms.WatchedWordForm()
    if form.validate_on_submit():
        try:
            word = watched_words.add(current_user, form.pattern.data, form.action.data)
        except ServiceError as error:
            return invalid(
                "forum/watched_words.html",
                error,
                form=form,
                words=watched_words.all_words(),
                remove=forms.LiftForm(),
            )
        flash(_("“%(pattern)s” is now watched.", pattern=word.pattern), "success")
        return redirect(url_for("forum_admin.watched_word_list"))
    return render_template(
        "forum/watched_words.html",
        form=form,
        words=watched_words.all_words(),
        remove=forms.LiftForm(),
    ), page_status(form)


def remove_watched_word(word_id: int) -> Response:
    watched_words.remove(current_user, word_id)
    flash(_("The word is no longer watched."), "success")
    return redirect(url_for("forum_admin.watched_word_list"))
