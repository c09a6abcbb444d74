"""Forms of the moderation pages; every field is validated and length-limited."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, Optional

from app.core.text import LineField

REASON_MAX = 2000


class DecisionForm(FlaskForm):
    """A moderator's decision on a review item: which one (a button) and why."""

    decision = LineField("Decision", validators=[Length(max=40)])
    reason = TextAreaField(
        "Reason",
        validators=[
            Optional(),
            Length(max=REASON_MAX, message=f"Keep the reason under {REASON_MAX} characters."),
        ],
    )
    confirm_self = BooleanField("I am the only moderator: I decide my own work (self-approved)")
