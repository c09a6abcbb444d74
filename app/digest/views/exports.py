"""Data out of the digest: the search page's current result set as CSV and JSON (up to 1,000
rows), and the statistics page (server-rendered SVG charts)."""

from __future__ import annotations

import json

from flask import Response, abort, render_template, request
from flask_login import current_user

from app.core.time import utcnow
from app.digest import browse, exports, stats, vocab
from app.extensions import limiter

EXPORT_RATE = "20 per minute"


def _result_set() -> exports.ResultSet:
    state = browse.parse_state(request.args)
    if state.problems:
        abort(400, " ".join(state.problems))
    try:
        return exports.result_set(state, current_user)
    except ValueError as error:  # the search text could not be run
        abort(400, str(error))


def _headers(result: exports.ResultSet, extension: str) -> dict[str, str]:
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return {
        "Content-Disposition": f'attachment; filename="cases-{stamp}.{extension}"',
        "X-Total-Count": str(result.total),
        "X-Export-Truncated": "true" if result.truncated else "false",
    }


@limiter.limit(EXPORT_RATE)
def export_csv() -> Response:
    result = _result_set()
    body = exports.csv_text(result.rows)
    return Response(body, mimetype="text/csv", headers=_headers(result, "csv"))


@limiter.limit(EXPORT_RATE)
def export_json() -> Response:
    result = _result_set()
    document = {
        "total": result.total,
        "count": len(result.rows),
        "truncated": result.truncated,
        "limit": exports.EXPORT_LIMIT,
        "cases": result.rows,
    }
    body = json.dumps(document, ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json", headers=_headers(result, "json"))


def statistics() -> str:
    result = stats.statistics(current_user, labels=vocab.MODUS_OPERANDI)
    return render_template("digest/statistics.html", stats=result)
