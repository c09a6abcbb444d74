"""Case digest pages for readers: the search page and the case page."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.core.http_cache import kept_page
from app.digest import browse, presentation, reading, vocab
from app.extensions import limiter

SEARCH_RATE = "120 per minute"  # each search costs CPU; a person never needs more


@limiter.limit(SEARCH_RATE)
@kept_page
def search_page() -> tuple[str, int]:
    state = browse.parse_state(request.args)
    result = browse.run(state, current_user)
    countries = reading.country_names(current_user)
    facets = browse.facet_values(state, result, countries)
    status = 400 if (state.problems or result.error) else 200
    page_notice = None
    if state.page > result.pages:
        page_notice = _(
            "There is no page %(page)s; this is the last page, %(last)s.",
            page=state.page, last=result.pages,
        )  # fmt: skip
    return render_template(
        "digest/search.html", state=state, result=result, facets=facets, titles=browse.FACET_TITLES,
        sorts=browse.SORTS, years=browse.YEARS, label=presentation.hit_label,
        year_counts=browse.year_counts(result), page_notice=page_notice,
    ), status  # fmt: skip


@kept_page
def case(slug: str) -> str:
    digest = reading.get_visible_case(slug, current_user)
    return render_template(
        "digest/case.html", case=digest, summary=presentation.summary_box(digest),
        sections=presentation.body_sections(digest), citation=presentation.citation(digest),
        related=reading.related_cases(digest, current_user),
        modules=reading.linked_modules(digest), modus_operandi=vocab.MODUS_OPERANDI,
        not_citable=presentation.not_citable(),
    )  # fmt: skip
