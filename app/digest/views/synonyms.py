"""The search synonyms page: moderators list, add and remove the groups the case search uses."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.errors import ServiceError
from app.core.permissions import Role, role_required
from app.core.responses import ViewResult, invalid, page_status
from app.digest.forms import RemoveForm, SynonymGroupForm
from app.search import synonyms

TEMPLATE = "digest/synonyms.html"


@role_required(Role.MODERATOR)
def synonym_list() -> ViewResult:
    form = SynonymGroupForm()
    if form.validate_on_submit():
        try:
            group = synonyms.add_group(current_user, form.terms.data or "")
        except ServiceError as error:
            return invalid(
                TEMPLATE, error, form=form, groups=synonyms.groups(), remove=RemoveForm()
            )
        flash(_("Searches now treat %(terms)s alike.", terms=" / ".join(group.terms)), "success")
        return redirect(url_for("digest.synonym_list"))
    context = {"form": form, "groups": synonyms.groups(), "remove": RemoveForm()}
    return render_template(TEMPLATE, **context), page_status(form)


@role_required(Role.MODERATOR)
def remove_synonym_group(group_id: int) -> Response:
    synonyms.remove_group(current_user, group_id)
    flash(_("The synonym group is removed."), "success")
    return redirect(url_for("digest.synonym_list"))
