"""The statistics page of the case digest: server-rendered SVG charts and the frequent routes."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.digest import stats, vocab

bp = Blueprint("digest_stats", __name__, url_prefix="/cases")


@bp.route("/statistics")
def statistics() -> str:
    result = stats.statistics(current_user, labels=vocab.MODUS_OPERANDI)
    return render_template("digest/statistics.html", stats=result)
