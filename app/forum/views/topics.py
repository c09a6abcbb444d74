"""Forum pages: categories, topics, posting, editing, history, watching, preferences."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core import notifications
from app.core.db import intend_write
from app.core.errors import Forbidden, ServiceError
from app.core.http_cache import kept_page
from app.core.markdown import prefetch_references
from app.core.pagination import page_number
from app.core.permissions import requires
from app.core.responses import ViewResult, invalid, page_status
from app.forum import forms, mentions, policy, rate_limits, reading
from app.forum.models import Post, PostStatus, Topic
from app.forum.services import likes, read_state
from app.forum.services import posts as services
from app.forum.services import watching as notify
from app.forum.views import members, writing


@requires(policy.can_read_forum)
def require_practitioner() -> None:
    """The whole forum is for practitioners and above."""


def _post_url(post: Post) -> str:
    page = reading.page_of(current_user, post.topic, post.number)
    return url_for("forum.topic", topic_id=post.topic_id, page=page, _anchor=f"p{post.number}")


@kept_page
def index() -> str:
    rows = reading.category_rows(current_user)
    return render_template("forum/index.html", rows=rows)


@kept_page
def category(slug: str) -> str:
    category = services.get_category(slug)
    page, rows = reading.topic_rows(current_user, category, page_number(request.args.get("page")))
    watching = notify.is_watching(current_user.id, category_id=category.id)
    return render_template("forum/category.html", category=category, page=page, rows=rows,
                           watching=watching, form=forms.ActionForm())  # fmt: skip


@rate_limits.posting
def new_topic(slug: str) -> ViewResult:
    category = services.get_category(slug)
    form = forms.TopicForm()
    if form.preview.data:
        return writing.with_preview("forum/new_topic.html", form, category=category)
    if form.validate_on_submit():
        try:
            post = services.create_topic(current_user, category, form.title.data, form.body.data)
        except ServiceError as error:
            return invalid("forum/new_topic.html", error, form=form, category=category)
        if post.status == PostStatus.PENDING:
            flash(_("Your topic was sent to the moderators and will appear once approved."), "info")
        return redirect(url_for("forum.topic", topic_id=post.topic_id))
    return render_template("forum/new_topic.html", form=form, category=category), page_status(form)


def watch_category(slug: str) -> Response:
    category = services.get_category(slug)
    if request.form.get("action") == "unwatch":
        notify.unwatch(current_user.id, category_id=category.id)
        flash(_("You no longer watch %(category)s.", category=category.name), "success")
    else:
        notify.watch_category(current_user.id, category.id)
        flash(
            _("You will be told about new topics in %(category)s.", category=category.name),
            "success",
        )
    return redirect(url_for("forum.category", slug=category.slug))


@kept_page
def topic(topic_id: int) -> ViewResult:
    topic = services.get_visible_topic(current_user, topic_id)
    return _render_topic(topic, forms.ReplyForm(), page_number(request.args.get("page")))


def _render_topic(
    topic: Topic, form: forms.ReplyForm, page_no: int, status: int = 200
) -> ViewResult:
    page = reading.posts_page(current_user, topic, page_no)
    prefetch_references(post.body for post in page.items)  # one query per kind of reference
    mentions.prefetch_handles(post.body for post in page.items)  # one query for @handles
    last_read = read_state.last_read(current_user.id, topic.id)  # before this page moves it
    if page.items:
        # A GET writes only what moves: the read position, and notifications of these posts
        # when the member has unread ones.
        last = page.items[-1].number
        unread = notifications.unread_count(current_user.id)
        if unread or last_read < last:
            intend_write()
            read_state.mark_read(current_user.id, topic.id, last)
            if unread:
                notify.mark_topic_notifications_read(current_user.id, [p.id for p in page.items])
    return render_template(
        "forum/topic.html", topic=topic, page=page, form=form, action_form=forms.ActionForm(),
        quoted=reading.quoted_numbers(page.items),
        missing_opening=reading.missing_opening(current_user, topic, page),
        watching=notify.is_watching(current_user.id, topic_id=topic.id),
        last_read=last_read, liked=likes.liked_by(current_user.id, [p.id for p in page.items]),
        summary=reading.most_liked_replies(current_user, topic) if page.page == 1 else [],
        policy=policy, moderator=policy.can_moderate(current_user),
    ), status  # fmt: skip


def first_unread(topic_id: int) -> Response:
    topic = services.get_visible_topic(current_user, topic_id)
    number = read_state.first_unread(current_user, topic)
    if number is None:
        number = reading.last_visible_number(current_user, topic) or 1
    page = reading.page_of(current_user, topic, number)
    return redirect(url_for("forum.topic", topic_id=topic.id, page=page, _anchor=f"p{number}"))


@rate_limits.posting
def reply(topic_id: int) -> ViewResult:
    topic = services.get_visible_topic(current_user, topic_id)
    # Refuse before anything is typed (a locked or deleted topic), not after the submit.
    policy.check_can_post(current_user, topic, topic.category)
    form = forms.ReplyForm()
    quote = request.args.get("quote", "")
    if request.method == "GET" and quote.isdigit() and len(quote) < 13:
        quoted = services.get_visible_post(current_user, int(quote))
        if quoted.topic_id != topic.id:
            return redirect(url_for("forum.reply", topic_id=topic.id))
        name = quoted.author.display_name if quoted.author else _("A former member")
        lines = "\n".join(f"> {line}" for line in quoted.body.splitlines())
        wrote = _("**%(name)s** wrote in #%(number)s:", name=name, number=quoted.number)
        form.body.data = f"> {wrote}\n>\n{lines}\n\n"
        form.reply_to.data = str(quoted.id)
    if form.preview.data:
        return writing.with_preview("forum/reply.html", form, topic=topic)
    if form.validate_on_submit():
        reply_to = int(form.reply_to.data) if form.reply_to.data else None
        try:
            post = services.reply(current_user, topic, form.body.data, reply_to)
        except ServiceError as error:
            return invalid("forum/reply.html", error, form=form, topic=topic)
        if post.status == PostStatus.PENDING:
            flash(_("Your reply was sent to the moderators and will appear once approved."), "info")
        return redirect(_post_url(post))
    return render_template("forum/reply.html", form=form, topic=topic), page_status(form)


def watch_topic(topic_id: int) -> Response:
    topic = services.get_visible_topic(current_user, topic_id)
    if request.form.get("action") == "unwatch":
        notify.unwatch(current_user.id, topic_id=topic.id)
        flash(_("You no longer watch this topic."), "success")
    else:
        notify.watch_topic(current_user.id, topic.id)
        flash(_("You will be told about new replies in this topic."), "success")
    return redirect(url_for("forum.topic", topic_id=topic.id))


def post_link(post_id: int) -> Response:
    return redirect(_post_url(services.get_visible_post(current_user, post_id)))


@rate_limits.posting
def edit(post_id: int) -> ViewResult:
    post = services.get_visible_post(current_user, post_id)
    if not policy.can_edit_post(current_user, post):
        raise Forbidden(_("You can only edit your own posts."))
    form = forms.EditForm(obj=None if request.method == "POST" else post)
    if request.method == "GET" and post.number == 1:
        form.title.data = post.topic.title
    if form.preview.data:
        return writing.with_preview("forum/edit.html", form, post=post)
    if form.validate_on_submit():
        title = form.title.data if post.number == 1 else None
        try:
            services.edit_post(current_user, post, form.body.data, title)
        except ServiceError as error:
            return invalid("forum/edit.html", error, form=form, post=post)
        flash(_("Your changes are saved."), "success")
        return redirect(_post_url(post))
    return render_template("forum/edit.html", form=form, post=post), page_status(form)


def history(post_id: int) -> str:
    post = services.get_visible_post(current_user, post_id)
    entries = services.history(current_user, post)
    return render_template("forum/history.html", post=post, entries=entries)


def delete(post_id: int) -> ViewResult:
    post = services.get_visible_post(current_user, post_id)
    if not policy.can_delete_post(current_user, post):
        raise Forbidden(_("You can only delete your own posts."))
    form = forms.DeleteForm()
    if not form.validate_on_submit():
        return render_template("forum/delete.html", post=post, form=form), page_status(form)
    topic_id, first = post.topic_id, post.number == 1
    services.delete_post(current_user, post, form.reason.data or "")
    flash(_("The topic was deleted.") if first else _("The post was deleted."), "success")
    if first:
        return redirect(url_for("forum.category", slug=post.topic.category.slug))
    return redirect(url_for("forum.topic", topic_id=topic_id))


def preferences() -> ViewResult:
    form = forms.PreferencesForm()
    if form.validate_on_submit():
        choices = {
            kind.name: (bool(form[f"{kind.name}_site"].data), bool(form[f"{kind.name}_email"].data))
            for kind in notify.EVENT_KINDS
        }
        notify.set_preferences(current_user.id, choices)
        flash(_("Your notification preferences are saved."), "success")
        return redirect(url_for("forum.preferences"))
    if request.method == "GET":
        for kind, (on_site, email) in notify.preferences(current_user.id).items():
            form[f"{kind}_site"].data, form[f"{kind}_email"].data = on_site, email
    return render_template(
        "forum/preferences.html", form=form, **members.preference_forms()
    ), page_status(form)
