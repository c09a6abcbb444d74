"""Statistics of the case digest: cases by year, region and modus operandi, the frequent routes.

Everything counts only the cases the viewer may read: published ones, and restricted ones only for
practitioners and above. One query reads the few columns needed; the counting is done here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import ColumnElement, select

from app.accounts.models import Actor
from app.core.charts import bar_chart
from app.core.db import db
from app.digest import policy
from app.digest.models import CaseDigest, CaseStatus

TOP_ROUTES = 15


@dataclass
class DigestStatistics:
    total: int
    by_year: list[tuple[str, int]]
    by_region: list[tuple[str, int]]
    by_modus: list[tuple[str, int]]
    routes: list[tuple[str, str, int]]
    charts: dict[str, Markup] = field(default_factory=dict)


def visible_to(user: Actor) -> ColumnElement[bool]:
    """The published cases `user` may read (drafts are never counted, even for moderators)."""
    condition = CaseDigest.status == CaseStatus.PUBLISHED
    if not policy.sees_restricted(user):
        condition = condition & CaseDigest.restricted.is_(False)
    return condition


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))


def statistics(user: Actor, labels: dict[str, str] | None = None) -> DigestStatistics:
    """Count the visible cases; `labels` turns modus operandi codes into readable names."""
    rows = db.session.execute(
        select(
            CaseDigest.decision_date,
            CaseDigest.decision_year,
            CaseDigest.region,
            CaseDigest.modus_operandi,
            CaseDigest.route_origin,
            CaseDigest.route_destination,
        ).where(visible_to(user))
    ).all()
    years: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    modus: Counter[str] = Counter()
    routes: Counter[tuple[str, str]] = Counter()
    for decided, year, region, modus_operandi, origins, destinations in rows:
        year = decided.year if decided else year  # an illustrative case has only its year
        years[str(year) if year else "no date"] += 1
        regions[region or "no region"] += 1
        for code in set(modus_operandi or []):
            modus[(labels or {}).get(code, code)] += 1
        # A case counts once per distinct origin → destination pair it describes.
        for pair in {(o, d) for o in origins or [] for d in destinations or []}:
            routes[pair] += 1
    by_year = sorted(years.items(), key=lambda pair: (pair[0] == "no date", pair[0]))
    top_routes = sorted(routes.items(), key=lambda item: (-item[1], item[0]))[:TOP_ROUTES]
    result = DigestStatistics(
        total=len(rows),
        by_year=by_year,
        by_region=_ranked(regions),
        by_modus=_ranked(modus),
        routes=[(origin, destination, count) for (origin, destination), count in top_routes],
    )
    result.charts = {
        "year": bar_chart(
            [(label, float(count)) for label, count in result.by_year],
            title="Cases by year of decision",
            description=_describe(result.by_year, "year"),
        ),
        "region": bar_chart(
            [(label, float(count)) for label, count in result.by_region],
            title="Cases by region",
            description=_describe(result.by_region, "region"),
        ),
        "modus": bar_chart(
            [(label, float(count)) for label, count in result.by_modus],
            title="Cases by modus operandi",
            description=_describe(result.by_modus, "modus operandi"),
        ),
    }
    return result


def _describe(items: list[tuple[str, int]], what: str) -> str:
    if not items:
        return f"No cases to count by {what}."
    top_label, top_count = max(items, key=lambda pair: pair[1])
    return (
        f"{len(items)} values of {what}; the largest is {top_label} with {top_count} "
        f"case{'s' if top_count != 1 else ''}. The table below gives every count."
    )
