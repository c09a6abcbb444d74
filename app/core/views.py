"""Home page, health check, error pages and small view helpers shared by every feature."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.wrappers import Response

from app.core import backup, generation, hooks, migrate
from app.core.db import db
from app.core.errors import ServiceError
from app.core.http_cache import kept_page
from app.core.i18n import reader_language
from app.core.nav import NavItem, register_nav
from app.core.permissions import Role, has_role

bp = Blueprint("core", __name__)


def _home_sections() -> tuple[hooks.HomeSection, ...]:
    sections = [part(current_user) for part in hooks.home_sections.values()]
    return tuple(sorted((section for section in sections if section), key=lambda s: s.order))


@bp.route("/")
@kept_page
def index() -> str:
    # The same for every reader of a role and language until content changes (figures of
    # members included: they follow at the next change of content).
    reader = (generation.reader_class(), reader_language())
    shown = generation.cached("home", reader, _home_sections)
    return render_template("core/index.html", sections=shown)


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    report: dict[str, dict[str, Any]] = {}
    try:
        db.session.execute(text("SELECT 1"))
        report["database"] = {"ok": True, "detail": db.engine.dialect.name}
    except Exception as error:  # report any failure of the probe, whatever its kind
        report["database"] = {"ok": False, "detail": type(error).__name__}
    for name, check in hooks.health_checks.entries().items():
        try:
            ok, detail = check()
        except Exception as error:  # a broken component is reported, not raised
            ok, detail = False, type(error).__name__
        report[name] = {"ok": ok, "detail": detail}
    healthy = all(part["ok"] for part in report.values())
    status = "ok" if healthy else "degraded"
    code = 200 if healthy else 503
    if not _may_see_health_details():
        # Visitors learn up or down; counts of indexed documents say too much.
        return jsonify(status=status), code
    return jsonify(status=status, checks=report), code


def _may_see_health_details() -> bool:
    """Signed-in administrators, and the monitoring addresses of HEALTH_DETAIL_ADDRESSES (the
    client address after PROXY_COUNT proxies)."""
    if has_role(current_user, Role.ADMIN):
        return True
    return request.remote_addr in current_app.config["HEALTH_DETAIL_ADDRESSES"]


# Lazy: the title and default message are translated into the reader's language when shown.
ERROR_TEXT = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Check what you entered and try again."),
    ),
    401: (_l("Sign-in needed"), _l("Sign in to see this page.")),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("There is no page at this address.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    409: (
        _l("Conflict"),
        _l("This change conflicts with the current state. Reload and try again."),
    ),
    413: (_l("Too large"), _l("What you sent is larger than this site accepts.")),
    429: (
        _l("Too many requests"),
        _l("You are doing that too often. Wait a little and try again."),
    ),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. It has been logged.")),
}
OTHER_ERROR = (_l("Error"), _l("The request could not be completed."))


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def render_error(status: int, message: str | None = None) -> tuple[Response | str, int]:
    lazy_title, lazy_default = ERROR_TEXT.get(status, OTHER_ERROR)
    title, default = str(lazy_title), str(lazy_default)
    if _wants_json():
        return jsonify(error=title, message=message or default, status=status), status
    return render_template(
        "errors/error.html", status=status, title=title, message=message or default
    ), status


def init_app(app: Flask) -> None:
    """The home page, /healthz, error pages, and the core commands (`db`, `backup`)."""
    app.register_blueprint(bp)
    register_errorhandlers(app)
    register_nav(app, NavItem(_l("Home"), "core.index", order=0, group="home"))
    hooks.cli_groups.register(app, "db", migrate.db_cli)
    hooks.cli_groups.register(app, "backup", backup.backup_command)


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Response | str, int]:
        return render_error(
            400,
            _(
                "The form expired or was not sent from this site. "
                "Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> tuple[Response, int]:
        # No page can be built for a host the site does not answer to (no URL adapter).
        message = "This site does not answer to that host name."
        return Response(message + "\n", mimetype="text/plain"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        if error.response is not None:  # a page built for this refusal (a rate limit's on_breach)
            return error
        message = None
        if error.code == 429:
            message = _(
                "You are doing that too often (%(limit)s). Wait and try again.",
                limit=error.description,
            )
        elif (
            error.description
            and error.code in (400, 403, 404, 409)
            and not str(error.description).startswith(
                ("The browser", "You don't", "The requested URL", "The server could")
            )
        ):
            message = str(error.description)
        response = render_error(error.code, message)
        if error.code == 405 and (allowed := getattr(error, "valid_methods", None)):
            body, status = response
            resp = current_app.make_response((body, status))
            resp.headers["Allow"] = ", ".join(allowed)
            return resp, status
        return response

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError) -> tuple[Response | str, int]:
        return render_error(error.status, error.message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response | str, int]:
        current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.rollback()
        return render_error(500)
