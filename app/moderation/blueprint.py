"""Every URL of moderation: the review queue, its items, and the audit log."""

from __future__ import annotations

from flask import Blueprint

from app.moderation import views

bp = Blueprint("moderation", __name__)

bp.add_url_rule("/moderation/", view_func=views.queue)
bp.add_url_rule("/moderation/items/<int:item_id>", view_func=views.item, methods=["GET", "POST"])
bp.add_url_rule("/moderation/audit", view_func=views.audit)
bp.add_url_rule("/moderation/audit.csv", view_func=views.audit_csv)
