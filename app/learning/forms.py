"""Forms of the learning pages with fixed fields (quiz answers are read per question type by
`services.attempts`, since each question brings its own fields)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class RevokeCertificateForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Give a reason for revoking the certificate.")),
            Length(max=2000),
        ],
    )


class CertificateSettingsForm(FlaskForm):
    holder_name = StringField(
        _l("Name on the certificate"),
        validators=[DataRequired(_l("Give the name to print on the certificate.")), Length(max=80)],
    )
    show_name = BooleanField(_l("Show this name on the public verification page"))
    show_score = BooleanField(_l("Show my result on the public verification page"))
