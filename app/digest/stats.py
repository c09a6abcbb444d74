"""Statistics of the case digest: cases by year, region and modus operandi, the frequent routes.

Everything counts only the cases the viewer may read: published ones, and restricted ones only for
practitioners and above. One query reads the few columns needed; the counting is done here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import ColumnElement, select

from app.accounts.models import Actor
from app.core.charts import bar_chart
from app.core.db import db
from app.digest import policy, vocab
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
    """Count the visible cases; `labels` turns modus operandi codes into readable names. Labels
    are in the reader's language (regions included); the routes are the cases' own words."""
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
        years[str(year) if year else ""] += 1
        regions[vocab.label(vocab.REGIONS, region) if region else _("no region")] += 1
        for code in set(modus_operandi or []):
            modus[vocab.label(labels or {}, code)] += 1
        # A case counts once per distinct origin → destination pair it describes.
        for pair in {(o, d) for o in origins or [] for d in destinations or []}:
            routes[pair] += 1
    by_year = [
        (year or _("no date"), count)
        for year, count in sorted(years.items(), key=lambda pair: (pair[0] == "", pair[0]))
    ]
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
            title=_("Cases by year of decision"),
            description=_describe_years(result.by_year),
        ),
        "region": bar_chart(
            [(label, float(count)) for label, count in result.by_region],
            title=_("Cases by region"),
            description=_describe_regions(result.by_region),
        ),
        "modus": bar_chart(
            [(label, float(count)) for label, count in result.by_modus],
            title=_("Cases by modus operandi"),
            description=_describe_modus(result.by_modus),
        ),
    }
    return result


# A chart's description (its <desc>), one sentence per chart: the words around the figures
# differ with the thing counted, in French and Spanish as in English.
def _largest(items: list[tuple[str, int]]) -> tuple[str, int]:
    return max(items, key=lambda pair: pair[1])


def _describe_years(items: list[tuple[str, int]]) -> str:
    if not items:
        return str(_("No cases to count by year."))
    top, count = _largest(items)
    return str(ngettext(
        "%(values)s years; the largest is %(top)s with %(num)d case. The table below gives "
        "every count.",
        "%(values)s years; the largest is %(top)s with %(num)d cases. The table below gives "
        "every count.",
        count, values=len(items), top=top,
    ))  # fmt: skip


def _describe_regions(items: list[tuple[str, int]]) -> str:
    if not items:
        return str(_("No cases to count by region."))
    top, count = _largest(items)
    return str(ngettext(
        "%(values)s regions; the largest is %(top)s with %(num)d case. The table below gives "
        "every count.",
        "%(values)s regions; the largest is %(top)s with %(num)d cases. The table below gives "
        "every count.",
        count, values=len(items), top=top,
    ))  # fmt: skip


def _describe_modus(items: list[tuple[str, int]]) -> str:
    if not items:
        return str(_("No cases to count by modus operandi."))
    top, count = _largest(items)
    return str(ngettext(
        "%(values)s modi operandi; the largest is %(top)s with %(num)d case. The table below "
        "gives every count.",
        "%(values)s modi operandi; the largest is %(top)s with %(num)d cases. The table below "
        "gives every count.",
        count, values=len(items), top=top,
    ))  # fmt: skip
