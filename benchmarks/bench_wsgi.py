"""The site as gunicorn serves it in the benchmarks, plus a minimal page for the baseline ratio."""

from __future__ import annotations

from flask import render_template_string

from app import create_app

app = create_app()


@app.route("/_bench/minimal")
def minimal() -> str:
    """The smallest Flask page, through the same hooks (session, CSP headers) as every page."""
    return render_template_string("<!doctype html><title>ok</title><p>{{ word }}</p>", word="ok")
