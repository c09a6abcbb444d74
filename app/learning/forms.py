"""Forms of the learning pages with fixed fields (quiz answers are read per question type by
`services.attempts`, since each question brings its own fields)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class RevokeCertificateForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired("Give a reason for revoking the certificate."), Length(max=2000)],
    )
