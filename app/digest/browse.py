"""The state of the case search page, read from and written back to its URL, and the search run.

The URL holds the whole state (`q`, one parameter per facet repeated for several values,
`year_from`, `year_to`, `sort`, `page`), so a search can be bookmarked and shared. Values that
cannot be understood are dropped with a message for the reader; nothing here raises on input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from app.accounts.models import Actor
from app.core.pagination import page_number
from app.core.text import single_line
from app.digest import index as case_index
from app.digest import policy, presentation, vocab
from app.digest.models import CaseStatus
from app.search import KindResult, SearchRequest, SearchResult, SiteHit, search

SORTS = {"relevance": _l("Relevance"), "newest": _l("Newest first"), "oldest": _l("Oldest first")}
VALUE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MAX_VALUES = 30
YEARS = (1900, 2100)
PER_PAGE = 20
# Fields a reader may address as `field:value` in the query text (codes, as in the URL).
QUERY_FIELDS = (
    *case_index.FACETS,
    "kind",
    "offence",
    "year",
)
YEARS_SWAPPED = _l("“From year” is after “To year”: the two were swapped.")
FACET_TITLES = {
    "country": _l("Country"),
    "region": _l("Region"),
    "modus_operandi": _l("Modus operandi"),
    "weapon": _l("Weapon"),
    "article": _l("Article"),
    "link": _l("Link to other crime"),
    "technique": _l("Investigative technique"),
    "outcome": _l("Outcome"),
}
# A value the page does not know, one sentence per filter (word order and gender differ).
UNKNOWN_VALUE = {
    "country": _l("“%(value)s” is not a known country; it was ignored."),
    "region": _l("“%(value)s” is not a known region; it was ignored."),
    "modus_operandi": _l("“%(value)s” is not a known modus operandi; it was ignored."),
    "weapon": _l("“%(value)s” is not a known weapon; it was ignored."),
    "article": _l("“%(value)s” is not a known article; it was ignored."),
    "link": _l("“%(value)s” is not a known link to other crime; it was ignored."),
    "technique": _l("“%(value)s” is not a known investigative technique; it was ignored."),
    "outcome": _l("“%(value)s” is not a known outcome; it was ignored."),
}
CONTROLLED: dict[str, dict[str, str]] = {
    "region": {case_index.code(name): label for name, label in vocab.REGIONS.items()},
    "modus_operandi": vocab.MODUS_OPERANDI,
    "weapon": vocab.WEAPONS,
    "link": vocab.LINKS,
    "technique": vocab.TECHNIQUES,
    "outcome": vocab.OUTCOMES,
}


@dataclass
class SearchState:
    q: str = ""
    selected: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    years_swapped: bool = False  # year_from was after year_to (the page swaps them)
    sort: str = "relevance"  # the order results come in
    sort_choice: str = "relevance"  # what the reader chose (relevance means newest without words)
    page: int = 1
    problems: list[str] = field(default_factory=list)

    def args(self, **changes: Any) -> dict[str, Any]:
        """URL parameters of this state (for url_for), with `changes` applied."""
        values: dict[str, Any] = {
            "q": self.q or None,
            **{name: list(codes) for name, codes in self.selected.items() if codes},
            "year_from": self.year_from,
            "year_to": self.year_to,
            "sort": self.sort_choice if self.sort_choice != "relevance" else None,
            "page": self.page if self.page > 1 else None,
        }
        values.update(changes)
        return {name: value for name, value in values.items() if value not in (None, "", [])}

    def without(self, facet: str, value: str) -> dict[str, Any]:
        """URL parameters with one facet value removed (and back to page 1)."""
        remaining = [code for code in self.selected.get(facet, []) if code != value]
        return self.args(**{facet: remaining, "page": None})

    def query(self) -> str:
        """The URL query of this search without the page number (what a saved search keeps)."""
        return urlencode(self.args(page=None), doseq=True)

    @property
    def active_filters(self) -> int:
        """How many filters narrow the search: each ticked value and each year bound."""
        ticked = sum(len(codes) for codes in self.selected.values())
        return ticked + (self.year_from is not None) + (self.year_to is not None)

    @property
    def active(self) -> bool:
        return bool(self.q or any(self.selected.values()) or self.year_from or self.year_to)


def parse_state(args: MultiDict[str, str]) -> SearchState:
    state = SearchState(q=single_line(args.get("q", "")), page=page_number(args.get("page")))
    for name in case_index.FACETS:
        codes: list[str] = []
        for raw in args.getlist(name)[:MAX_VALUES]:
            value = raw.strip().lower()
            if not value:
                continue
            if _known(name, value):
                codes.append(value)
            else:
                state.problems.append(str(UNKNOWN_VALUE[name]) % {"value": raw[:40]})
        state.selected[name] = list(dict.fromkeys(codes))
    state.year_from = _year(args.get("year_from"), _("From year"), state)
    state.year_to = _year(args.get("year_to"), _("To year"), state)
    if state.year_from and state.year_to and state.year_from > state.year_to:
        state.problems.append(str(YEARS_SWAPPED))
        state.year_from, state.year_to = state.year_to, state.year_from
        state.years_swapped = True
    sort = args.get("sort", "") or "relevance"
    if sort not in SORTS:
        state.problems.append(_("Unknown sort order; results are sorted by relevance."))
        sort = "relevance"
    state.sort_choice = sort
    state.sort = "newest" if sort == "relevance" and not state.q else sort
    return state


def _known(name: str, value: str) -> bool:
    if name == "article":
        return vocab.article_label(value) != value
    allowed = CONTROLLED.get(name)
    return bool(VALUE_RE.match(value)) and (allowed is None or value in allowed)


def _year(raw: str | None, label: str, state: SearchState) -> int | None:
    if raw is None or not raw.strip():
        return None
    try:
        year = int(raw.strip())
    except ValueError:
        state.problems.append(
            _("“%(field)s” must be a year such as 2019; it was ignored.", field=label)
        )
        return None
    if not YEARS[0] <= year <= YEARS[1]:
        state.problems.append(
            _("“%(field)s” must be between %(low)s and %(high)s.", field=label, low=YEARS[0],
              high=YEARS[1])
        )  # fmt: skip
        return None
    return year


def request_for(state: SearchState, user: Actor, page: int, per_page: int) -> SearchRequest:
    """One page of the cases `user` may see, with the state's text, filters and sort."""
    year_range = (state.year_from, state.year_to)
    return SearchRequest(
        case_index.INDEX,
        state.q,
        fields=case_index.TEXT_FIELDS,
        allowed_fields=QUERY_FIELDS,
        filters={name: codes for name, codes in state.selected.items() if codes},
        ranges={"year": year_range} if any(year_range) else {},
        restrict=policy.restriction(user),
        sort=state.sort,
        sort_field="decided",
        page=page,
        per_page=per_page,
        synonyms=True,
        noun="case",
    )


def run(state: SearchState, user: Actor) -> SearchResult:
    """Search the cases the user may see, with the state's filters, facets and sort."""
    request = request_for(state, user, state.page, PER_PAGE)
    facets = (*case_index.FACETS, "year")
    return search(
        replace(request, facets=facets, highlight="summary", suggest_field=case_index.SUGGEST_FIELD)
    )


def facet_label(name: str, value: str, countries: Mapping[str, str]) -> str:
    if name == "country":
        return countries.get(value, value)
    if name == "article":
        return vocab.article_label(value)
    return vocab.label(CONTROLLED.get(name, {}), value)


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    count: int
    checked: bool


def facet_values(
    state: SearchState, result: SearchResult, countries: Mapping[str, str]
) -> dict[str, list[FacetValue]]:
    """Each facet's values with counts; selected values stay listed even at zero."""
    shown: dict[str, list[FacetValue]] = {}
    for name in case_index.FACETS:
        counts = dict(result.facets.get(name, []))
        chosen = state.selected.get(name, [])
        for code in chosen:
            counts.setdefault(code, 0)
        values = [
            FacetValue(code, facet_label(name, code, countries), count, code in chosen)
            for code, count in counts.items()
        ]
        values.sort(key=lambda v: (not v.checked, -v.count, v.label))
        shown[name] = values
    return shown


def year_counts(result: SearchResult) -> list[tuple[int, int]]:
    """(year, number of cases) in the current results, oldest year first."""
    counts = []
    for value, count in result.facets.get("year", []):
        if value.isdigit() and int(value) > 0:
            counts.append((int(value), count))
    return sorted(counts)


def describe(state: SearchState, countries: Mapping[str, str]) -> str:
    """The search in words for a list of saved searches (“pistols”; Country: Chile; …)."""
    parts = [f"“{state.q}”"] if state.q else []
    for name, codes in state.selected.items():
        if codes:
            labels = ", ".join(facet_label(name, code, countries) for code in codes)
            parts.append(_("%(filter)s: %(values)s", filter=FACET_TITLES[name], values=labels))
    if state.year_from and state.year_to:
        parts.append(_("years %(first)s to %(last)s", first=state.year_from, last=state.year_to))
    elif state.year_from:
        parts.append(_("from %(year)s", year=state.year_from))
    elif state.year_to:
        parts.append(_("until %(year)s", year=state.year_to))
    if state.sort_choice != "relevance":
        parts.append(SORTS[state.sort_choice].lower())
    return "; ".join(parts) or _("All cases")


def site_results(text: str, user: Actor, page: int, per_page: int) -> KindResult:
    """The cases `user` may see for the site-wide search (the header's search box)."""
    request = replace(request_for(SearchState(q=text), user, page, per_page), highlight="summary")
    result = search(request)
    hits = []
    for hit in result.hits:
        tags = [
            ("illustrative", "yes", _("Illustrative case")),
            ("restricted", "yes", _("Practitioners only")),
            ("status", CaseStatus.DRAFT, _("Draft")),
        ]
        parts = [presentation.hit_label(hit.fields)]
        parts += [text for name, value, text in tags if hit.fields.get(name) == value]
        label = " · ".join(part for part in parts if part)
        url = url_for("digest.case", slug=hit.key)
        hits.append(SiteHit(str(hit.fields.get("title") or hit.key), url, hit.highlight, label))
    return KindResult(result.total, hits, notice=result.notice, error=result.error)
