"""The read-only JSON API of the case digest: `/api/v1/cases`, `/api/v1/cases/<slug>`.

The filters are the search page's; visitors get public cases without any session, signed-in
practitioners and above also restricted ones. Unknown or malformed parameters give a 400 JSON
error naming the problem. The API is described by `/api/v1/openapi.json`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, request
from flask_login import current_user

from app.digest import browse, exports, openapi, reading
from app.digest import index as case_index
from app.extensions import limiter

API_RATE = "120 per minute"
MAX_PER_PAGE = exports.SEARCH_PAGE
LIST_PARAMETERS = frozenset({"q", *case_index.FACETS, "year_from", "year_to", "sort", "page",
                             "per_page"})  # fmt: skip


def _whole_number(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.strip().isdigit() or not low <= int(raw) <= high:
        abort(400, f"'{name}' must be a whole number from {low} to {high}.")
    return int(raw)


def _listing() -> dict[str, Any]:
    unknown = sorted(set(request.args) - LIST_PARAMETERS)
    if unknown:
        abort(400, f"Unknown parameter(s): {', '.join(unknown)}. See /api/v1/openapi.json.")
    state = browse.parse_state(request.args)
    notices = []
    if state.years_swapped:
        # As on the search page: the range is read the right way round, and the answer says so.
        state.problems.remove(str(browse.YEARS_SWAPPED))
        notices.append("'year_from' was after 'year_to': the two were swapped.")
    if state.problems:
        abort(400, " ".join(state.problems))
    page = _whole_number("page", 1, 1, 10_000)
    per_page = _whole_number("per_page", browse.PER_PAGE, 1, MAX_PER_PAGE)
    result = exports.run_search(state, current_user, page, per_page, facets=True)
    if result.error:
        abort(400, result.error)
    return {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "per_page": per_page,
        "notice": " ".join([*notices, result.notice or ""]).strip() or None,
        "cases": exports.rows_for([hit.key for hit in result.hits], current_user),
        "facets": {
            name: [{"value": value, "count": count} for value, count in values]
            for name, values in result.facets.items()
        },
    }


@limiter.limit(API_RATE)
def cases() -> Response:
    return jsonify(_listing())


@limiter.limit(API_RATE)
def case(slug: str) -> Response:
    if request.args:
        abort(400, "This address takes no parameters.")
    digest = reading.get_visible_case(slug, current_user)
    return jsonify({**exports.case_row(digest), "body": digest.body})


def openapi_document() -> Response:
    return jsonify(openapi.document())
