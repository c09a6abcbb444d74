"""Pagination of a select(), safe parsing of page numbers from query strings, and the page
numbers a numbered pager shows (`page_window`, used by the `numbered_pager` macro)."""

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


def page_window(current: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers to link to: the first, the last, and `around` on each side of
    `current`, with None where numbers are left out (shown as an ellipsis)."""
    current = min(max(current, 1), max(pages, 1))
    shown = {1, pages, *range(current - around, current + around + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= pages)
    window: list[int | None] = []
    for number in numbers:
        if window and number - (window[-1] or 0) == 2:
            window.append(number - 1)  # a gap of one page: show the page, not an ellipsis
        elif window and number - (window[-1] or 0) > 2:
            window.append(None)
        window.append(number)
    return window


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
