"""How a case reads on its page: the structured summary box, the sections and the citation."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from app.core.markdown import render_markdown
from app.core.sources import describe
from app.core.urls import external_url
from app.digest import vocab
from app.digest.index import sections
from app.digest.models import CaseDigest


def _labels(vocabulary: dict[str, str], codes: list[str]) -> str:
    return ", ".join(vocabulary.get(code, code) for code in codes)


def _quantities(case: CaseDigest) -> str:
    return ", ".join(
        f"{amount:,} {vocab.QUANTITIES.get(name, name).lower()}"
        for name, amount in case.quantities.items()
    )


def _articles(case: CaseDigest) -> str:
    parts = []
    if case.protocol_articles:
        parts.append(f"Firearms Protocol art. {', '.join(map(str, case.protocol_articles))}")
    if case.convention_articles:
        numbers = ", ".join(map(str, case.convention_articles))
        parts.append(f"Organized Crime Convention art. {numbers}")
    return "; ".join(parts)


def _route(case: CaseDigest) -> str:
    legs = [
        ("from", case.route_origin),
        ("through", case.route_transit),
        ("to", case.route_destination),
    ]
    return "; ".join(f"{word} {', '.join(places)}" for word, places in legs if places)


ILLUSTRATIVE = "Illustrative case"
NOT_CITABLE = (
    "Not citable: an illustrative composite written to teach, not a real case or judgment. "
    "Refer to it only as training material."
)


def labelled(title: str, illustrative: bool) -> str:
    """A case title as links and lists name it: a composite says so wherever it appears."""
    return f"{title} ({ILLUSTRATIVE.lower()})" if illustrative else title


def _date(case: CaseDigest) -> Markup | str | None:
    if case.decision_date is None:
        return str(case.decision_year) if case.decision_year else None
    day = case.decision_date
    return Markup('<time datetime="{}">{}</time>').format(
        day.isoformat(), day.strftime("%-d %B %Y")
    )


def summary_box(case: CaseDigest) -> list[tuple[str, Any]]:
    """(label, value) rows of the structured summary; empty values are left out."""
    court = case.court
    level = vocab.COURT_LEVELS.get(case.court_level, "").lower()
    said = court.lower().replace("-", " ")  # "First-instance courts …" already says the level
    if court and case.court_level != "none" and level.split()[0] not in said:
        court = f"{court} ({level})"
    rows: list[tuple[str, Any]] = [
        ("Type", vocab.label(vocab.KINDS, case.kind)),
        ("Country", case.country),
        ("Region", case.region),
        ("Court", court),
        (_date_label(case), _date(case)),
        ("Stage", vocab.label(vocab.STAGES, case.stage)),
        ("Outcome", vocab.label(vocab.OUTCOMES, case.outcome)),
        ("Offences", _labels(vocab.OFFENCES, case.offences)),
        ("Articles", _articles(case)),
        ("Modus operandi", _labels(vocab.MODUS_OPERANDI, case.modus_operandi)),
        ("Weapons", _labels(vocab.WEAPONS, case.weapons)),
        ("Seized", _quantities(case)),
        ("Route", _route(case)),
        ("Links to other crime", _labels(vocab.LINKS, case.links)),
        ("Techniques", _labels(vocab.TECHNIQUES, case.techniques)),
        ("Sentences", case.sentences),
        ("Sources", [f"{symbol}: {describe(symbol)}" for symbol in case.sources]),
    ]
    return [(label, value) for label, value in rows if value]


def _date_label(case: CaseDigest) -> str:
    if case.kind != "case":
        return "Ended"
    return "Decision date" if case.decision_date else "Year of decision"


def body_sections(case: CaseDigest) -> list[tuple[str, str, Markup]]:
    """(heading, anchor, rendered Markdown) of each body section, in order."""
    return [
        (heading, heading.lower().replace(" ", "-"), render_markdown(text))
        for heading, text in sections(case.body).items()
    ]


def permalink(case: CaseDigest) -> str:
    return external_url("digest.case", slug=case.slug)


def citation(case: CaseDigest) -> str:
    """A line to cite the digest: what, where, when, and the permalink. A composite names no
    court and no day, and says it is training material, not a citable case."""
    parts = [f"“{case.title}”"]
    if case.illustrative:
        parts.append("illustrative case (training material, not a citable judgment)")
    named = (case.country,) if case.illustrative else (case.court, case.country)
    where = ", ".join(part for part in named if part)
    if where:
        parts.append(where)
    if case.decision_date:
        parts.append(case.decision_date.strftime("%-d %B %Y"))
    elif case.decision_year:
        parts.append(str(case.decision_year))
    parts.append("case digest, Firearms Practitioners' Platform")
    return f"{', '.join(parts)}. {permalink(case)}"


def hit_label(fields: dict[str, Any]) -> str:
    """The line under a search result's title: country, year, outcome."""
    parts = [str(fields.get("country_name") or "")]
    if fields.get("year"):
        parts.append(str(fields["year"]))
    parts.append(vocab.label(vocab.OUTCOMES, str(fields.get("outcome") or "")))
    if fields.get("kind") == "operation":
        parts.append("operation")
    return " · ".join(part for part in parts if part)
