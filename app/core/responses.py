"""What views return, and how a view answers input it cannot accept (a 4xx, never a 500)."""

from __future__ import annotations

from typing import Any

from flask import flash, render_template, request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.core.errors import ServiceError

# A rendered page, a redirect, or either with a status code.
ViewResult = str | Response | tuple[str | Response, int]


def page_status(form: FlaskForm) -> int:
    """400 for a submitted form that did not validate, 200 otherwise."""
    return 400 if request.method == "POST" and form.errors else 200


def invalid(template: str, error: ServiceError, **context: Any) -> tuple[str, int]:
    """Re-render a form page with the service's message and its 4xx status."""
    flash(error.message, "error")
    return render_template(template, **context), error.status
