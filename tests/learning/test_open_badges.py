"""Certificates as Open Badges 2.0 hosted assertions: the Assertion, BadgeClass and Issuer
JSON-LD at stable URLs, checked offline against the schema kept beside this file
(openbadges/ob2.schema.json, written from the Open Badges 2.0 specification)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.permissions import Role
from app.learning.models import Certificate
from tests.conftest import ClientFor
from tests.learning.factory import MakeCourse, Take

User_ = Callable[..., User]
SCHEMA = json.loads((Path(__file__).parent / "openbadges" / "ob2.schema.json").read_text())


def valid(kind: str, data: Any) -> list[str]:
    """Every error of `data` against one definition of the schema (empty when valid)."""
    schema = {**SCHEMA, "allOf": [{"$ref": f"#/definitions/{kind}"}]}
    schema.pop("$id", None)
    return [error.message for error in jsonschema_rs.Draft7Validator(schema).iter_errors(data)]


def _fetch(client: FlaskClient, url: str, status: int = 200) -> dict[str, Any]:
    """GET an absolute id URL of this site, as a backpack would."""
    response = client.get(urlsplit(url).path)
    assert response.status_code == status, (url, response.status_code)
    assert response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data: dict[str, Any] = response.get_json(force=True)
    return data


@pytest.fixture
def certified(
    app: Flask, make_course: MakeCourse, make_user: User_, client_for: ClientFor, take: Take
) -> tuple[User, FlaskClient, Certificate]:
    make_course(modules=1)
    holder = make_user(email="amina.diallo@example.org")
    client = client_for(holder)
    take(client, "basics-m1")
    with app.app_context():
        certificate = db.session.scalars(select(Certificate)).one()
        db.session.expunge(certificate)
    return holder, client, certificate


def test_assertion_badge_class_and_issuer_are_valid_open_badges_2(
    app: Flask, certified: tuple[User, FlaskClient, Certificate], client: FlaskClient
) -> None:
    holder, _, certificate = certified
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    url = f"{base}/certificates/{certificate.code}/assertion.json"
    assertion = _fetch(client, url)  # anyone may fetch it: hosted verification
    assert valid("assertion", assertion) == []
    assert assertion["id"] == url  # the id is where it is hosted
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["issuedOn"] == certificate.issued_at.replace(microsecond=0).isoformat() + "Z"
    # The e-mail address is only there hashed, with the certificate's own salt.
    recipient = assertion["recipient"]
    assert recipient["salt"] == certificate.badge_salt and len(certificate.badge_salt) == 32
    digest = hashlib.sha256(("amina.diallo@example.org" + certificate.badge_salt).encode())
    assert recipient == {
        "type": "email", "hashed": True, "salt": certificate.badge_salt,
        "identity": "sha256$" + digest.hexdigest(),
    }  # fmt: skip
    assert "amina" not in json.dumps(assertion) and holder.display_name not in json.dumps(assertion)

    badge = _fetch(client, assertion["badge"])
    assert valid("badgeClass", badge) == []
    assert badge["id"] == f"{base}/courses/basics/badge.json"
    assert badge["name"] == "Course basics"
    assert badge["criteria"]["id"] == f"{base}/courses/basics"
    image = client.get(urlsplit(badge["image"]).path)
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    image.close()
    issuer = _fetch(client, badge["issuer"])
    assert valid("issuer", issuer) == []
    assert issuer["id"] == f"{base}/badges/issuer.json"
    assert issuer["name"] == "Firearms Practitioners' Platform"


def test_the_certificate_page_links_to_its_badge(
    certified: tuple[User, FlaskClient, Certificate], client: FlaskClient
) -> None:
    _, holder_client, certificate = certified
    path = f"/certificates/{certificate.code}/assertion.json"
    mine = holder_client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    assert f'href="{path}"' in mine and ">Open Badge (JSON)</a>" in mine
    assert f"{path}</code>" in mine and "import it there by its URL" in mine
    public = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    assert f'href="{path}"' in public and "import it there by its URL" not in public


def test_each_certificate_has_its_own_salt_kept_across_fetches(
    app: Flask, make_course: MakeCourse, make_user: User_, client_for: ClientFor, take: Take,
    client: FlaskClient,
) -> None:  # fmt: skip
    make_course(modules=1)
    for _ in range(2):
        take(client_for(make_user()), "basics-m1")
    with app.app_context():
        codes = list(db.session.scalars(select(Certificate.code)))
    salts = [
        client.get(f"/certificates/{code}/assertion.json").get_json()["recipient"]["salt"]
        for code in codes
    ]
    again = client.get(f"/certificates/{codes[0]}/assertion.json").get_json()
    assert len(set(salts)) == 2 and again["recipient"]["salt"] == salts[0]


def test_a_revoked_certificate_answers_gone_with_revoked_true(
    certified: tuple[User, FlaskClient, Certificate], client: FlaskClient, login: User_
) -> None:
    _, _, certificate = certified
    login(Role.MODERATOR)
    revoked = client.post(
        f"/certificates/{certificate.code}/revoke", data={"reason": "Issued in error."}
    )
    assert revoked.status_code == 302
    response = client.get(f"/certificates/{certificate.code}/assertion.json")
    assert response.status_code == 410
    data = response.get_json(force=True)
    assert valid("revokedAssertion", data) == []
    assert data["revoked"] is True and data["revocationReason"] == "Issued in error."
    assert "recipient" not in data


def test_unknown_codes_and_courses_are_not_found(client: FlaskClient) -> None:
    assert client.get("/certificates/ABCD-EFGH-JKLM/assertion.json").status_code == 404
    assert client.get("/courses/no-such-course/badge.json").status_code == 404


def test_the_schema_refuses_what_the_specification_requires(
    certified: tuple[User, FlaskClient, Certificate], client: FlaskClient
) -> None:
    """The schema is no rubber stamp: each required property, a plain-text identity that says
    it is hashed, and a term outside the Open Badges context are each refused."""
    _, _, certificate = certified
    good = client.get(f"/certificates/{certificate.code}/assertion.json").get_json()
    for key in ("recipient", "badge", "verification", "issuedOn", "id", "@context"):
        assert valid("assertion", {k: v for k, v in good.items() if k != key}) != [], key
    plain = {**good, "recipient": {**good["recipient"], "identity": "amina@example.org"}}
    assert valid("assertion", plain) != []
    assert valid("assertion", {**good, "score": 90}) != []
    assert valid("assertion", {**good, "issuedOn": "6 December 2026"}) != []
