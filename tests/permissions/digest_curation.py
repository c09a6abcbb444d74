"""Permission decisions for curation (moderators and admins only), exports, API and statistics.

Curator pages need a moderator: visitors are sent to sign in, trainees and practitioners get 403.
Exports, the API and the statistics are public, but a restricted case exists in them only for
practitioners and above, and a draft only for moderators and above (404 for everyone else).
"""

from __future__ import annotations

from app.core.db import db
from app.digest.models import CaseDigest
from app.digest.services import curation
from tests.permissions import RouteCase, World, at_least, everyone

BODY = "\n\n".join(
    f"## {heading}\n\nText of {heading.lower()}."
    for heading in ("Summary", "Facts", "Investigation", "Prosecution and decision",
                    "Commentary", "Good practices", "Sources")
)  # fmt: skip


def _case(slug: str, status: str, restricted: bool = False) -> CaseDigest:
    case = CaseDigest(
        slug=slug, title=f"Case {slug}", country="Spain", region="European Union",
        decision_year=2020, stage="final", outcome="conviction",
        sources=["CTOC/COP/2020"], body=BODY, status=status, restricted=restricted,
    )  # fmt: skip
    db.session.add(case)
    db.session.flush()
    return case


def build(world: World) -> None:
    moderator = world["users"]["moderator"]
    draft = _case("cur-draft", "draft")
    curation.add_revision(draft, moderator, "First version")
    published = _case("cur-public", "published")
    curation.add_revision(published, moderator, "First version")
    published.title = "Case cur-public, second title"
    curation.add_revision(published, moderator, "Second version")
    _case("cur-restricted", "published", restricted=True)


MODERATORS = at_least("moderator")
FORM_REFUSED = at_least("moderator", status=400)  # an empty form is refused with its messages


def _visible_from(role: str) -> dict[str, int]:
    roles = ("anonymous", "trainee", "practitioner", "moderator", "admin")
    return {name: 200 if index >= roles.index(role) else 404 for index, name in enumerate(roles)}


CASES = [
    RouteCase("digest.curate", "/cases/curate", MODERATORS),
    RouteCase("digest.new", "/cases/new", MODERATORS),
    RouteCase("digest.new", "/cases/new", FORM_REFUSED, method="POST"),
    RouteCase("digest.edit", "/cases/cur-draft/edit", MODERATORS),
    RouteCase("digest.edit", "/cases/no-such-case/edit", at_least("moderator", 404)),
    RouteCase("digest.edit", "/cases/cur-public/edit", FORM_REFUSED, method="POST"),
    RouteCase("digest.submit", "/cases/cur-draft/submit", at_least("moderator", 302),
              method="POST"),
    RouteCase("digest.submit", "/cases/cur-public/submit", at_least("moderator", 409),
              method="POST"),
    RouteCase("digest.history", "/cases/cur-public/history", MODERATORS),
    RouteCase("digest.diff", "/cases/cur-public/diff?from=1&to=2", MODERATORS),
    RouteCase("digest.diff", "/cases/cur-public/diff?from=1&to=7",
              at_least("moderator", 404)),
    RouteCase("digest.restore", "/cases/cur-public/history/1/restore",
              at_least("moderator", 302), method="POST"),
    RouteCase("digest.synonym_list", "/cases/synonyms", MODERATORS),
    RouteCase("digest.synonym_list", "/cases/synonyms", FORM_REFUSED, method="POST"),
    RouteCase("digest.remove_synonym_group", "/cases/synonyms/999999/remove",
              at_least("moderator", 404), method="POST"),
    RouteCase("digest.statistics", "/cases/statistics", everyone()),
    RouteCase("digest.export_csv", "/cases/export.csv", everyone()),
    RouteCase("digest.export_csv", "/cases/export.csv?region=nowhere", everyone(400)),
    RouteCase("digest.export_json", "/cases/export.json?q=pistols", everyone()),
    RouteCase("digest_api.cases", "/api/v1/cases", everyone()),
    RouteCase("digest_api.cases", "/api/v1/cases?colour=red", everyone(400)),
    RouteCase("digest_api.case", "/api/v1/cases/cur-public", everyone()),
    RouteCase("digest_api.case", "/api/v1/cases/cur-restricted", _visible_from("practitioner")),
    RouteCase("digest_api.case", "/api/v1/cases/cur-draft", _visible_from("moderator")),
    RouteCase("digest_api.case", "/api/v1/cases/no-such-case", everyone(404)),
    RouteCase("digest_api.openapi_document", "/api/v1/openapi.json", everyone()),
]  # fmt: skip
