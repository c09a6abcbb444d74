"""Forms of the learning pages with fixed fields (quiz answers are read per question type by
`services.attempts`, since each question brings its own fields)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class RevokeCertificateForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired("Give a reason for revoking the certificate."), Length(max=2000)],
    )


class CertificateSettingsForm(FlaskForm):
    holder_name = StringField(
        "Name on the certificate",
        validators=[DataRequired("Give the name to print on the certificate."), Length(max=80)],
    )
    show_name = BooleanField("Show this name on the public verification page")
    show_score = BooleanField("Show my result on the public verification page")
