"""Forms of the accounts pages; every field is validated and length-limited."""

from __future__ import annotations

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
from app.core.text import LineField

NAME = [DataRequired(), Length(min=2, max=80)]


class SignUpForm(FlaskForm):
    email = EmailField("E-mail address", [DataRequired(), Email(), Length(max=254)])
    display_name = LineField("Display name", NAME)
    password = PasswordField("Password", [DataRequired(), Length(max=256)])
    confirm = PasswordField(
        "Repeat password", [DataRequired(), EqualTo("password", "The passwords do not match.")]
    )


class SignInForm(FlaskForm):
    email = EmailField("E-mail address", [DataRequired(), Length(max=254)])
    password = PasswordField("Password", [DataRequired(), Length(max=256)])
    remember = BooleanField("Keep me signed in on this device")


class ResetRequestForm(FlaskForm):
    email = EmailField("E-mail address", [DataRequired(), Email(), Length(max=254)])


class ResetForm(FlaskForm):
    password = PasswordField("New password", [DataRequired(), Length(max=256)])
    confirm = PasswordField(
        "Repeat new password", [DataRequired(), EqualTo("password", "The passwords do not match.")]
    )


class ProfileForm(FlaskForm):
    display_name = LineField("Display name", NAME)
    organisation = LineField("Organisation", [Optional(), Length(max=200)])
    country = LineField("Country", [Optional(), Length(max=100)])
    function = LineField("Function", [Optional(), Length(max=200)])
    expertise = TextAreaField("Areas of expertise", [Optional(), Length(max=2000)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", [DataRequired(), Length(max=256)])
    password = PasswordField("New password", [DataRequired(), Length(max=256)])
    confirm = PasswordField(
        "Repeat new password", [DataRequired(), EqualTo("password", "The passwords do not match.")]
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", [DataRequired(), Length(max=256)])
    confirm = BooleanField("I understand that this cannot be undone", [DataRequired()])


class ApplicationForm(FlaskForm):
    organisation = LineField("Organisation", [DataRequired(), Length(max=200)])
    function = LineField("Function", [DataRequired(), Length(max=200)])
    country = LineField("Country", [DataRequired(), Length(max=100)])
    reason = TextAreaField(
        "Why you need practitioner access", [DataRequired(), Length(min=20, max=3000)]
    )


# An authenticator code (6 digits) or a recovery code (10 letters and digits, maybe grouped).
CODE = [DataRequired(), Length(max=32)]


class SecondFactorCodeForm(FlaskForm):
    code = StringField("Code", CODE)


class RegenerateCodesForm(FlaskForm):
    password = PasswordField("Your password", [DataRequired(), Length(max=256)])


class DisableSecondFactorForm(FlaskForm):
    password = PasswordField("Your password", [DataRequired(), Length(max=256)])
    code = StringField("Code from your app, or a recovery code", CODE)


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
        "New role",
        choices=[SelectChoice("trainee", "Trainee"), SelectChoice("practitioner", "Practitioner"),
                 SelectChoice("moderator", "Moderator"), SelectChoice("admin", "Administrator")],
        validate_choice=True,
    )  # fmt: skip
    reason = LineField(
        "Reason (kept in the audit log)",
        [DataRequired("Give a reason for the change."), Length(max=500)],
    )


class ResendConfirmationForm(FlaskForm):
    """Send the confirmation e-mail again to a member who has not confirmed."""


class LanguageForm(FlaskForm):
    """The footer's language picker; the view sets the choices from SUPPORTED_LANGUAGES."""

    language = SelectField("Language", choices=[])
    next = StringField("Next", [Optional(), Length(max=2000)])
