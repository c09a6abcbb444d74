"""Site navigation: features register sections, shown only to those who may use them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from app.core import hooks
from app.core.permissions import Role, has_role


@dataclass(frozen=True)
class NavItem:
    # A lazy string (`lazy_gettext`): registered at app start, shown in each reader's language.
    label: str
    endpoint: str
    order: int = 50
    role: Role | None = None  # None: everyone, including visitors
    # "main" sections are in the header's row; "staff" tools in its "Staff tools" menu.
    group: str = "main"


def register_nav(app: Flask, item: NavItem) -> None:
    hooks.nav.register(app, item.endpoint, item)


def visible_nav(app: Flask) -> list[dict[str, object]]:
    # str(): the label is translated now, in the reader's language.
    items = sorted(hooks.nav.values(app), key=lambda item: (item.order, str(item.label)))
    visible = []
    for item in items:
        if item.role is not None and not has_role(current_user, item.role):
            continue
        url = url_for(item.endpoint)
        current = request.path == url or (url != "/" and request.path.startswith(url))
        label = str(item.label)
        visible.append({"label": label, "url": url, "current": current, "group": item.group})
    return visible
