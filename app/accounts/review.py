"""How practitioner applications appear in the moderation review queue."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.accounts.models import PractitionerApplication, User
from app.accounts.services import users as services
from app.core.db import db
from app.moderation.services.queue import ReviewKind, register_kind


def _load(application_id: int) -> dict[str, Any] | None:
    application = db.session.get(PractitionerApplication, application_id)
    if application is None:
        return None
    return {"application": application, "user": application.user}


def _approve(moderator: User, application_id: int, reason: str) -> None:
    services.decide_application(moderator, application_id, True, reason)


def _reject(moderator: User, application_id: int, reason: str) -> None:
    services.decide_application(moderator, application_id, False, reason)


def register(app: Flask) -> None:
    register_kind(
        app,
        ReviewKind(
            name="application",
            label=_l("Practitioner applications"),
            load=_load,
            template="moderation/kinds/application.html",
            decisions={"approve": _approve, "reject": _reject},
            needs_reason=frozenset({"reject"}),
        ),
    )
