"""Curators saving the same case at the same moment: no 500, no shared revision number."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.digest.models import CaseDigest, CaseRevision
from tests.concurrency import run_together
from tests.conftest import ClientFor
from tests.digest.curation_helpers import case_form

User_ = Callable[..., User]

THREADS = 6


def _numbers(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(CaseRevision.number).order_by(CaseRevision.number)))


@pytest.fixture
def curators(make_user: User_, client_for: ClientFor) -> list[FlaskClient]:
    """Signed-in clients of THREADS moderators."""
    return [client_for(make_user("moderator")) for _ in range(THREADS)]


def test_simultaneous_edits_from_the_same_revision_save_one_and_refuse_the_others(
    app: Flask, login: User_, client: FlaskClient, curators: list[FlaskClient]
) -> None:
    login("moderator")
    assert client.post("/cases/new", data=case_form()).status_code == 302

    def edit(curator: FlaskClient, index: int) -> tuple[int, str]:
        form = case_form(title=f"Title {index}", reason=f"Edit {index}", base_revision="1")
        response = curator.post("/cases/fuel-tank-courier/edit", data=form)
        return response.status_code, response.get_data(as_text=True)

    results = run_together(curators, edit)
    statuses = sorted(status for status, _page in results)
    assert statuses == [302] + [409] * (THREADS - 1)
    refused = [page for status, page in results if status == 409]
    assert all("was saved after you opened it" in page for page in refused)
    assert all('name="reason"' in page and "Edit " in page for page in refused)  # form kept
    assert _numbers(app) == [1, 2]


def test_simultaneous_edits_without_a_base_each_get_the_next_number(
    app: Flask, login: User_, client: FlaskClient, curators: list[FlaskClient]
) -> None:
    login("moderator")
    assert client.post("/cases/new", data=case_form()).status_code == 302

    def edit(curator: FlaskClient, index: int) -> int:
        form = case_form(title=f"Title {index}", reason=f"Edit {index}")
        return curator.post("/cases/fuel-tank-courier/edit", data=form).status_code

    assert run_together(curators, edit) == [302] * THREADS
    assert _numbers(app) == list(range(1, THREADS + 2))
    with app.app_context():
        title = db.session.scalar(select(CaseDigest.title))
        last = db.session.scalar(
            select(CaseRevision.snapshot).order_by(CaseRevision.number.desc()).limit(1)
        )
    assert last is not None and last["title"] == title  # the last revision is the live case


def test_simultaneous_creations_of_one_address_keep_one_and_refuse_the_others(
    app: Flask, curators: list[FlaskClient]
) -> None:

    def create(curator: FlaskClient, index: int) -> int:
        return curator.post("/cases/new", data=case_form(title=f"Title {index}")).status_code

    assert sorted(run_together(curators, create)) == [302] + [409] * (THREADS - 1)
    assert _numbers(app) == [1]
