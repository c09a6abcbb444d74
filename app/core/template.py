"""Template globals and filters: navigation, notification count, dates, Markdown."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask_login import current_user

from app.core import notifications
from app.core.audit import details_pairs
from app.core.backlinks import backlinks
from app.core.markdown import render_markdown, render_markdown_inline, sanitize
from app.core.nav import visible_nav
from app.core.pagination import page_window
from app.core.permissions import Role, has_role, role_name
from app.core.sources import anchor, describe, link_symbols
from app.core.time import format_datetime, format_number, plural_category


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["markdown_inline"] = render_markdown_inline
    app.jinja_env.filters["sanitize"] = sanitize
    app.jinja_env.globals["source_title"] = describe
    app.jinja_env.globals["source_anchor"] = anchor
    app.jinja_env.filters["link_sources"] = link_symbols
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = lambda value: format_datetime(value, with_time=False)
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.globals["plural_category"] = plural_category
    app.jinja_env.filters["role_name"] = role_name
    app.jinja_env.globals["backlinks"] = backlinks
    app.jinja_env.globals["audit_details"] = details_pairs
    app.jinja_env.globals["page_window"] = page_window
    app.jinja_env.globals["has_role"] = lambda role: has_role(current_user, Role(role))

    @app.context_processor
    def inject() -> dict[str, Any]:
        count = 0
        if current_user.is_authenticated:
            count = notifications.unread_count(current_user.id)
        return {
            "nav_items": lambda: visible_nav(current_app),
            "unread_notifications": count,
        }
