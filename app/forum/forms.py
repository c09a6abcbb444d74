"""Forms of the forum pages (posting, moderation, flags, sanctions, watched words, the
library); every field is validated and length-limited."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
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

BODY = [DataRequired(_l("Write a message before posting.")), Length(max=BODY_MAX)]


class TopicForm(FlaskForm):
    title = LineField(
        _l("Title"),
        [DataRequired(_l("Give the topic a title.")), Length(min=TITLE_MIN, max=TITLE_MAX)],
    )
    body = TextAreaField(_l("Message"), BODY)
    # Shows the rendered text above the form instead of posting (works without JavaScript).
    preview = SubmitField(_l("Preview"))


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), BODY)
    preview = SubmitField(_l("Preview"))
    reply_to = HiddenField(
        validators=[
            Optional(),
            Regexp(r"^\d{1,12}$", message=_l("Bad reply: the quoted post is not valid.")),
        ]
    )


class EditForm(FlaskForm):
    title = LineField(_l("Title"), [Optional(), Length(min=TITLE_MIN, max=TITLE_MAX)])
    body = TextAreaField(_l("Message"), BODY)
    preview = SubmitField(_l("Preview"))


class PreviewForm(FlaskForm):
    """The live preview's request: the text being typed (the CSRF token comes with it)."""

    body = TextAreaField(_l("Message"), [Length(max=BODY_MAX)])


class DeleteForm(FlaskForm):
    reason = LineField(_l("Reason (optional)"), [Optional(), Length(max=500)])


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class CategoryForm(FlaskForm):
    name = LineField(
        _l("Name"), [DataRequired(_l("Give the category a name.")), Length(min=3, max=120)]
    )
    slug = LineField(
        _l("Address name"),
        [
            Optional(),
            Length(min=2, max=120),
            Regexp(
                r"^[a-z0-9][a-z0-9-]*[a-z0-9]$",
                message=_l("Use lower-case letters, digits and hyphens."),
            ),
        ],
    )
    description = TextAreaField(_l("Description"), [Optional(), Length(max=2000)])
    position = IntegerField(
        _l("Position"), [Optional(), NumberRange(min=0, max=10_000, message=_l("From 0 to 10000."))]
    )


class PreferencesForm(FlaskForm):
    """Two check boxes per event kind: on the site, and by e-mail."""


for _kind in EVENT_KINDS:
    setattr(
        PreferencesForm,
        f"{_kind.name}_site",
        BooleanField(_l("%(kind)s: on the site", kind=_kind.label)),
    )
    setattr(
        PreferencesForm,
        f"{_kind.name}_email",
        BooleanField(_l("%(kind)s: by e-mail", kind=_kind.label)),
    )


def _choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class ProfileForm(FlaskForm):
    """What other members see on the member's forum profile."""

    organisation_type = SelectField(
        _l("Type of organisation shown on your profile"),
        choices=_choices([("", _l("Do not show")), *ORGANISATION_TYPES.items()]),
        validators=[Optional()],
    )
    show_country = BooleanField(_l("Show my country on my profile"))
    hidden = BooleanField(
        _l(
            "Hide my profile details from other members (they see only my name; moderators "
            "still see the details)"
        )
    )


REASON = [Optional(), Length(max=2000, message=_l("Keep the reason under 2000 characters."))]


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("Why does this post need a moderator?"),
        choices=_choices(REASON_LABELS.items()),
        validators=[InputRequired(_l("Choose a reason."))],
    )
    message = TextAreaField(
        _l("Message to the moderators"),
        [
            Optional(),
            Length(max=MAX_MESSAGE, message=_l("At most %(num)s characters.", num=MAX_MESSAGE)),
        ],
    )


class PostActionForm(FlaskForm):
    action = SelectField(
        _l("Action"),
        choices=_choices(
            [("hide", _l("Hide")), ("unhide", _l("Show again")), ("delete", _l("Delete"))]
        ),
        validators=[InputRequired(_l("Choose an action."))],
    )
    reason = TextAreaField(_l("Reason (kept in the audit log; required to hide or delete)"), REASON)


class TopicActionForm(FlaskForm):
    action = SelectField(
        _l("Action"),
        choices=_choices(
            [
                ("lock", _l("Lock")),
                ("unlock", _l("Unlock")),
                ("pin", _l("Pin")),
                ("unpin", _l("Unpin")),
                ("move", _l("Move to the category below")),
                ("slow_mode", _l("Set slow mode to the seconds below")),
                ("hide", _l("Hide the whole topic, with its replies")),
                ("unhide", _l("Show the hidden topic again")),
            ]
        ),
        validators=[InputRequired(_l("Choose an action."))],
    )
    category = SelectField(_l("Category"), coerce=int, validators=[Optional()])
    seconds = IntegerField(
        _l("Slow mode: seconds between one member's posts (0 turns it off)"),
        [Optional(), NumberRange(min=0, max=7 * 24 * 3600, message=_l("From 0 to 604800."))],
    )
    reason = TextAreaField(_l("Reason (kept in the audit log)"), REASON)


class SanctionForm(FlaskForm):
    kind = RadioField(
        _l("Restriction"),
        choices=_choices(
            [
                ("silence", _l("Silence: can read, cannot post")),
                ("suspend", _l("Suspend: cannot sign in")),
            ]
        ),
        validators=[InputRequired(_l("Choose silence or suspension."))],
    )
    ends_at = LineField(
        _l("Until (UTC): date YYYY-MM-DD, optionally with time HH:MM"),
        [DataRequired(_l("Give the end date.")), Length(max=20)],
    )
    reason = TextAreaField(
        _l("Reason (shown to the member)"),
        [
            DataRequired(_l("Give a reason.")),
            Length(max=2000, message=_l("At most 2000 characters.")),
        ],
    )


class LiftForm(FlaskForm):
    reason = LineField(_l("Reason"), REASON)


class WatchedWordForm(FlaskForm):
    pattern = LineField(
        _l("Word or phrase (* matches any ending)"),
        [DataRequired(_l("Enter a word or phrase.")), Length(max=200)],
    )
    action = RadioField(
        _l("When a post contains it"),
        choices=_choices(
            (a, {"block": _l("Refuse the post"), "review": _l("Send it for review")}[a])
            for a in WATCHED_WORD_ACTIONS
        ),
        default="review",
        validators=[InputRequired(_l("Choose what a match does."))],
    )


class NominationForm(FlaskForm):
    note = TextAreaField(
        _l("Why is this a good practice? (optional)"),
        [Optional(), Length(max=1000, message=_l("At most 1000 characters."))],
    )


class LibraryEntryForm(FlaskForm):
    title = LineField(_l("Title"), [DataRequired(_l("Give a title.")), Length(min=5, max=200)])
    summary = TextAreaField(
        _l("Summary (Markdown)"), [DataRequired(_l("Write a summary.")), Length(min=20, max=20_000)]
    )
    tags = LineField(_l("Tags, separated by commas"), [Optional(), Length(max=300)])
    cases = LineField(
        _l("Linked case digests (identifiers, separated by spaces)"), [Optional(), Length(max=2000)]
    )
    modules = LineField(
        _l("Linked training modules (identifiers, separated by spaces)"),
        [Optional(), Length(max=2000)],
    )
    reason = LineField(_l("Reason for the change (audit log)"), REASON)
    confirm_self = BooleanField(
        _l(
            "I am the only moderator: I add my own nomination to the library (recorded as "
            "self-approved)"
        )
    )


class RemoveEntryForm(FlaskForm):
    reason = LineField(
        _l("Reason for removing"), [DataRequired(_l("Give a reason.")), Length(max=2000)]
    )


class MessageForm(FlaskForm):
    to = LineField(
        _l("To (handles, such as @Jane_Example, separated by commas; up to 9 members)"),
        [DataRequired(_l("Name at least one member to write to.")), Length(max=1000)],
    )
    subject = LineField(
        _l("Subject"),
        [DataRequired(_l("Give the conversation a subject.")), Length(min=3, max=200)],
    )
    body = TextAreaField(
        _l("Message"), [DataRequired(_l("Write a message before sending.")), Length(max=20_000)]
    )


class MessageReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Your message"),
        [DataRequired(_l("Write a message before sending.")), Length(max=20_000)],
    )


class MessageFlagForm(FlaskForm):
    reason = RadioField(
        _l("Why does this message need a moderator?"),
        choices=_choices(REASON_LABELS.items()),
        validators=[InputRequired(_l("Choose a reason."))],
    )
    note = TextAreaField(
        _l("Message to the moderators (they will read the flagged message, nothing else)"),
        [
            Optional(),
            Length(max=MAX_MESSAGE, message=_l("At most %(num)s characters.", num=MAX_MESSAGE)),
        ],
    )


class BlockForm(FlaskForm):
    handle = LineField(
        _l("Member to block (their handle, such as @Jane_Example)"),
        [DataRequired(_l("Name the member to block.")), Length(max=100)],
    )
