"""Public certificate verification, the printable certificate, and revocation by moderators."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.errors import ServiceError
from app.core.permissions import Role, role_required
from app.core.responses import invalid
from app.learning import policy
from app.learning.forms import CertificateSettingsForm, RevokeCertificateForm
from app.learning.models import Certificate
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
    return _certificate_page(certificate)


def _is_holder(certificate: Certificate) -> bool:
    return bool(current_user.is_authenticated and current_user.id == certificate.user_id)


def _certificate_page(certificate: Certificate, form: CertificateSettingsForm | None = None) -> str:
    holder = _is_holder(certificate)
    if holder and form is None:
        form = CertificateSettingsForm(obj=certificate)
    can_revoke = policy.can_revoke_certificates(current_user)
    return render_template("learning/certificate.html", certificate=certificate, holder=holder,
                           form=form, can_revoke=can_revoke)  # fmt: skip


def certificate_print(code: str) -> str:
    certificate = certificates.by_code(code)
    return render_template("learning/certificate_print.html", certificate=certificate,
                           holder=_is_holder(certificate))  # fmt: skip


@login_required
def certificate_settings(code: str) -> Response | tuple[str, int]:
    certificate = certificates.for_holder(current_user, code)
    form = CertificateSettingsForm()
    try:
        if not form.validate_on_submit():
            raise ServiceError(_first_error(form))
        certificate = certificates.update_for_holder(
            current_user, code, form.holder_name.data or "",
            bool(form.show_name.data), bool(form.show_score.data),
        )  # fmt: skip
    except ServiceError as error:
        can_revoke = policy.can_revoke_certificates(current_user)
        return invalid("learning/certificate.html", error, certificate=certificate, holder=True,
                       form=form, can_revoke=can_revoke)  # fmt: skip
    flash(_("Your certificate is updated."), "success")
    return redirect(url_for("learning.certificate", code=certificate.code))


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
    flash(_("The certificate is revoked."), "success")
    return redirect(url_for("learning.certificate", code=code))


def _first_error(form: RevokeCertificateForm | CertificateSettingsForm) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return str(_("Check the form and try again."))
