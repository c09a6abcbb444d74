"""Forms of the accounts pages; every field is validated and length-limited."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.core import settings
from app.core.permissions import ROLE_NAMES
from app.core.text import LineField

NAME = [DataRequired(), Length(min=2, max=80)]


class SignUpForm(FlaskForm):
    email = EmailField(_l("E-mail address"), [DataRequired(), Email(), Length(max=254)])
    display_name = LineField(_l("Display name"), NAME)
    password = PasswordField(_l("Password"), [DataRequired(), Length(max=256)])
    confirm = PasswordField(
        _l("Repeat password"),
        [DataRequired(), EqualTo("password", _l("The passwords do not match."))],
    )


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail address"), [DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), [DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail address"), [DataRequired(), Email(), Length(max=254)])


class ResetForm(FlaskForm):
    password = PasswordField(_l("New password"), [DataRequired(), Length(max=256)])
    confirm = PasswordField(
        _l("Repeat new password"),
        [DataRequired(), EqualTo("password", _l("The passwords do not match."))],
    )


class ProfileForm(FlaskForm):
    display_name = LineField(_l("Display name"), NAME)
    organisation = LineField(_l("Organisation"), [Optional(), Length(max=200)])
    country = LineField(_l("Country"), [Optional(), Length(max=100)])
    function = LineField(_l("Function"), [Optional(), Length(max=200)])
    expertise = TextAreaField(_l("Areas of expertise"), [Optional(), Length(max=2000)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), [DataRequired(), Length(max=256)])
    password = PasswordField(_l("New password"), [DataRequired(), Length(max=256)])
    confirm = PasswordField(
        _l("Repeat new password"),
        [DataRequired(), EqualTo("password", _l("The passwords do not match."))],
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), [DataRequired(), Length(max=256)])
    confirm = BooleanField(_l("I understand that this cannot be undone"), [DataRequired()])


class ApplicationForm(FlaskForm):
    organisation = LineField(_l("Organisation"), [DataRequired(), Length(max=200)])
    function = LineField(_l("Function"), [DataRequired(), Length(max=200)])
    country = LineField(_l("Country"), [DataRequired(), Length(max=100)])
    reason = TextAreaField(
        _l("Why you need practitioner access"), [DataRequired(), Length(min=20, max=3000)]
    )


# An authenticator code (6 digits) or a recovery code (10 letters and digits, maybe grouped).
CODE = [DataRequired(), Length(max=32)]


class SecondFactorCodeForm(FlaskForm):
    code = StringField(_l("Code"), CODE)


class RegenerateCodesForm(FlaskForm):
    password = PasswordField(_l("Your password"), [DataRequired(), Length(max=256)])


class DisableSecondFactorForm(FlaskForm):
    password = PasswordField(_l("Your password"), [DataRequired(), Length(max=256)])
    code = StringField(_l("Code from your app, or a recovery code"), CODE)


def site_settings_form(current: dict[str, bool], values: dict[str, str]) -> FlaskForm:
    """A form with one checkbox per declared switch, ticked as it stands, and one field per
    number or rate limit, filled with its value (checked in full by the settings service)."""

    class SiteSettingsForm(FlaskForm):
        pass

    for setting in settings.SETTINGS:
        field = BooleanField(setting.label, default=current[setting.key])
        setattr(SiteSettingsForm, setting.key, field)
    for value_setting in settings.VALUE_SETTINGS:
        text = StringField(
            value_setting.label, [Length(max=200)], default=values[value_setting.key]
        )
        setattr(SiteSettingsForm, value_setting.key, text)
    return SiteSettingsForm()


class RoleForm(FlaskForm):
    """An administrator changes a member's role, with the reason kept in the audit log."""

    role = SelectField(
        _l("New role"),
        choices=[SelectChoice(role.value, name) for role, name in ROLE_NAMES.items()],
        validate_choice=True,
    )  # fmt: skip
    reason = LineField(
        _l("Reason (kept in the audit log)"),
        [DataRequired(_l("Give a reason for the change.")), Length(max=500)],
    )


class ResendConfirmationForm(FlaskForm):
    """Send the confirmation e-mail again to a member who has not confirmed."""


class LanguageForm(FlaskForm):
    """The footer's language picker; the view sets the choices from SUPPORTED_LANGUAGES."""

    language = SelectField(_l("Language"), choices=[])
    next = StringField(validators=[Optional(), Length(max=2000)])
