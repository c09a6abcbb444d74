"""Curators saving the same case at the same moment: no 500, no shared revision number.

Real threads, each with its own test client and database connection, against the SQLite file
or PostgreSQL (TEST_DATABASE_URL): the same guarantees must hold on both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.digest.models import CaseDigest, CaseRevision
from tests.conftest import PASSWORD
from tests.digest.curation_helpers import case_form

THREADS = 6


def _together(app: Flask, users: list[User], work: Callable[[FlaskClient, int], Any]) -> list[Any]:
    barrier = threading.Barrier(len(users))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(user: User, index: int) -> None:
        try:
            client = app.test_client()
            signed = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
            assert signed.status_code == 302
            barrier.wait(timeout=30)
            result = work(client, index)
            with lock:
                results.append(result)
        except BaseException as error:  # reported to the test below
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=run, args=(u, i)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def _numbers(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(CaseRevision.number).order_by(CaseRevision.number)))


def _curators(make_user: Callable[..., User]) -> list[User]:
    return [make_user("moderator") for _ in range(THREADS)]


def test_simultaneous_edits_from_the_same_revision_save_one_and_refuse_the_others(
    app: Flask, make_user: Callable[..., User], login: Callable[..., User], client: FlaskClient
) -> None:
    login("moderator")
    assert client.post("/cases/new", data=case_form()).status_code == 302
    users = _curators(make_user)

    def edit(curator: FlaskClient, index: int) -> tuple[int, str]:
        form = case_form(title=f"Title {index}", reason=f"Edit {index}", base_revision="1")
        response = curator.post("/cases/fuel-tank-courier/edit", data=form)
        return response.status_code, response.get_data(as_text=True)

    results = _together(app, users, edit)
    statuses = sorted(status for status, _page in results)
    assert statuses == [302] + [409] * (THREADS - 1)
    refused = [page for status, page in results if status == 409]
    assert all("was saved after you opened it" in page for page in refused)
    assert all('name="reason"' in page and "Edit " in page for page in refused)  # form kept
    assert _numbers(app) == [1, 2]


def test_simultaneous_edits_without_a_base_each_get_the_next_number(
    app: Flask, make_user: Callable[..., User], login: Callable[..., User], client: FlaskClient
) -> None:
    login("moderator")
    assert client.post("/cases/new", data=case_form()).status_code == 302
    users = _curators(make_user)

    def edit(curator: FlaskClient, index: int) -> int:
        form = case_form(title=f"Title {index}", reason=f"Edit {index}")
        return curator.post("/cases/fuel-tank-courier/edit", data=form).status_code

    assert _together(app, users, edit) == [302] * THREADS
    assert _numbers(app) == list(range(1, THREADS + 2))
    with app.app_context():
        title = db.session.scalar(select(CaseDigest.title))
        last = db.session.scalar(
            select(CaseRevision.snapshot).order_by(CaseRevision.number.desc()).limit(1)
        )
    assert last is not None and last["title"] == title  # the last revision is the live case


def test_simultaneous_creations_of_one_address_keep_one_and_refuse_the_others(
    app: Flask, make_user: Callable[..., User]
) -> None:
    users = _curators(make_user)

    def create(curator: FlaskClient, index: int) -> int:
        return curator.post("/cases/new", data=case_form(title=f"Title {index}")).status_code

    assert sorted(_together(app, users, create)) == [302] + [409] * (THREADS - 1)
    assert _numbers(app) == [1]
