"""Forms of the forum pages; every field is validated and length-limited."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.forum.notify import EVENT_KINDS
from app.forum.services import BODY_MAX, TITLE_MAX, TITLE_MIN

BODY = [DataRequired("Write a message before posting."), Length(max=BODY_MAX)]


class TopicForm(FlaskForm):
    title = StringField(
        "Title",
        [DataRequired("Give the topic a title."), Length(min=TITLE_MIN, max=TITLE_MAX)],
    )
    body = TextAreaField("Message", BODY)


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", BODY)
    reply_to = HiddenField(
        validators=[
            Optional(),
            Regexp(r"^\d{1,12}$", message="Bad reply: the quoted post is not valid."),
        ]
    )


class EditForm(FlaskForm):
    title = StringField("Title", [Optional(), Length(min=TITLE_MIN, max=TITLE_MAX)])
    body = TextAreaField("Message", BODY)


class DeleteForm(FlaskForm):
    reason = StringField("Reason (optional)", [Optional(), Length(max=500)])


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class CategoryForm(FlaskForm):
    name = StringField("Name", [DataRequired("Give the category a name."), Length(min=3, max=120)])
    slug = StringField(
        "Address name",
        [
            Optional(),
            Length(min=2, max=120),
            Regexp(
                r"^[a-z0-9][a-z0-9-]*[a-z0-9]$",
                message="Use lower-case letters, digits and hyphens.",
            ),
        ],
    )
    description = TextAreaField("Description", [Optional(), Length(max=2000)])
    position = IntegerField(
        "Position", [Optional(), NumberRange(min=0, max=10_000, message="From 0 to 10000.")]
    )


class PreferencesForm(FlaskForm):
    """Two check boxes per event kind: on the site, and by e-mail."""


for _kind in EVENT_KINDS:
    setattr(PreferencesForm, f"{_kind.name}_site", BooleanField(f"{_kind.label}: on the site"))
    setattr(PreferencesForm, f"{_kind.name}_email", BooleanField(f"{_kind.label}: by e-mail"))
