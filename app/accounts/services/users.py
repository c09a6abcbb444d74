"""Every write about accounts: sign-up, sign-in, confirmation, reset, profile, applications."""

from __future__ import annotations

import secrets

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts import policy
from app.accounts.models import ApplicationStatus, PractitionerApplication, User
from app.accounts.passwords import hash_password, password_problem, verify_password
from app.accounts.reading import find_by_email, normalise_email
from app.accounts.services import sessions
from app.accounts.tokens import CONFIRM_MAX_AGE, RESET_MAX_AGE, make_token, read_token
from app.core import audit
from app.core.db import db, get_or_404
from app.core.errors import Conflict, ServiceError
from app.core.i18n import recipient_language
from app.core.mail import send_mail
from app.core.notifications import notify
from app.core.permissions import Role, has_role
from app.core.time import utcnow
from app.core.urls import external_url
from app.moderation.services import queue as review


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def _check_password(password: str, email: str, display_name: str) -> None:
    problem = password_problem(password, email=email, display_name=display_name)
    if problem:
        raise ServiceError(problem)


def create_user(
    email: str, display_name: str, password: str, role: Role = Role.TRAINEE, confirmed: bool = False
) -> User:
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise Conflict(_("An account with this e-mail address already exists."))
    _check_password(password, email, display_name)
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role.value,
        email_confirmed_at=utcnow() if confirmed else None,
        session_token=secrets.token_hex(16),
    )
    db.session.add(user)
    db.session.flush()
    return user


def sign_up(email: str, display_name: str, password: str) -> User | None:
    """Create a trainee account and send the confirmation link.

    When the address already has an account, nothing is created and its owner is told by
    e-mail instead; the caller answers both cases the same way, so sign-up does not reveal
    which addresses have accounts.
    """
    existing = find_by_email(email)
    if existing is not None:
        reset = external_url("accounts.request_reset")
        _check_password(password, normalise_email(email), display_name)
        if existing.deleted_at is None:
            # In the owner's language: whoever typed the address may be someone else.
            with force_locale(recipient_language(existing.language)):
                send_mail(
                    existing.email,
                    _("Someone tried to sign up with your address"),
                    _(
                        "Hello %(name)s,\n\nSomeone tried to create an account with this e-mail "
                        "address, which already has an account. If it was you, sign in instead, "
                        "or choose a new password here:\n\n%(link)s\n\nIf it was not you, "
                        "nothing changed and you need do nothing.\n",
                        name=existing.display_name,
                        link=reset,
                    ),
                )
        return None
    user = create_user(email, display_name, password)
    send_confirmation(user, reader_is_recipient=True)
    return user


def send_confirmation(user: User, *, reader_is_recipient: bool = False) -> None:
    """Mail the confirmation link, in the member's language (the one they are reading in, when
    they sign up or ask again themselves)."""
    token = make_token("confirm", {"uid": user.id, "email": user.email})
    link = external_url("accounts.confirm_email", token=token)
    with force_locale(recipient_language(user.language, reader_is_recipient=reader_is_recipient)):
        send_mail(
            user.email,
            _("Confirm your e-mail address"),
            _(
                "Hello %(name)s,\n\nConfirm your e-mail address by opening this link (valid for "
                "7 days):\n\n%(link)s\n\nIf you did not sign up, ignore this message.\n",
                name=user.display_name,
                link=link,
            ),
        )


def confirm_email(token: str) -> tuple[User, bool]:
    """Confirm the address a link was sent to; say whether this is its first confirmation."""
    payload = read_token("confirm", token, CONFIRM_MAX_AGE)
    user = get_user(int(payload["uid"])) if payload and str(payload.get("uid")).isdigit() else None
    if user is None or payload is None or payload.get("email") != user.email:
        raise ServiceError(_("This confirmation link is invalid or has expired."))
    first_time = user.email_confirmed_at is None
    if first_time:
        user.email_confirmed_at = utcnow()
    return user, first_time


def request_password_reset(email: str) -> None:
    """Send a reset link if the account exists; say nothing either way to the requester."""
    user = find_by_email(email)
    if user is None or user.deleted_at is not None:
        return
    token = make_token("reset", {"uid": user.id, "st": user.session_token})
    link = external_url("accounts.reset_password", token=token)
    with force_locale(recipient_language(user.language, reader_is_recipient=True)):
        send_mail(
            user.email,
            _("Reset your password"),
            _(
                "Hello %(name)s,\n\nSomeone asked to reset the password of your account. To "
                "choose a new password, open this link (valid for 2 hours, once):\n\n%(link)s"
                "\n\nIf it was not you, ignore this message; your password stays as it is.\n",
                name=user.display_name,
                link=link,
            ),
        )


def user_for_reset_token(token: str) -> User:
    payload = read_token("reset", token, RESET_MAX_AGE)
    user = get_user(int(payload["uid"])) if payload and str(payload.get("uid")).isdigit() else None
    if user is None or payload is None or payload.get("st") != user.session_token:
        raise ServiceError(_("This reset link is invalid, has expired or was already used."))
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset_token(token)
    _set_password(user, password)
    sessions.forget_throttles(user.email)
    if user.email_confirmed_at is None:
        # The link reached the mailbox, which proves the address.
        user.email_confirmed_at = utcnow()
    return user


def _set_password(user: User, password: str) -> None:
    _check_password(password, user.email, user.display_name)
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_hex(16)
    sessions.end_all(user.id)


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError(_("Your current password is not correct."))
    _set_password(user, new)


def set_language(user: User, language: str, languages: list[str]) -> None:
    """Keep the language a member chose with the picker (their pages show in it)."""
    if language not in languages:
        raise ServiceError(_("Choose one of the languages offered."))
    user.language = language
    db.session.flush()


def update_profile(
    user: User, display_name: str, organisation: str, country: str, function: str, expertise: str
) -> None:
    user.display_name = display_name.strip()
    user.organisation = organisation.strip()
    user.country = country.strip()
    user.function = function.strip()
    user.expertise = expertise.strip()


def delete_account(user: User, password: str) -> None:
    """Remove personal data and close the account; contributions stay as 'Deleted user'."""
    if not verify_password(user.password_hash, password):
        raise ServiceError(_("Your password is not correct."))
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@invalid"
    user.display_name = "Deleted user"
    user.organisation = user.country = user.function = user.expertise = ""
    user.password_hash = "!"
    user.session_token = secrets.token_hex(16)
    user.deleted_at = utcnow()
    sessions.end_all(user.id)


def set_role(actor: User | None, user: User, role: Role, reason: str = "") -> None:
    previous = user.role
    user.role = role.value
    audit.record(
        actor.id if actor else None,
        "user.set_role",
        "user",
        user.id,
        reason,
        previous=previous,
        role=role.value,
    )


# Practitioner applications ---------------------------------------------------------------


def pending_application(user: User) -> PractitionerApplication | None:
    return db.session.scalar(
        select(PractitionerApplication).where(
            PractitionerApplication.user_id == user.id,
            PractitionerApplication.status == ApplicationStatus.PENDING,
        )
    )


def latest_application(user: User) -> PractitionerApplication | None:
    return db.session.scalar(
        select(PractitionerApplication)
        .where(PractitionerApplication.user_id == user.id)
        .order_by(PractitionerApplication.created_at.desc(), PractitionerApplication.id.desc())
        .limit(1)
    )


def apply_for_practitioner(
    user: User, organisation: str, function: str, country: str, reason: str
) -> PractitionerApplication:
    policy.require_can_apply(user, pending_application(user) is not None)
    application = PractitionerApplication(
        user_id=user.id,
        organisation=organisation.strip(),
        function=function.strip(),
        country=country.strip(),
        reason=reason.strip(),
    )
    db.session.add(application)
    db.session.flush()
    review.open_item(
        "application", application.id, f"{user.display_name} ({application.organisation})"
    )
    return application


def decide_application(
    moderator: User, application_id: int, approve: bool, reason: str
) -> PractitionerApplication:
    """Approve or reject an application, tell the applicant, and write the audit log."""
    policy.can_decide_applications.require(moderator)
    application = get_or_404(PractitionerApplication, application_id, _("No such application."))
    if application.status != ApplicationStatus.PENDING:
        raise Conflict(_("This application has already been decided."))
    if not approve and not reason.strip():
        raise ServiceError(_("Give the applicant a reason for the rejection."))
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.decided_by_id = moderator.id
    application.decided_at = utcnow()
    application.decision_reason = reason.strip()
    applicant = application.user
    if approve and not has_role(applicant, Role.PRACTITIONER):
        applicant.role = Role.PRACTITIONER.value
    action = "application.approve" if approve else "application.reject"
    audit.record(
        moderator.id,
        action,
        "practitioner_application",
        application.id,
        reason.strip(),
        user_id=applicant.id,
    )
    review.close_item("application", application.id, moderator, application.status)
    link = external_url("accounts.practitioner")
    # The notification and the e-mail are written in the applicant's language, and kept so.
    with force_locale(recipient_language(applicant.language)):
        if approve:
            title = _("Your practitioner application was approved")
            body = _("You now have access to restricted case digests and the practitioners' forum.")
        else:
            title = _("Your practitioner application was not approved")
            body = _("Reason given by the moderator: %(reason)s", reason=reason.strip())
        notify(applicant.id, "application", title, link)
        greeting = _("Hello %(name)s,", name=applicant.display_name)
        send_mail(applicant.email, title, f"{greeting}\n\n{body}\n\n{link}\n")
    return application


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def admin_set_password(user: User, password: str) -> None:
    """Set a password without knowing the old one (command line only)."""
    _set_password(user, password)
    sessions.forget_throttles(user.email)
