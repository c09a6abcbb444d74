"""The curator's case form: controlled lists as selects and checkbox groups, body sections."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.sources import SOURCES
from app.core.text import LineField
from app.digest import vocab

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SECTION_FIELDS = {
    "summary": "Summary",
    "facts": "Facts",
    "investigation": "Investigation",
    "prosecution": "Prosecution and decision",
    "commentary": "Commentary",
    "good_practices": "Good practices",
    "sources_text": "Sources",
}
assert tuple(SECTION_FIELDS.values()) == vocab.SECTIONS
LIST_FIELDS = ("offences", "modus_operandi", "weapons", "links", "techniques", "sources")
SECTION_TEXT_MAX = 20_000


class CheckboxGroup(SelectMultipleField):
    """A group of checkboxes; shown as a fieldset by the template."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(vocabulary: dict[str, str]) -> list[SelectChoice]:
    """Choices as SelectChoice objects: the labels are lazy strings (the reader's language),
    which WTForms' {value: label} shorthand does not accept."""
    return [SelectChoice(value, label) for value, label in vocabulary.items()]


def split_list(text: str) -> list[str]:
    """`Türkiye, Bulgaria` -> ["Türkiye", "Bulgaria"] (empty items dropped)."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _articles(form: FlaskForm, field: Field) -> None:
    for part in split_list(field.data):
        if not part.isdigit() or not 1 <= int(part) <= 100:
            raise ValidationError(_("Give article numbers from 1 to 100, separated by commas."))


def _countries(form: FlaskForm, field: Field) -> None:
    names = split_list(field.data)
    if any(len(name) > 100 for name in names):
        raise ValidationError(_("A country name is at most 100 characters."))
    if len(names) > 30:
        raise ValidationError(_("List at most 30 countries."))


def _slugs(form: FlaskForm, field: Field) -> None:
    for part in split_list(field.data):
        if not re.match(SLUG, part):
            raise ValidationError(
                _("'%(slug)s' is not a module slug (lower-case words and hyphens).", slug=part)
            )


def _iso_date(form: FlaskForm, field: Field) -> None:
    if field.data is None and any((raw or "").strip() for raw in field.raw_data or []):
        raise ValidationError(_("Give the date as YYYY-MM-DD."))


def _sentences(form: FlaskForm, field: Field) -> None:
    if any(len(line.strip()) > 300 for line in (field.data or "").splitlines()):
        raise ValidationError(_("Each sentence is at most 300 characters."))


class CaseForm(FlaskForm):
    slug = LineField(
        _l("Slug (address of the case)"),
        [
            DataRequired(),
            Length(max=120),
            Regexp(SLUG, message=_l("Use lower-case words and hyphens.")),
        ],
    )
    title = LineField(_l("Title"), [DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=_choices(vocab.KINDS))
    country = LineField(_l("Country"), [DataRequired(), Length(max=100)])
    region = SelectField(_l("Region"), choices=_choices(vocab.REGIONS))
    court = LineField(_l("Court"), [Optional(), Length(max=300)])
    court_level = SelectField(_l("Court level"), choices=_choices(vocab.COURT_LEVELS))
    decision_date = DateField(
        _l("Decision date (a real case; for an operation, its last day)"),
        [Optional(), _iso_date],
    )
    decision_year = IntegerField(
        _l("Year of decision (an illustrative case gives the year only)"),
        [Optional(), NumberRange(1900, 2100, message=_l("Give a year such as 2019."))],
    )
    stage = SelectField(_l("Stage"), choices=_choices(vocab.STAGES))
    outcome = SelectField(_l("Outcome"), choices=_choices(vocab.OUTCOMES))
    offences = CheckboxGroup(_l("Offences"), choices=_choices(vocab.OFFENCES))
    protocol_articles = LineField(_l("Firearms Protocol articles"), [Length(max=200), _articles])
    convention_articles = LineField(
        _l("Organized Crime Convention articles"), [Length(max=200), _articles]
    )
    modus_operandi = CheckboxGroup(_l("Modus operandi"), choices=_choices(vocab.MODUS_OPERANDI))
    weapons = CheckboxGroup(_l("Weapons"), choices=_choices(vocab.WEAPONS))
    quantity_firearms = IntegerField(_l("Firearms"), [Optional(), NumberRange(0, 10_000_000)])
    quantity_parts = IntegerField(
        _l("Parts and components"), [Optional(), NumberRange(0, 10_000_000)]
    )
    quantity_ammunition = IntegerField(
        _l("Rounds of ammunition"), [Optional(), NumberRange(0, 100_000_000)]
    )
    quantity_explosives = IntegerField(
        _l("Explosives (kg)"), [Optional(), NumberRange(0, 10_000_000)]
    )
    route_origin = LineField(_l("Route: countries of origin"), [Length(max=1000), _countries])
    route_transit = LineField(_l("Route: transit countries"), [Length(max=1000), _countries])
    route_destination = LineField(
        _l("Route: countries of destination"), [Length(max=1000), _countries]
    )
    links = CheckboxGroup(_l("Links to other crime"), choices=_choices(vocab.LINKS))
    techniques = CheckboxGroup(_l("Investigative techniques"), choices=_choices(vocab.TECHNIQUES))
    sentences = TextAreaField(_l("Sentences, one per line"), [Length(max=5000), _sentences])
    illustrative = BooleanField(_l("Illustrative composite (not a real, citable case)"))
    restricted = BooleanField(_l("Restricted: practitioners and above only"))
    sources = CheckboxGroup(_l("Sources"), choices={s: f"{s}: {t}" for s, t in SOURCES.items()})
    modules = LineField(
        _l("Course modules (slugs, separated by commas)"), [Length(max=1000), _slugs]
    )
    summary = TextAreaField(_l("Summary"), [DataRequired(), Length(max=SECTION_TEXT_MAX)])
    facts = TextAreaField(_l("Facts"), [DataRequired(), Length(max=SECTION_TEXT_MAX)])
    investigation = TextAreaField(
        _l("Investigation"), [DataRequired(), Length(max=SECTION_TEXT_MAX)]
    )
    prosecution = TextAreaField(
        _l("Prosecution and decision"), [DataRequired(), Length(max=SECTION_TEXT_MAX)]
    )
    commentary = TextAreaField(_l("Commentary"), [DataRequired(), Length(max=SECTION_TEXT_MAX)])
    good_practices = TextAreaField(
        _l("Good practices"), [DataRequired(), Length(max=SECTION_TEXT_MAX)]
    )
    sources_text = TextAreaField(_l("Sources"), [DataRequired(), Length(max=SECTION_TEXT_MAX)])
    reason = LineField(
        _l("Reason for this change"),
        [DataRequired(message=_l("Say why you make this change.")), Length(max=500)],
    )
    # The revision the curator started from: a save on top of someone else's is refused once.
    base_revision = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$")])

    def case_fields(self) -> dict[str, Any]:
        """The submitted values as CaseDigest fields (slug included, body assembled)."""
        quantities = {
            key: getattr(self, f"quantity_{key}").data
            for key in vocab.QUANTITIES
            if getattr(self, f"quantity_{key}").data is not None
        }
        fields: dict[str, Any] = {
            name: (getattr(self, name).data or "").strip()
            for name in ("slug", "title", "country", "court")
            if name in self._fields  # the edit form has no slug: it never changes
        }
        fields.update(
            {name: getattr(self, name).data for name in ("kind", "region", "court_level")}
        )
        day = self.decision_date.data
        fields.update(
            decision_date=day,
            decision_year=day.year if day else self.decision_year.data,
            stage=self.stage.data,
            outcome=self.outcome.data,
            protocol_articles=[int(p) for p in split_list(self.protocol_articles.data)],
            convention_articles=[int(p) for p in split_list(self.convention_articles.data)],
            quantities=quantities,
            route_origin=split_list(self.route_origin.data),
            route_transit=split_list(self.route_transit.data),
            route_destination=split_list(self.route_destination.data),
            sentences=[s.strip() for s in (self.sentences.data or "").splitlines() if s.strip()],
            illustrative=bool(self.illustrative.data),
            restricted=bool(self.restricted.data),
            modules=split_list(self.modules.data),
            body=join_body({name: getattr(self, name).data for name in SECTION_FIELDS}),
        )
        fields.update({name: list(getattr(self, name).data or []) for name in LIST_FIELDS})
        return fields

    def fill(self, case: Any) -> None:
        """Put a case's values into the form (for the edit page)."""
        for name in ("title", "kind", "country", "region", "court", "court_level",
                     "decision_date", "decision_year", "stage", "outcome", "illustrative",
                     "restricted", *LIST_FIELDS):  # fmt: skip
            getattr(self, name).data = getattr(case, name)
        for name in ("protocol_articles", "convention_articles", "route_origin", "route_transit",
                     "route_destination", "modules"):  # fmt: skip
            getattr(self, name).data = ", ".join(str(v) for v in getattr(case, name) or [])
        for key in vocab.QUANTITIES:
            getattr(self, f"quantity_{key}").data = (case.quantities or {}).get(key)
        self.sentences.data = "\n".join(case.sentences or [])
        for name, text in split_body(case.body or "").items():
            getattr(self, name).data = text


def join_body(sections: dict[str, str]) -> str:
    """The Markdown body: every section under its `## ` heading, in the order of the files."""
    parts = []
    for name, heading in SECTION_FIELDS.items():
        text = (sections.get(name) or "").replace("\r\n", "\n").strip("\n")
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        parts.append(f"## {heading}\n\n{text}")
    return "\n\n".join(parts)


def split_body(body: str) -> dict[str, str]:
    """The text under each known `## ` heading (text before the first heading goes to Summary)."""
    headings = {heading: name for name, heading in SECTION_FIELDS.items()}
    found: dict[str, list[str]] = {name: [] for name in SECTION_FIELDS}
    current = "summary"
    for line in body.replace("\r\n", "\n").split("\n"):
        if line.startswith("## ") and line[3:].strip() in headings:
            current = headings[line[3:].strip()]
            continue
        found[current].append(line)
    return {name: "\n".join(lines).strip("\n") for name, lines in found.items()}


class SynonymGroupForm(FlaskForm):
    terms = TextAreaField(
        _l("Words and phrases that mean the same, separated by /"),
        [DataRequired(_l("Enter two or more words or phrases.")), Length(max=2000)],
    )


class RemoveForm(FlaskForm):
    """A button that only needs its CSRF token."""


ALERT_CHOICES = {
    "none": _l("No alerts"),
    "daily": _l("Daily e-mail when new cases match"),
    "weekly": _l("Weekly e-mail when new cases match"),
}


class SaveSearchForm(FlaskForm):
    """“Save this search” on the search page: a name, the page's URL query and the alert."""

    name = LineField(
        _l("Name of this search"),
        [
            DataRequired(_l("Give the search a name.")),
            Length(max=80, message=_l("Use at most 80 characters.")),
        ],
    )
    query = HiddenField(
        validators=[Length(max=6000, message=_l("This search is too long to save."))]
    )
    alert = SelectField(_l("Alerts"), choices=_choices(ALERT_CHOICES), default="none")


class RenameSearchForm(FlaskForm):
    name = LineField(
        _l("New name"),
        [
            DataRequired(_l("Give the search a name.")),
            Length(max=80, message=_l("Use at most 80 characters.")),
        ],
    )


class SearchAlertForm(FlaskForm):
    alert = SelectField(_l("Alerts"), choices=_choices(ALERT_CHOICES))
