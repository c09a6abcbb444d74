"""Public certificate verification, the printable certificate, and revocation by moderators."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.errors import ServiceError
from app.core.permissions import Role, role_required
from app.learning import policy
from app.learning.forms import RevokeCertificateForm
from app.learning.services import certificates


def certificate_lookup() -> str | Response | tuple[str, int]:
    code = (request.args.get("code") or "").strip()
    if not code:
        return render_template("learning/certificate_lookup.html")
    try:
        code = certificates.normalise_code(code)
    except ServiceError as error:
        return render_template("learning/certificate_lookup.html", error=error.message,
                               code=code[:32]), error.status  # fmt: skip
    return redirect(url_for("learning.certificate", code=code))


def certificate(code: str) -> tuple[str, int] | str:
    try:
        certificate = certificates.by_code(code)
    except ServiceError as error:
        return render_template("learning/certificate_lookup.html", error=error.message,
                               code=code[:32]), 404  # fmt: skip
    return render_template("learning/certificate.html", certificate=certificate,
                           can_revoke=policy.can_revoke_certificates(current_user))  # fmt: skip


def certificate_print(code: str) -> str:
    certificate = certificates.by_code(code)
    return render_template("learning/certificate_print.html", certificate=certificate)


@role_required(Role.MODERATOR)
def certificate_revoke(code: str) -> Response | tuple[str, int]:
    form = RevokeCertificateForm()
    try:
        if not form.validate_on_submit():
            raise ServiceError(_first_error(form))
        certificates.revoke(current_user, code, form.reason.data or "")
    except ServiceError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
        return render_template("learning/certificate.html", certificate=certificates.by_code(code),
                               can_revoke=True), error.status  # fmt: skip
    flash("The certificate is revoked.", "success")
    return redirect(url_for("learning.certificate", code=code))


def _first_error(form: RevokeCertificateForm) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return "Check the form and try again."
