"""Revision history, the difference between two revisions (escaped), and restoring one."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import AuditEntry
from app.digest.models import CaseDigest, CaseRevision
from app.digest.revisions import compare
from tests.digest.curation_helpers import case_form


def _three_revisions(client: FlaskClient) -> None:
    client.post("/cases/new", data=case_form())
    client.post(
        "/cases/fuel-tank-courier/edit",
        data=case_form(
            title="Pistols in a fuel tank <b>",
            facts="The courier crossed twice a month.\n\n<script>alert(1)</script>",
            route_transit="Bulgaria",
            reason="Second look",
        ),
    )
    client.post(
        "/cases/fuel-tank-courier/edit",
        data=case_form(title="Third title", restricted="y", reason="Restrict it"),
    )


def test_history_lists_every_revision_with_author_and_reason(
    client: FlaskClient, login: Callable[..., User]
) -> None:
    login("moderator", display_name="Curator One")
    _three_revisions(client)
    page = client.get("/cases/fuel-tank-courier/history").get_data(as_text=True)
    assert page.count("<td>Curator One</td>") == 3
    for reason in ("First version", "Second look", "Restrict it"):
        assert reason in page
    assert "3 (current)" in page
    assert '<time datetime="' in page


def test_diff_shows_changed_fields_and_body_lines_escaped(
    client: FlaskClient, login: Callable[..., User]
) -> None:
    login("moderator")
    _three_revisions(client)
    response = client.get("/cases/fuel-tank-courier/diff?from=1&to=2")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<th scope="row">Title</th><td><del>Pistols hidden in a fuel tank</del></td>' in page
    assert "<ins>Pistols in a fuel tank &lt;b&gt;</ins>" in page
    assert "<del>Bulgaria, Romania</del>" in page and "<ins>Bulgaria</ins>" in page
    assert "<del>\u2212 The pistols were wrapped in plastic.</del>" in page
    assert "<ins>+ &lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page
    assert "<script>alert" not in page
    assert "Restricted" not in page  # unchanged between 1 and 2


def test_diff_with_bad_or_unknown_revisions_is_refused(
    client: FlaskClient, login: Callable[..., User]
) -> None:
    login("moderator")
    _three_revisions(client)
    assert client.get("/cases/fuel-tank-courier/diff?from=1&to=x").status_code == 400
    assert client.get("/cases/fuel-tank-courier/diff").status_code == 400
    missing = client.get("/cases/fuel-tank-courier/diff?from=1&to=9")
    assert missing.status_code == 404
    assert "no revision 9" in missing.get_data(as_text=True)
    assert client.get("/cases/no-such-case/diff?from=1&to=2").status_code == 404


def test_restore_makes_a_new_revision_with_the_old_content(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    moderator = login("moderator")
    _three_revisions(client)
    response = client.post("/cases/fuel-tank-courier/history/1/restore")
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(CaseDigest))
        assert case is not None
        assert case.title == "Pistols hidden in a fuel tank" and case.restricted is False
        assert case.route_transit == ["Bulgaria", "Romania"]
        first, last = (
            db.session.scalar(select(CaseRevision).where(CaseRevision.number == number))
            for number in (1, 4)
        )
        assert first is not None and last is not None
        assert (last.reason, last.author_id) == ("Restored from revision 1", moderator.id)
        assert compare(first.snapshot, last.snapshot).empty
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.restore"))
        assert entry is not None and '"restored": 1' in entry.details
    again = client.post("/cases/fuel-tank-courier/history/1/restore")
    assert again.status_code == 400
    assert client.post("/cases/fuel-tank-courier/history/42/restore").status_code == 404


def test_compare_reports_nothing_for_equal_snapshots() -> None:
    snapshot = {"title": "A", "offences": ["x"], "body": "## Summary\n\nText"}
    assert compare(snapshot, dict(snapshot)).empty
    changed = compare(snapshot, {**snapshot, "offences": ["x", "y"], "body": "## Summary\n\nNew"})
    assert [(c.label, c.old, c.new) for c in changed.fields] == [("Offences", "x", "x, y")]
    assert [(line.op, line.text) for line in changed.body if line.op != "same"] == [
        ("removed", "Text"),
        ("added", "New"),
    ]


def test_reordered_list_fields_are_not_changes() -> None:
    """Issue 17 item 9: a list whose items were only put in another order was listed as changed."""
    old = {"title": "A", "weapons": ["pistols", "rifles"], "sources": ["S/1", "S/2"], "body": ""}
    new = {**old, "weapons": ["rifles", "pistols"], "sources": ["S/2", "S/1"]}
    assert compare(old, new).empty
    grown = compare(old, {**new, "weapons": ["rifles", "pistols", "grenades"]})
    assert [c.label for c in grown.fields] == ["Weapons"]


def test_a_changed_paragraph_marks_the_changed_words() -> None:
    """Issue 17 item 9: the whole paragraph was marked removed and added for a one-word edit."""
    before = "The courier carried six pistols across the border in a fuel tank.\n\nSame."
    after = "The courier carried eight pistols across the border in a fuel tank.\n\nSame."
    diff = compare({"body": before}, {"body": after})
    changed = [line for line in diff.body if line.op != "same"]
    assert [line.op for line in changed] == ["changed"]
    assert [piece for piece in changed[0].segments if piece[0] != "same"] == [
        ("removed", "six"),
        ("added", "eight"),
    ]
    rewritten = compare({"body": "Short line."}, {"body": "Something else entirely, longer."})
    assert [line.op for line in rewritten.body] == ["removed", "added"]


def test_restoring_an_old_dated_revision_of_a_composite_restores_its_year_only(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    login("moderator")
    client.post("/cases/new", data=case_form())
    with app.app_context():  # revision 1 as saved before cases had decision_year
        first = db.session.scalar(select(CaseRevision).where(CaseRevision.number == 1))
        assert first is not None
        old = {key: value for key, value in first.snapshot.items() if key != "decision_year"}
        first.snapshot = {**old, "decision_date": "2018-05-04"}
        db.commit()
    client.post("/cases/fuel-tank-courier/edit", data=case_form(title="New", reason="Retitle"))
    assert client.post("/cases/fuel-tank-courier/history/1/restore").status_code == 302
    with app.app_context():
        case = db.session.scalar(select(CaseDigest))
        assert case is not None
        assert (case.title, case.decision_date, case.decision_year) == (
            "Pistols hidden in a fuel tank",
            None,
            2018,
        )
