"""The review queue, moderator decisions, and the audit log (admins browse and export it)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from app.core.errors import ServiceError
from app.core.pagination import page_number
from app.core.permissions import Role, role_required
from app.moderation import audit_views, services

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.route("/")
@role_required(Role.MODERATOR)
def queue() -> str:
    kind = request.args.get("kind", "")
    known = services.kinds()
    if kind and kind not in known:
        kind = ""
    items = services.open_items(kind or None)
    return render_template(
        "moderation/queue.html",
        items=items,
        kinds=known,
        counts=services.open_counts(),
        current_kind=kind,
    )


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def item(item_id: int) -> str | BaseResponse | tuple[str, int]:
    try:
        review_item, kind = services.get_item(item_id)
    except ServiceError:
        abort(404)
    context = kind.load(review_item.target_id)
    if request.method == "POST":
        decision = request.form.get("decision", "")
        reason = request.form.get("reason", "")[:2000]
        try:
            services.decide(current_user, item_id, decision, reason)
        except ServiceError as error:
            flash(error.message, "error")
            return render_template(
                "moderation/item.html", item=review_item, kind=kind, target=context, reason=reason
            ), error.status
        flash("Decision recorded.", "success")
        return redirect(url_for("moderation.queue"))
    return render_template(
        "moderation/item.html", item=review_item, kind=kind, target=context, reason=""
    )


@bp.route("/audit")
@role_required(Role.ADMIN)
def audit() -> str:
    filters = audit_views.parse_filters(request.args)
    page = audit_views.search(filters, page_number(request.args.get("page")))
    return render_template(
        "moderation/audit.html",
        page=page,
        filters=filters,
        actions=audit_views.known_actions(),
        target_url=audit_views.target_url,
    )


@bp.route("/audit.csv")
@role_required(Role.ADMIN)
def audit_csv() -> Response:
    filters = audit_views.parse_filters(request.args)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["time", "actor", "action", "target_type", "target_id", "reason", "details", "target_url"]
    )
    for entry, actor in audit_views.rows(filters, limit=50_000):
        writer.writerow(
            [
                entry.created_at.isoformat(timespec="seconds"),
                actor or "",
                entry.action,
                entry.target_type,
                entry.target_id,
                audit_views.csv_safe(entry.reason),
                audit_views.csv_safe(entry.details),
                audit_views.target_url(entry.target_type, entry.target_id) or "",
            ]
        )
    stamp = datetime.now().strftime("%Y%m%d")
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )
