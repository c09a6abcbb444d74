"""Forms of the forum pages (posting, moderation, flags, sanctions, watched words, the
library); every field is validated and length-limited."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.core.text import LineField
from app.forum.models import ORGANISATION_TYPES, WATCHED_WORD_ACTIONS
from app.forum.services.flags import MAX_MESSAGE, REASON_LABELS
from app.forum.services.posts import BODY_MAX, TITLE_MAX, TITLE_MIN
from app.forum.services.watching import EVENT_KINDS

BODY = [DataRequired("Write a message before posting."), Length(max=BODY_MAX)]


class TopicForm(FlaskForm):
    title = LineField(
        "Title",
        [DataRequired("Give the topic a title."), Length(min=TITLE_MIN, max=TITLE_MAX)],
    )
    body = TextAreaField("Message", BODY)
    # Shows the rendered text above the form instead of posting (works without JavaScript).
    preview = SubmitField("Preview")


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", BODY)
    preview = SubmitField("Preview")
    reply_to = HiddenField(
        validators=[
            Optional(),
            Regexp(r"^\d{1,12}$", message="Bad reply: the quoted post is not valid."),
        ]
    )


class EditForm(FlaskForm):
    title = LineField("Title", [Optional(), Length(min=TITLE_MIN, max=TITLE_MAX)])
    body = TextAreaField("Message", BODY)
    preview = SubmitField("Preview")


class PreviewForm(FlaskForm):
    """The live preview's request: the text being typed (the CSRF token comes with it)."""

    body = TextAreaField("Message", [Length(max=BODY_MAX)])


class DeleteForm(FlaskForm):
    reason = LineField("Reason (optional)", [Optional(), Length(max=500)])


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class CategoryForm(FlaskForm):
    name = LineField("Name", [DataRequired("Give the category a name."), Length(min=3, max=120)])
    slug = LineField(
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


def _choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class ProfileForm(FlaskForm):
    """What other members see on the member's forum profile."""

    organisation_type = SelectField(
        "Type of organisation shown on your profile",
        choices=_choices([("", "Do not show"), *ORGANISATION_TYPES.items()]),
        validators=[Optional()],
    )
    show_country = BooleanField("Show my country on my profile")
    hidden = BooleanField(
        "Hide my profile details from other members (they see only my name; moderators still "
        "see the details)"
    )


REASON = [Optional(), Length(max=2000, message="Keep the reason under 2000 characters.")]


class FlagForm(FlaskForm):
    reason = RadioField(
        "Why does this post need a moderator?",
        choices=_choices(REASON_LABELS.items()),
        validators=[InputRequired("Choose a reason.")],
    )
    message = TextAreaField(
        "Message to the moderators",
        [Optional(), Length(max=MAX_MESSAGE, message=f"At most {MAX_MESSAGE} characters.")],
    )


class PostActionForm(FlaskForm):
    action = SelectField(
        "Action",
        choices=_choices([("hide", "Hide"), ("unhide", "Show again"), ("delete", "Delete")]),
        validators=[InputRequired("Choose an action.")],
    )
    reason = TextAreaField("Reason (kept in the audit log; required to hide or delete)", REASON)


class TopicActionForm(FlaskForm):
    action = SelectField(
        "Action",
        choices=_choices(
            [
                ("lock", "Lock"),
                ("unlock", "Unlock"),
                ("pin", "Pin"),
                ("unpin", "Unpin"),
                ("move", "Move to the category below"),
                ("slow_mode", "Set slow mode to the seconds below"),
                ("hide", "Hide the whole topic, with its replies"),
                ("unhide", "Show the hidden topic again"),
            ]
        ),
        validators=[InputRequired("Choose an action.")],
    )
    category = SelectField("Category", coerce=int, validators=[Optional()])
    seconds = IntegerField(
        "Slow mode: seconds between one member's posts (0 turns it off)",
        [Optional(), NumberRange(min=0, max=7 * 24 * 3600, message="From 0 to 604800.")],
    )
    reason = TextAreaField("Reason (kept in the audit log)", REASON)


class SanctionForm(FlaskForm):
    kind = RadioField(
        "Restriction",
        choices=_choices(
            [("silence", "Silence: can read, cannot post"), ("suspend", "Suspend: cannot sign in")]
        ),
        validators=[InputRequired("Choose silence or suspension.")],
    )
    ends_at = LineField(
        "Until (UTC): date YYYY-MM-DD, optionally with time HH:MM",
        [DataRequired("Give the end date."), Length(max=20)],
    )
    reason = TextAreaField(
        "Reason (shown to the member)",
        [DataRequired("Give a reason."), Length(max=2000, message="At most 2000 characters.")],
    )


class LiftForm(FlaskForm):
    reason = LineField("Reason", REASON)


class WatchedWordForm(FlaskForm):
    pattern = LineField(
        "Word or phrase (* matches any ending)",
        [DataRequired("Enter a word or phrase."), Length(max=200)],
    )
    action = RadioField(
        "When a post contains it",
        choices=_choices(
            (a, {"block": "Refuse the post", "review": "Send it for review"}[a])
            for a in WATCHED_WORD_ACTIONS
        ),
        default="review",
        validators=[InputRequired("Choose what a match does.")],
    )


class NominationForm(FlaskForm):
    note = TextAreaField(
        "Why is this a good practice? (optional)",
        [Optional(), Length(max=1000, message="At most 1000 characters.")],
    )


class LibraryEntryForm(FlaskForm):
    title = LineField("Title", [DataRequired("Give a title."), Length(min=5, max=200)])
    summary = TextAreaField(
        "Summary (Markdown)", [DataRequired("Write a summary."), Length(min=20, max=20_000)]
    )
    tags = LineField("Tags, separated by commas", [Optional(), Length(max=300)])
    cases = LineField(
        "Linked case digests (identifiers, separated by spaces)", [Optional(), Length(max=2000)]
    )
    modules = LineField(
        "Linked training modules (identifiers, separated by spaces)", [Optional(), Length(max=2000)]
    )
    reason = LineField("Reason for the change (audit log)", REASON)
    confirm_self = BooleanField(
        "I am the only moderator: I add my own nomination to the library (recorded as "
        "self-approved)"
    )


class RemoveEntryForm(FlaskForm):
    reason = LineField("Reason for removing", [DataRequired("Give a reason."), Length(max=2000)])


class MessageForm(FlaskForm):
    to = LineField(
        "To (handles, such as @Jane_Example, separated by commas; up to 9 members)",
        [DataRequired("Name at least one member to write to."), Length(max=1000)],
    )
    subject = LineField(
        "Subject", [DataRequired("Give the conversation a subject."), Length(min=3, max=200)]
    )
    body = TextAreaField(
        "Message", [DataRequired("Write a message before sending."), Length(max=20_000)]
    )


class MessageReplyForm(FlaskForm):
    body = TextAreaField(
        "Your message", [DataRequired("Write a message before sending."), Length(max=20_000)]
    )


class MessageFlagForm(FlaskForm):
    reason = RadioField(
        "Why does this message need a moderator?",
        choices=_choices(REASON_LABELS.items()),
        validators=[InputRequired("Choose a reason.")],
    )
    note = TextAreaField(
        "Message to the moderators (they will read the flagged message, nothing else)",
        [Optional(), Length(max=MAX_MESSAGE, message=f"At most {MAX_MESSAGE} characters.")],
    )


class BlockForm(FlaskForm):
    handle = LineField(
        "Member to block (their handle, such as @Jane_Example)",
        [DataRequired("Name the member to block."), Length(max=100)],
    )
