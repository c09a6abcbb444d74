"""Every URL of the digest: `digest` for the pages (search, case, saved searches and their
alerts, curation, search synonyms, exports, statistics), `digest_api` for the read-only JSON
API under /api/v1."""

from __future__ import annotations

from flask import Blueprint

from app.digest.views import api, cases, curation, exports, saved_searches, synonyms

bp = Blueprint("digest", __name__)
api_bp = Blueprint("digest_api", __name__)

bp.add_url_rule("/cases", view_func=cases.search_page)
bp.add_url_rule("/cases/<slug>", view_func=cases.case)
bp.add_url_rule("/cases/saved", view_func=saved_searches.saved_search_list)
bp.add_url_rule("/cases/saved", view_func=saved_searches.save_search, methods=["POST"])
bp.add_url_rule("/cases/saved/<int:search_id>", view_func=saved_searches.run_saved_search)
bp.add_url_rule(
    "/cases/saved/<int:search_id>/rename",
    view_func=saved_searches.rename_saved_search,
    methods=["POST"],
)
bp.add_url_rule(
    "/cases/saved/<int:search_id>/alert",
    view_func=saved_searches.saved_search_alert,
    methods=["POST"],
)
bp.add_url_rule(
    "/cases/saved/<int:search_id>/delete",
    view_func=saved_searches.delete_saved_search,
    methods=["POST"],
)
bp.add_url_rule(
    "/cases/alerts/unsubscribe/<token>",
    view_func=saved_searches.unsubscribe,
    methods=["GET", "POST"],
)
bp.add_url_rule("/cases/curate", view_func=curation.curate)
bp.add_url_rule("/cases/new", view_func=curation.new, methods=["GET", "POST"])
bp.add_url_rule("/cases/<slug>/edit", view_func=curation.edit, methods=["GET", "POST"])
bp.add_url_rule("/cases/<slug>/submit", view_func=curation.submit, methods=["POST"])
bp.add_url_rule("/cases/<slug>/history", view_func=curation.history)
bp.add_url_rule("/cases/<slug>/diff", view_func=curation.diff)
bp.add_url_rule(
    "/cases/<slug>/history/<int:number>/restore", view_func=curation.restore, methods=["POST"]
)
bp.add_url_rule("/cases/synonyms", view_func=synonyms.synonym_list, methods=["GET", "POST"])
bp.add_url_rule(
    "/cases/synonyms/<int:group_id>/remove",
    view_func=synonyms.remove_synonym_group,
    methods=["POST"],
)
bp.add_url_rule("/cases/export.csv", view_func=exports.export_csv)
bp.add_url_rule("/cases/export.json", view_func=exports.export_json)
bp.add_url_rule("/cases/statistics", view_func=exports.statistics)
api_bp.add_url_rule("/api/v1/cases", view_func=api.cases)
api_bp.add_url_rule("/api/v1/cases/<slug>", view_func=api.case)
api_bp.add_url_rule("/api/v1/openapi.json", view_func=api.openapi_document)
