"""Category management by administrators (audit-logged) and the seed categories."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.audit import record
from app.core.db import db, get_or_404
from app.core.errors import Conflict, ServiceError
from app.forum import policy
from app.forum.models import Category

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,118}[a-z0-9]$")

SEED = (
    ("Investigations and tracing", "investigations-and-tracing",
     "Tracing requests, firearms identification, ballistic links and joint investigations."),
    ("Border, postal and courier detection", "border-postal-and-courier-detection",
     "Detection at borders and in postal and express courier flows: risk profiles, "
     "screening, controlled deliveries."),
    ("Online and dark-web trafficking", "online-and-dark-web-trafficking",
     "Sales on surface-web platforms and dark-web markets, undercover purchases, "
     "cryptocurrency tracing."),
    ("Legislation and prosecution", "legislation-and-prosecution",
     "Offences, the UN Firearms Protocol in national law, evidence, charging and sentencing."),
    ("Data and analysis", "data-and-analysis",
     "Seizure data, monitoring, analysis methods and reporting."),
    ("Training and capacity building", "training-and-capacity-building",
     "Courses, exercises, curricula and lessons learned from training."),
)  # fmt: skip


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:120].strip("-")


def get(category_id: int) -> Category:
    return get_or_404(Category, category_id, _("There is no such category."))


def _clean(name: str, slug: str, description: str, position: int | None) -> dict[str, Any]:
    name = " ".join((name or "").split())
    if not 3 <= len(name) <= 120:
        raise ServiceError(_("Give the category a name of 3 to 120 characters."))
    slug = (slug or "").strip().lower() or slugify(name)
    if not SLUG_RE.match(slug):
        raise ServiceError(
            _(
                "The address name may use lower-case letters, digits and hyphens (2 to 120 "
                "characters)."
            )
        )
    description = (description or "").strip()
    if len(description) > 2000:
        raise ServiceError(_("Keep the description under 2,000 characters."))
    if position is not None and not 0 <= position <= 10_000:
        raise ServiceError(_("The position must be a number from 0 to 10000."))
    return {"name": name, "slug": slug, "description": description, "position": position}


def _check_unique(values: dict[str, Any], exclude: int | None = None) -> None:
    for field in ("name", "slug"):
        column = getattr(Category, field)
        stmt = select(Category.id).where(func.lower(column) == values[field].lower())
        if exclude is not None:
            stmt = stmt.where(Category.id != exclude)
        if db.session.scalar(stmt) is not None:
            raise Conflict(
                _("Another category already has this name.")
                if field == "name"
                else _("Another category already has this address name.")
            )


def create(user: User, name: str, slug: str = "", description: str = "",
           position: int | None = None) -> Category:  # fmt: skip
    policy.can_manage_categories.require(user)
    values = _clean(name, slug, description, position)
    _check_unique(values)
    if values["position"] is None:
        values["position"] = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
    category = Category(**values)
    db.session.add(category)
    db.session.flush()
    record(user.id, "forum.category.create", "forum_category", category.id, name=category.name)
    return category


def update(user: User, category: Category, name: str, slug: str, description: str,
           position: int | None) -> Category:  # fmt: skip
    policy.can_manage_categories.require(user)
    values = _clean(name, slug, description, position)
    _check_unique(values, exclude=category.id)
    changes = {
        key: [getattr(category, key), value]
        for key, value in values.items()
        if value is not None and getattr(category, key) != value
    }
    for key, (_old, new) in changes.items():
        setattr(category, key, new)
    db.session.flush()
    if changes:
        record(user.id, "forum.category.update", "forum_category", category.id, "", **changes)
    return category


def move(user: User, category: Category, direction: str) -> None:
    """Swap a category with its neighbour above or below; positions become 1..n."""
    policy.can_manage_categories.require(user)
    if direction not in ("up", "down"):
        raise ServiceError(_("Move a category up or down."))
    ordered = list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))
    index = ordered.index(category)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        raise ServiceError(
            _("This category is already at the top.")
            if other < 0
            else _("This category is already at the bottom.")
        )
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    db.session.flush()
    record(user.id, "forum.category.move", "forum_category", category.id, direction=direction)


def seed() -> int:
    """Create the standard categories that are missing (by slug); returns how many were added."""
    existing = set(db.session.scalars(select(Category.slug)))
    names = {name.lower() for name in db.session.scalars(select(Category.name))}
    added = 0
    for position, (name, slug, description) in enumerate(SEED, start=1):
        if slug in existing or name.lower() in names:
            continue
        db.session.add(Category(name=name, slug=slug, description=description, position=position))
        added += 1
    db.session.flush()
    return added
