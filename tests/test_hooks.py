"""Extension points (`app.core.hooks`) are stored per application: two apps created in one
process never see each other's registrations."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app import create_app
from app.core import hooks
from app.core.markdown import register_reference, render_markdown
from app.core.nav import NavItem, register_nav


def test_two_apps_do_not_share_registrations() -> None:
    first, second = Flask("first"), Flask("second")
    register_reference(first, "case", lambda slug: ("/cases/a", "Case A"))
    register_nav(first, NavItem("Only here", "somewhere"))

    assert hooks.references.entries(second) == {}
    assert hooks.nav.entries(second) == {}
    with first.app_context():
        assert 'href="/cases/a"' in str(render_markdown("[[case:a]]"))
    with second.app_context():
        assert (
            str(render_markdown("[[case:a]]")) == "<p><em>case reference (not available)</em></p>"
        )


def test_every_feature_plugs_into_the_app_it_is_created_with(tmp_path: Path) -> None:
    apps = [
        create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / name}.db"})
        for name in ("one", "two")
    ]
    for app in apps:
        assert set(hooks.review_kinds.entries(app)) == {
            "application",
            "case_draft",
            "post",
            "flag",
            "nomination",
            "message",
        }
        assert {"case", "module"} <= set(hooks.references.entries(app))
        assert {"posts", "library", "cases"} <= set(hooks.search_indexes.entries(app))
        assert list(hooks.content_sources.entries(app)) == ["courses", "cases"]
        assert {"content", "users", "forum", "search", "db"} <= set(app.cli.commands)
        assert {"profile", "learning", "forum"} <= set(hooks.data_export.entries(app))
    # The same objects are registered, but into separate stores.
    assert hooks.nav.entries(apps[0]) is not hooks.nav.entries(apps[1])
    register_nav(apps[0], NavItem("Extra", "core.index"))
    assert "core.index" in hooks.nav.entries(apps[0])
    assert hooks.nav.entries(apps[1])["core.index"].label == "Home"
