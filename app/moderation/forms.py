"""Forms of the moderation pages; every field is validated and length-limited."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, Optional

from app.core.text import LineField

REASON_MAX = 2000


class DecisionForm(FlaskForm):
    """A moderator's decision on a review item: which one (a button) and why."""

    decision = LineField(_l("Decision"), validators=[Length(max=40)])
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            Optional(),
            Length(
                max=REASON_MAX,
                message=_l("Keep the reason under %(count)s characters.", count=REASON_MAX),
            ),
        ],
    )
    confirm_self = BooleanField(_l("I am the only moderator: I decide my own work (self-approved)"))
