"""Every write about accounts: sign-up, sign-in, confirmation, reset, profile, applications."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import func, select

from app.accounts import policy
from app.accounts.models import PractitionerApplication, User
from app.accounts.passwords import hash_password, password_problem, verify_password
from app.accounts.tokens import CONFIRM_MAX_AGE, RESET_MAX_AGE, make_token, read_token
from app.core import audit
from app.core.db import db, get_or_404
from app.core.errors import Conflict, ServiceError
from app.core.mail import send_mail
from app.core.notifications import notify
from app.core.permissions import Role, has_role
from app.core.time import utcnow
from app.moderation.services import queue as review


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def load_session_user(session_id: str) -> User | None:
    """Return the user for a Flask-Login session id `<id>:<session_token>`, if still valid."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def _check_password(password: str, email: str, display_name: str) -> None:
    problem = password_problem(password, email=email, display_name=display_name)
    if problem:
        raise ServiceError(problem)


def create_user(
    email: str, display_name: str, password: str, role: Role = Role.TRAINEE, confirmed: bool = False
) -> User:
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise Conflict("An account with this e-mail address already exists.")
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


def sign_up(email: str, display_name: str, password: str) -> User:
    """Create a trainee account and send the confirmation link."""
    user = create_user(email, display_name, password)
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    token = make_token("confirm", {"uid": user.id, "email": user.email})
    link = url_for("accounts.confirm_email", token=token, _external=True)
    send_mail(
        user.email,
        "Confirm your e-mail address",
        f"Hello {user.display_name},\n\nConfirm your e-mail address by opening this link "
        f"(valid for 7 days):\n\n{link}\n\nIf you did not sign up, ignore this message.\n",
    )


def confirm_email(token: str) -> User:
    payload = read_token("confirm", token, CONFIRM_MAX_AGE)
    user = get_user(int(payload["uid"])) if payload and str(payload.get("uid")).isdigit() else None
    if user is None or payload is None or payload.get("email") != user.email:
        raise ServiceError("This confirmation link is invalid or has expired.")
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


@dataclass
class SignInResult:
    user: User | None
    error: str | None = None


def authenticate(email: str, password: str) -> SignInResult:
    """Check credentials, counting failures and locking the account after too many."""
    config = current_app.config
    generic = "The e-mail address or password is not correct."
    user = find_by_email(email)
    if user is None or user.deleted_at is not None:
        # Spend the same time as a real check so that timing does not reveal accounts.
        verify_password(hash_password("timing-equaliser"), password)
        return SignInResult(None, generic)
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        return SignInResult(
            None,
            "Too many failed sign-in attempts. This account is locked for "
            f"{minutes} more minute{'s' if minutes != 1 else ''}.",
        )
    if not verify_password(user.password_hash, password):
        user.failed_logins = User.failed_logins + 1
        db.session.flush()
        db.session.refresh(user, ["failed_logins"])
        if user.failed_logins >= config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"])
            user.failed_logins = 0
            return SignInResult(
                None,
                "Too many failed sign-in attempts. This account is locked for "
                f"{config['LOGIN_LOCKOUT_MINUTES']} minutes.",
            )
        return SignInResult(None, generic)
    if user.is_suspended:
        until = user.suspended_until.strftime("%d %b %Y %H:%M UTC") if user.suspended_until else ""
        reason = f" Reason: {user.restriction_reason}" if user.restriction_reason else ""
        return SignInResult(None, f"This account is suspended until {until}.{reason}")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return SignInResult(user)


def request_password_reset(email: str) -> None:
    """Send a reset link if the account exists; say nothing either way to the requester."""
    user = find_by_email(email)
    if user is None or user.deleted_at is not None:
        return
    token = make_token("reset", {"uid": user.id, "st": user.session_token})
    link = url_for("accounts.reset_password", token=token, _external=True)
    send_mail(
        user.email,
        "Reset your password",
        f"Hello {user.display_name},\n\nSomeone asked to reset the password of your account. "
        f"To choose a new password, open this link (valid for 2 hours, once):\n\n{link}\n\n"
        "If it was not you, ignore this message; your password stays as it is.\n",
    )


def user_for_reset_token(token: str) -> User:
    payload = read_token("reset", token, RESET_MAX_AGE)
    user = get_user(int(payload["uid"])) if payload and str(payload.get("uid")).isdigit() else None
    if user is None or payload is None or payload.get("st") != user.session_token:
        raise ServiceError("This reset link is invalid, has expired or was already used.")
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset_token(token)
    _set_password(user, password)
    user.locked_until = None
    user.failed_logins = 0
    if user.email_confirmed_at is None:
        # The link reached the mailbox, which proves the address.
        user.email_confirmed_at = utcnow()
    return user


def _set_password(user: User, password: str) -> None:
    _check_password(password, user.email, user.display_name)
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_hex(16)


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError("Your current password is not correct.")
    _set_password(user, new)


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
        raise ServiceError("Your password is not correct.")
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@invalid"
    user.display_name = "Deleted user"
    user.organisation = user.country = user.function = user.expertise = ""
    user.password_hash = "!"
    user.session_token = secrets.token_hex(16)
    user.deleted_at = utcnow()


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
            PractitionerApplication.status == "pending",
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
    policy.require_can_decide_applications(moderator)
    application = get_or_404(PractitionerApplication, application_id, "No such application.")
    if application.status != "pending":
        raise Conflict("This application has already been decided.")
    if not approve and not reason.strip():
        raise ServiceError("Give the applicant a reason for the rejection.")
    application.status = "approved" if approve else "rejected"
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
    link = url_for("accounts.practitioner", _external=True)
    if approve:
        title = "Your practitioner application was approved"
        body = "You now have access to restricted case digests and the practitioners' forum."
    else:
        title = "Your practitioner application was not approved"
        body = f"Reason given by the moderator: {reason.strip()}"
    notify(applicant.id, "application", title, link)
    send_mail(applicant.email, title, f"Hello {applicant.display_name},\n\n{body}\n\n{link}\n")
    return application


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def admin_set_password(user: User, password: str) -> None:
    """Set a password without knowing the old one (command line only)."""
    _set_password(user, password)
    user.locked_until = None
    user.failed_logins = 0
