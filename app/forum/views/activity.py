"""Reading across the forum: "Latest" and "Unread" over every category the reader may open,
and marking a post "this helped"."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.pagination import page_number
from app.forum import reading
from app.forum.services import likes
from app.forum.services import posts as services


def latest() -> str:
    page, rows = reading.latest_rows(
        current_user, page_number(request.args.get("page")), unread_only=False
    )
    return render_template("forum/latest.html", page=page, rows=rows, unread_only=False)


def unread() -> str:
    page, rows = reading.latest_rows(
        current_user, page_number(request.args.get("page")), unread_only=True
    )
    return render_template("forum/latest.html", page=page, rows=rows, unread_only=True)


def like(post_id: int) -> Response:
    post = services.get_visible_post(current_user, post_id)
    if request.form.get("action") == "unlike":
        likes.unlike(current_user, post)
        flash(_("You no longer mark this post as helpful."), "success")
    else:
        likes.like(current_user, post)
        flash(_("Thank you: the author sees that this helped."), "success")
    page = reading.page_of(current_user, post.topic, post.number)
    return redirect(
        url_for("forum.topic", topic_id=post.topic_id, page=page, _anchor=f"p{post.number}")
    )
