"""Public certificate verification, the printable certificate, and revocation by moderators."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.errors import ServiceError
from app.core.permissions import Role, has_role, role_required
from app.learning import certificates

bp = Blueprint("certificates", __name__, url_prefix="/certificates")


@bp.route("/")
def lookup() -> str | Response | tuple[str, int]:
    code = (request.args.get("code") or "").strip()
    if not code:
        return render_template("learning/certificate_lookup.html")
    try:
        code = certificates.normalise_code(code)
    except ServiceError as error:
        return render_template("learning/certificate_lookup.html", error=error.message,
                               code=code[:32]), error.status  # fmt: skip
    return redirect(url_for("certificates.verify", code=code))


@bp.route("/<code>")
def verify(code: str) -> tuple[str, int] | str:
    try:
        certificate = certificates.by_code(code)
    except ServiceError as error:
        return render_template("learning/certificate_lookup.html", error=error.message,
                               code=code[:32]), 404  # fmt: skip
    return render_template("learning/certificate.html", certificate=certificate,
                           can_revoke=has_role(current_user, Role.MODERATOR))  # fmt: skip


@bp.route("/<code>/print")
def printable(code: str) -> str:
    certificate = certificates.by_code(code)
    return render_template("learning/certificate_print.html", certificate=certificate)


@bp.route("/<code>/revoke", methods=["POST"])
@role_required(Role.MODERATOR)
def revoke(code: str) -> Response | tuple[str, int]:
    try:
        certificates.revoke(current_user, code, request.form.get("reason", "")[:2000])
    except ServiceError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
        return render_template("learning/certificate.html", certificate=certificates.by_code(code),
                               can_revoke=True), error.status  # fmt: skip
    flash("The certificate is revoked.", "success")
    return redirect(url_for("certificates.verify", code=code))
