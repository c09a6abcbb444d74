"""Every URL of the search package: the site-wide search behind the header's search box."""

from __future__ import annotations

from flask import Blueprint

from app.search import views

bp = Blueprint("search", __name__)

bp.add_url_rule("/search", view_func=views.site_search)
