"""Permission decisions for the case digest reader pages.

The search page and published cases are public; a restricted case exists only for practitioners
and above, a draft only for moderators and above (everyone else gets 404, as for a missing case).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import update

from app.core.db import db
from app.digest.files import read_cases
from app.digest.models import CaseDigest
from app.digest.services.loading import load_cases
from tests.digest.factory import write_case
from tests.permissions import RouteCase, World, everyone


def build(world: World) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "cases"
        write_case(root, "perm-public")
        write_case(root, "perm-restricted", restricted="true")
        write_case(root, "perm-draft")
        files = read_cases(root)
        assert not files.problems, files.problems
        load_cases(files.cases)
    db.session.execute(
        update(CaseDigest).where(CaseDigest.slug == "perm-draft").values(status="draft")
    )


def _from(role: str) -> dict[str, int]:
    """200 from `role` up, 404 below it (the case does not exist for them)."""
    roles = ("anonymous", "trainee", "practitioner", "moderator", "admin")
    rank = roles.index(role)
    return {name: 200 if index >= rank else 404 for index, name in enumerate(roles)}


CASES = [
    RouteCase("digest.search_page", "/cases", everyone()),
    RouteCase("digest.search_page", "/cases?q=pistols&country=portugal&sort=newest", everyone()),
    RouteCase("digest.search_page", "/cases?year_from=soon", everyone(400)),
    RouteCase("digest.case", "/cases/perm-public", everyone()),
    RouteCase("digest.case", "/cases/perm-restricted", _from("practitioner")),
    RouteCase("digest.case", "/cases/perm-draft", _from("moderator")),
    RouteCase("digest.case", "/cases/no-such-case", everyone(404)),
]
