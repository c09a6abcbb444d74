"""Administrators manage the forum's categories: create, rename, describe, reorder."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.errors import ServiceError
from app.core.permissions import Role, role_required
from app.core.responses import ViewResult, invalid, page_status
from app.forum import forms, reading
from app.forum.services import categories


@role_required(Role.ADMIN)
def require_admin() -> None:
    """Only administrators manage categories."""


def category_list() -> ViewResult:
    form = forms.CategoryForm()
    if form.validate_on_submit():
        try:
            category = categories.create(
                current_user,
                form.name.data,
                form.slug.data or "",
                form.description.data or "",
                form.position.data,
            )
        except ServiceError as error:
            return invalid("forum/admin_categories.html", error, form=form,
                           items=reading.categories(), move_form=forms.ActionForm())  # fmt: skip
        flash(_("Category “%(name)s” created.", name=category.name), "success")
        return redirect(url_for("forum_admin.category_list"))
    return render_template("forum/admin_categories.html", form=form, items=reading.categories(),
                           move_form=forms.ActionForm()), page_status(form)  # fmt: skip


def category_edit(category_id: int) -> ViewResult:
    category = categories.get(category_id)
    form = forms.CategoryForm(obj=None if request.method == "POST" else category)
    if form.validate_on_submit():
        try:
            categories.update(current_user, category, form.name.data, form.slug.data or "",
                              form.description.data or "", form.position.data)  # fmt: skip
        except ServiceError as error:
            return invalid("forum/admin_category.html", error, form=form, category=category)
        flash(_("The category is saved."), "success")
        return redirect(url_for("forum_admin.category_list"))
    return render_template("forum/admin_category.html", form=form, category=category), page_status(
        form
    )


def category_move(category_id: int) -> Response:
    category = categories.get(category_id)
    categories.move(current_user, category, request.form.get("direction", ""))
    flash(_("“%(name)s” moved.", name=category.name), "success")
    return redirect(url_for("forum_admin.category_list"))
