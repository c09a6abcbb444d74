"""How a case reads on its page: the structured summary box, the sections and the citation."""

from __future__ import annotations

from typing import Any

from babel.dates import format_date
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from app.core.markdown import render_markdown
from app.core.sources import describe
from app.core.time import format_number, reader_locale
from app.core.urls import external_url
from app.digest import vocab
from app.digest.index import sections
from app.digest.models import CaseDigest, CaseStatus


def _labels(vocabulary: dict[str, str], codes: list[str]) -> str:
    return ", ".join(vocab.label(vocabulary, code) for code in codes)


def _quantities(case: CaseDigest) -> str:
    return ", ".join(
        _("%(amount)s %(what)s", amount=format_number(amount),
          what=vocab.label(vocab.QUANTITIES, name).lower())
        for name, amount in case.quantities.items()
    )  # fmt: skip


def _articles(case: CaseDigest) -> str:
    parts = []
    if case.protocol_articles:
        numbers = ", ".join(map(str, case.protocol_articles))
        parts.append(_("Firearms Protocol art. %(numbers)s", numbers=numbers))
    if case.convention_articles:
        numbers = ", ".join(map(str, case.convention_articles))
        parts.append(_("Organized Crime Convention art. %(numbers)s", numbers=numbers))
    return "; ".join(parts)


def _route(case: CaseDigest) -> str:
    legs = [
        (_("from %(places)s"), case.route_origin),
        (_("through %(places)s"), case.route_transit),
        (_("to %(places)s"), case.route_destination),
    ]
    return "; ".join(leg % {"places": ", ".join(places)} for leg, places in legs if places)


def not_citable() -> str:
    """What the page of a composite says instead of a citation."""
    return str(
        _(
            "Not citable: an illustrative composite written to teach, not a real case or judgment. "
            "Refer to it only as training material."
        )
    )


def status_label(status: str) -> str:
    """A case's status (`draft`, `published`) as the curator pages show it."""
    shown = {CaseStatus.DRAFT.value: _("draft"), CaseStatus.PUBLISHED.value: _("published")}
    return str(shown.get(str(status), str(status)))


def region_label(name: str) -> str:
    """A region, stored by its English name, in the reader's language."""
    return vocab.label(vocab.REGIONS, name)


def labelled(title: str, illustrative: bool) -> str:
    """A case title as links and lists name it, in the reader's language: a composite says so
    wherever it appears."""
    return _("%(title)s (illustrative case)", title=title) if illustrative else title


def _day(case: CaseDigest) -> str:
    """The decision date in the reader's language, as its long form writes it: "5 mars 2019",
    "5 de marzo de 2019"; English keeps the platform's day-month-year order, "5 March 2019"."""
    assert case.decision_date is not None
    locale = reader_locale()
    pattern = "d MMMM y" if locale.language == "en" else "long"
    return format_date(case.decision_date, pattern, locale=locale)


def _date(case: CaseDigest) -> Markup | str | None:
    if case.decision_date is None:
        return str(case.decision_year) if case.decision_year else None
    return Markup('<time datetime="{}">{}</time>').format(
        case.decision_date.isoformat(), _day(case)
    )


def summary_box(case: CaseDigest) -> list[tuple[str, Any]]:
    """(label, value) rows of the structured summary; empty values are left out."""
    court = case.court
    # Whether the court's name already says its level ("First-instance courts …") is read in
    # English, the language of the name and of the stored level.
    english_level = vocab.COURT_LEVELS.get(case.court_level, "")
    said = court.lower().replace("-", " ")
    if court and case.court_level != "none" and english_level:
        with force_locale("en"):
            first_word = str(english_level).lower().split()[0]
        if first_word not in said:
            level = vocab.label(vocab.COURT_LEVELS, case.court_level).lower()
            court = _("%(court)s (%(level)s)", court=court, level=level)
    rows: list[tuple[str, Any]] = [
        (_("Type"), vocab.label(vocab.KINDS, case.kind)),
        (_("Country"), case.country),
        (_("Region"), region_label(case.region) if case.region else ""),
        (_("Court"), court),
        (_date_label(case), _date(case)),
        (_("Stage"), vocab.label(vocab.STAGES, case.stage)),
        (_("Outcome"), vocab.label(vocab.OUTCOMES, case.outcome)),
        (_("Offences"), _labels(vocab.OFFENCES, case.offences)),
        (_("Articles"), _articles(case)),
        (_("Modus operandi"), _labels(vocab.MODUS_OPERANDI, case.modus_operandi)),
        (_("Weapons"), _labels(vocab.WEAPONS, case.weapons)),
        (_("Seized"), _quantities(case)),
        (_("Route"), _route(case)),
        (_("Links to other crime"), _labels(vocab.LINKS, case.links)),
        (_("Techniques"), _labels(vocab.TECHNIQUES, case.techniques)),
        (_("Sentences"), case.sentences),
        (_("Sources"), [f"{symbol}: {describe(symbol)}" for symbol in case.sources]),
    ]
    return [(label, value) for label, value in rows if value]


def _date_label(case: CaseDigest) -> str:
    if case.kind != "case":
        return str(_("Ended"))
    return str(_("Decision date") if case.decision_date else _("Year of decision"))


def body_sections(case: CaseDigest) -> list[tuple[str, str, Markup]]:
    """(heading, anchor, rendered Markdown) of each body section, in order: the heading in the
    reader's language, the anchor from the English one (links to #facts work in every language)."""
    return [
        (
            vocab.label(vocab.SECTION_HEADINGS, heading),
            heading.lower().replace(" ", "-"),
            render_markdown(text),
        )
        for heading, text in sections(case.body).items()
    ]


def permalink(case: CaseDigest) -> str:
    return external_url("digest.case", slug=case.slug)


def citation(case: CaseDigest) -> str:
    """A line to cite the digest: what, where, when, and the permalink. A composite names no
    court and no day, and says it is training material, not a citable case."""
    parts = [f"“{case.title}”"]
    if case.illustrative:
        parts.append(_("illustrative case (training material, not a citable judgment)"))
    named = (case.country,) if case.illustrative else (case.court, case.country)
    where = ", ".join(part for part in named if part)
    if where:
        parts.append(where)
    if case.decision_date:
        parts.append(_day(case))
    elif case.decision_year:
        parts.append(str(case.decision_year))
    parts.append(_("case digest, Firearms Practitioners' Platform"))
    return f"{', '.join(parts)}. {permalink(case)}"


def hit_label(fields: dict[str, Any]) -> str:
    """The line under a search result's title: country, year, outcome."""
    parts = [str(fields.get("country_name") or "")]
    if fields.get("year"):
        parts.append(str(fields["year"]))
    parts.append(vocab.label(vocab.OUTCOMES, str(fields.get("outcome") or "")))
    if fields.get("kind") == "operation":
        parts.append(_("operation"))
    return " · ".join(part for part in parts if part)
