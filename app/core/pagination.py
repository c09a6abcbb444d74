"""Pagination of a select() and safe parsing of page numbers from query strings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from app.core.db import db

T = TypeVar("T")
MAX_PAGE = 10_000


def page_number(raw: str | None) -> int:
    """Parse a page number from untrusted input; anything odd means page 1."""
    try:
        value = int(raw or "1")
    except ValueError:
        return 1
    return min(max(value, 1), MAX_PAGE)


@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(stmt: Select[Any], page: int, per_page: int) -> Page[Any]:
    """Run stmt for one page, with the total count from the same filters."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
