"""Every registered route has an explicit permission decision for every role, and it holds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from app.accounts.models import User
from app.core.db import db
from tests.conftest import ClientFor
from tests.permissions import ROLES, World, all_cases, builders


@pytest.fixture
def world(app: Flask, make_user: Callable[..., User]) -> World:
    data: World = {"users": {}}
    for role in ROLES[1:]:
        data["users"][role] = make_user(role, email=f"matrix-{role}@example.org")
    with app.app_context():
        for build in builders():
            build(data)
        db.commit()
    return data


def test_every_route_has_a_permission_decision(app: Flask) -> None:
    covered = {(case.endpoint, case.method) for case in all_cases()}
    missing = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without an entry in tests/permissions/: " + ", ".join(missing)


def test_every_case_lists_every_role() -> None:
    incomplete = [c.endpoint for c in all_cases() if set(c.expect) != set(ROLES)]
    assert not incomplete


@pytest.mark.parametrize("role", ROLES)
def test_routes_answer_each_role_as_decided(
    app: Flask, world: World, role: str, client_for: ClientFor
) -> None:
    mismatches = []
    for case in all_cases():
        client = app.test_client() if role == "anonymous" else client_for(world["users"][role])
        url = case.resolve(world)
        response = client.open(url, method=case.method, data=case.data)
        response.close()
        if response.status_code != case.expect[role]:
            mismatches.append(
                f"{case.method} {url}: expected {case.expect[role]}, got {response.status_code}"
            )
    assert not mismatches, f"as {role}:\n" + "\n".join(mismatches)
