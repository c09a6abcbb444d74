"""Every URL of learning: catalogue, courses, modules, lessons, attempts, dashboard, glossary,
certificates and their public verification, training reports, the sources cited."""

from __future__ import annotations

from flask import Blueprint

from app.learning.views import badges, certificates, courses, lessons, reports, sources

bp = Blueprint("learning", __name__)

bp.add_url_rule("/courses", view_func=courses.catalogue)
bp.add_url_rule("/courses/<slug>", view_func=courses.course)
bp.add_url_rule("/courses/<slug>/enrol", view_func=courses.enrol, methods=["POST"])
bp.add_url_rule("/modules/<slug>", view_func=courses.module_by_slug)
bp.add_url_rule("/modules/<slug>/lessons/<lesson_slug>", view_func=lessons.lesson)
bp.add_url_rule(
    "/modules/<slug>/lessons/<lesson_slug>/blocks/<block_id>",
    view_func=lessons.answer_block,
    methods=["POST"],
)
bp.add_url_rule(
    "/modules/<slug>/lessons/<lesson_slug>/read",
    view_func=courses.mark_lesson_read,
    methods=["POST"],
)
bp.add_url_rule("/modules/<slug>/attempts", view_func=courses.start_attempt, methods=["POST"])
bp.add_url_rule(
    "/learning/attempts/<int:attempt_id>", view_func=courses.attempt, methods=["GET", "POST"]
)
bp.add_url_rule("/learning/attempts/<int:attempt_id>/summary", view_func=courses.attempt_summary)
bp.add_url_rule(
    "/learning/attempts/<int:attempt_id>/submit", view_func=courses.submit_attempt, methods=["POST"]
)
bp.add_url_rule("/learning/attempts/<int:attempt_id>/review", view_func=courses.review)
bp.add_url_rule("/dashboard", view_func=courses.dashboard)
bp.add_url_rule("/glossary", view_func=courses.glossary_page)
bp.add_url_rule("/sources", view_func=sources.sources_page)
bp.add_url_rule("/certificates/", view_func=certificates.certificate_lookup)
bp.add_url_rule("/certificates/<code>", view_func=certificates.certificate)
bp.add_url_rule("/certificates/<code>/print", view_func=certificates.certificate_print)
bp.add_url_rule(
    "/certificates/<code>/settings", view_func=certificates.certificate_settings, methods=["POST"]
)
bp.add_url_rule(
    "/certificates/<code>/revoke", view_func=certificates.certificate_revoke, methods=["POST"]
)
bp.add_url_rule("/certificates/<code>/assertion.json", view_func=badges.badge_assertion)
bp.add_url_rule("/courses/<slug>/badge.json", view_func=badges.badge_class)
bp.add_url_rule("/badges/issuer.json", view_func=badges.badge_issuer)
bp.add_url_rule("/learning/reports/", view_func=reports.reports)
bp.add_url_rule("/learning/reports/<slug>", view_func=reports.course_report)
bp.add_url_rule("/learning/reports/<slug>.csv", view_func=reports.course_report_csv)
