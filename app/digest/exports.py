"""Result sets of the case search as data: rows for CSV and JSON exports and for the API.

The search state is the search page's (`browse.parse_state`), so an export or an API call gives
the cases the reader sees on the page, with the same visibility rule (`policy.restriction`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from app.accounts.models import Actor
from app.core import spreadsheet
from app.core.db import db
from app.core.urls import external_url
from app.digest import browse, policy
from app.digest import index as case_index
from app.digest.models import CaseDigest
from app.digest.vocab import QUANTITIES
from app.search import SearchResult, search

EXPORT_LIMIT = 1000
SEARCH_PAGE = 100  # the search service's largest page
LIST_SEPARATOR = "; "
FIELDS = (
    "slug", "url", "title", "kind", "status", "country", "region", "court", "court_level",
    "decision_date", "decision_year", "stage", "outcome", "offences", "protocol_articles",
    "convention_articles", "modus_operandi", "weapons", "quantities", "route_origin",
    "route_transit", "route_destination", "links", "techniques", "sentences", "illustrative",
    "restricted", "sources", "modules", "summary",
)  # fmt: skip
CSV_COLUMNS = tuple(
    column
    for name in FIELDS
    for column in ([f"quantity_{key}" for key in QUANTITIES] if name == "quantities" else [name])
)


@dataclass
class ResultSet:
    total: int  # every match the reader may see
    rows: list[dict[str, Any]]  # at most the limit asked for, in the page's order

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def run_search(
    state: browse.SearchState, user: Actor, page: int, per_page: int, *, facets: bool = False
) -> SearchResult:
    """The search page's query (same filters, sort and visibility), one page of keys."""
    request = browse.request_for(state, user, page, per_page)
    return search(replace(request, facets=case_index.FACETS) if facets else request)


def case_row(case: CaseDigest) -> dict[str, Any]:
    """One case as JSON-ready data (also the API's representation)."""
    row: dict[str, Any] = {name: getattr(case, name) for name in FIELDS if hasattr(case, name)}
    row["url"] = external_url("digest.case", slug=case.slug)
    row["decision_date"] = case.decision_date.isoformat() if case.decision_date else None
    row["summary"] = case_index.summary_of(case)
    row["quantities"] = {key: case.quantities[key] for key in QUANTITIES if key in case.quantities}
    return {name: row[name] for name in FIELDS}


def rows_for(slugs: list[str], user: Actor) -> list[dict[str, Any]]:
    """Rows of the cases in `slugs` that `user` may see, in that order, from one query.

    The visibility is checked again in the database: an index that has not caught up with a
    change (a case just made restricted) must not let the case out.
    """
    if not slugs:
        return []
    stmt = select(CaseDigest).where(CaseDigest.slug.in_(slugs), policy.visible(user))
    cases = {case.slug: case for case in db.session.scalars(stmt)}
    return [case_row(cases[slug]) for slug in slugs if slug in cases]


def result_set(state: browse.SearchState, user: Actor, limit: int | None = None) -> ResultSet:
    """Up to `limit` (default EXPORT_LIMIT) cases of the search, from the first result on."""
    limit = limit or EXPORT_LIMIT
    slugs: list[str] = []
    total = 0
    page = 1
    while len(slugs) < limit:
        result = run_search(state, user, page, SEARCH_PAGE)
        if result.error:
            raise ValueError(result.error)
        total = result.total
        slugs.extend(hit.key for hit in result.hits)
        if page >= result.pages:
            break
        page += 1
    return ResultSet(total=total, rows=rows_for(slugs[:limit], user))


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return value


def csv_text(rows: Iterable[dict[str, Any]]) -> str:
    """The result set as CSV, one column per CSV_COLUMNS entry, every cell defused."""

    def lines() -> Iterable[list[Any]]:
        yield list(CSV_COLUMNS)
        for row in rows:
            quantities = row.get("quantities") or {}
            values = {**row, **{f"quantity_{key}": quantities.get(key) for key in QUANTITIES}}
            yield [_cell(values.get(column)) for column in CSV_COLUMNS]

    return spreadsheet.csv_text(lines())
