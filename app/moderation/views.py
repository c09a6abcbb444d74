"""The review queue, moderator decisions, and the audit log (admins browse and export it)."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from app.core import spreadsheet
from app.core.errors import ServiceError
from app.core.pagination import page_number
from app.core.permissions import Role, requires, role_required
from app.moderation import audit_log, policy
from app.moderation.forms import REASON_MAX, DecisionForm
from app.moderation.services import queue as services
from app.moderation.services import second_person


@role_required(Role.MODERATOR)
def queue() -> str:
    kind = request.args.get("kind", "")
    known = services.kinds()
    if kind and kind not in known:
        kind = ""
    items = services.open_items(kind or None)
    waiting = {
        item.id: second_person.waiting_on(known[item.kind].authors_of(item.target_id))
        for item in items
        if item.kind in known and known[item.kind].authors is not None
    }
    return render_template(
        "moderation/queue.html",
        items=items,
        waiting=waiting,
        kinds=known,
        counts=services.open_counts(),
        current_kind=kind,
    )


@role_required(Role.MODERATOR)
def item(item_id: int) -> str | BaseResponse | tuple[str, int]:
    try:
        review_item, kind = services.get_item(item_id)
    except ServiceError:
        abort(404)
    context = kind.load(review_item.target_id)
    form = DecisionForm()
    if request.method == "POST":
        reason = (form.reason.data or "")[:REASON_MAX]
        try:
            if not form.validate_on_submit():
                raise ServiceError(next(iter(form.errors.values()))[0])
            services.decide(current_user, item_id, form.decision.data or "", reason,
                             confirm_self=bool(form.confirm_self.data))  # fmt: skip
        except ServiceError as error:
            flash(error.message, "error")
            return render_template(
                "moderation/item.html", item=review_item, kind=kind, target=context,
                reason=reason, own=_own_work(kind, review_item.target_id),
            ), error.status  # fmt: skip
        flash(_("Decision recorded."), "success")
        return redirect(url_for("moderation.queue"))
    return render_template(
        "moderation/item.html", item=review_item, kind=kind, target=context, reason="",
        own=_own_work(kind, review_item.target_id),
    )  # fmt: skip


def _own_work(kind: services.ReviewKind, target_id: int) -> dict[str, object] | None:
    """None unless the moderator wrote the target; else who else may decide (none: sole)."""
    authors = kind.authors_of(target_id)
    if current_user.id not in authors:
        return None
    return {"others": second_person.other_deciders(authors)}


@requires(policy.can_read_audit_log)
def audit() -> str:
    filters = audit_log.parse_filters(request.args, policy.reads_whole_audit_log(current_user))
    page = audit_log.search(filters, page_number(request.args.get("page")))
    labels = audit_log.target_labels([entry for entry, _ in page.items])
    return render_template(
        "moderation/audit.html",
        page=page,
        labels=labels,
        target_words=audit_log.target_words,
        details_pairs=audit_log.details_pairs,
        filters=filters,
        actions=audit_log.known_actions(filters.everything),
        target_url=audit_log.target_url,
    )


@requires(policy.can_read_audit_log)
def audit_csv() -> Response:
    filters = audit_log.parse_filters(request.args, policy.reads_whole_audit_log(current_user))
    header = ["time", "actor", "action", "target_type", "target_id", "reason", "details",
              "target_url"]  # fmt: skip
    rows = [
        [
            entry.created_at.isoformat(timespec="seconds"),
            actor or "",
            entry.action,
            entry.target_type,
            entry.target_id,
            entry.reason,
            entry.details,
            audit_log.target_url(entry.target_type, entry.target_id) or "",
        ]
        for entry, actor in audit_log.rows(filters, limit=50_000)
    ]
    stamp = datetime.now().strftime("%Y%m%d")
    return Response(
        spreadsheet.csv_text([header, *rows]),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )
