"""The site-wide search page: every kind the reader may see, grouped, or one kind in full."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.core.pagination import page_number
from app.extensions import limiter
from app.search import site

SEARCH_RATE = "120 per minute"  # as the digest's search page: each search costs CPU


@limiter.limit(SEARCH_RATE)
def site_search() -> tuple[str, int]:
    asked = "q" in request.args
    kind = request.args.get("kind", "")[:40]
    page = page_number(request.args.get("page"))
    found = site.run(request.args.get("q", ""), current_user, kind, page)
    if not asked and not kind:
        found.error = None  # the page opened from a link: a box to type in, no complaint
        status = 200
    else:
        status = 400 if found.error else 200
    pages = 1
    if found.kind and found.sections:
        pages = max(1, -(-found.sections[0].total // site.PER_PAGE))
        if page > pages:
            status = 404
            found.error = _(
                "There is no page %(page)s: these results end on page %(pages)s.",
                page=page,
                pages=pages,
            )
    return render_template(
        "search/site.html", found=found, kinds=site.visible_kinds(current_user),
        max_chars=site.MAX_CHARS, pages=pages,
    ), status  # fmt: skip
