"""Curators' pages: case list with drafts, new and edit forms, submit, history, diff, restore."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.core.db import db
from app.core.errors import ServiceError
from app.core.pagination import page_number
from app.core.permissions import Role, role_required
from app.core.responses import ViewResult, invalid, page_status
from app.digest import revisions
from app.digest.forms import CaseForm
from app.digest.models import CaseDigest
from app.digest.services import curation


@role_required(Role.MODERATOR)
def curate() -> str:
    cases = db.session.scalars(
        select(CaseDigest).order_by(CaseDigest.status, CaseDigest.updated_at.desc())
    ).all()
    return render_template("digest/curate.html", cases=cases)


@role_required(Role.MODERATOR)
def new() -> ViewResult:
    form = CaseForm()
    if form.validate_on_submit():
        try:
            case = curation.create_case(current_user, form.case_fields(), form.reason.data)
        except ServiceError as error:
            return invalid("digest/edit.html", error, form=form, case=None)
        flash(_("The draft is saved. Submit it for publication when it is ready."), "success")
        return redirect(url_for("digest.edit", slug=case.slug))
    if request.method == "GET":
        form.illustrative.data = True
    return render_template("digest/edit.html", form=form, case=None), page_status(form)


@role_required(Role.MODERATOR)
def edit(slug: str) -> ViewResult:
    case = curation.get_case(slug)
    form = CaseForm()
    del form.slug  # the address of a case never changes
    if form.validate_on_submit():
        base = int(form.base_revision.data) if form.base_revision.data else None
        try:
            fields = form.case_fields()
            revision = curation.update_case(current_user, case, fields, form.reason.data, base)
        except ServiceError as error:
            db.rollback()  # undo the half-applied edit before the page shows the case
            # A second save after a conflict replaces the newer revision knowingly.
            form.base_revision.data = str(curation.latest_number(case))
            return invalid("digest/edit.html", error, form=form, case=case,
                           decision=curation.last_decision(case))  # fmt: skip
        flash(_("Saved as revision %(number)s.", number=revision.number), "success")
        return redirect(url_for("digest.edit", slug=case.slug))
    if request.method == "GET":
        form.fill(case)
        form.base_revision.data = str(curation.latest_number(case))
    decision = curation.last_decision(case)
    return render_template("digest/edit.html", form=form, case=case, decision=decision), (
        page_status(form)
    )


@role_required(Role.MODERATOR)
def submit(slug: str) -> Response:
    curation.submit_for_publication(current_user, curation.get_case(slug))
    flash(_("The draft is in the review queue."), "success")
    return redirect(url_for("digest.edit", slug=slug))


@role_required(Role.MODERATOR)
def history(slug: str) -> str:
    case = curation.get_case(slug)
    return render_template(
        "digest/history.html", case=case, revisions=curation.revisions_with_authors(case)
    )


@role_required(Role.MODERATOR)
def diff(slug: str) -> str:
    case = curation.get_case(slug)
    numbers = (request.args.get("from"), request.args.get("to"))
    if not all(value and value.isdigit() for value in numbers):
        abort(400, _("Choose two revisions to compare."))
    old = curation.get_revision(case, page_number(numbers[0]))
    new = curation.get_revision(case, page_number(numbers[1]))
    return render_template(
        "digest/diff.html",
        case=case,
        old=old,
        new=new,
        diff=revisions.compare(old.snapshot, new.snapshot),
    )


@role_required(Role.MODERATOR)
def restore(slug: str, number: int) -> Response:
    case = curation.get_case(slug)
    revision = curation.restore(current_user, case, number)
    flash(
        _("Revision %(old)s restored as revision %(new)s.", old=number, new=revision.number),
        "success",
    )
    return redirect(url_for("digest.history", slug=slug))
