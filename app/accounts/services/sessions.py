"""Signing in and out: credentials, throttles per (e-mail, client address), one `SignIn` row
per signed-in browser.

- Every failure gives the same message, whether the address is unknown, the password wrong or
  the pair held back, and costs the same password work (one argon2 verification).
- Failures are counted per e-mail address *and* client address. After `LOGIN_MAX_FAILURES` the
  pair waits one minute, then twice as long after each further failure (at most
  16 times `LOGIN_LOCKOUT_MINUTES`); the owner of an existing account is told by e-mail once. The
  owner signing in from another address is never held back.
- A sign-in is a row whose token the cookies carry; ending it (sign out, sign out everywhere, a
  new password, a deleted account) makes every copy of those cookies worthless.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts import passwords
from app.accounts.models import SignIn, SignInThrottle, User
from app.accounts.passwords import verify_password
from app.accounts.reading import find_by_email, normalise_email
from app.core import generation, member_state, notifications
from app.core.db import db
from app.core.i18n import recipient_language
from app.core.mail import send_mail
from app.core.time import format_datetime, utcnow

FAILED = _l(
    "The e-mail address or password is not correct, or there were too many attempts: "
    "check them, wait a few minutes, and try again."
)


@dataclass
class SignInResult:
    user: User | None
    error: str | None = None


@cache
def _equaliser_hash() -> str:
    """A hash to verify against when no account matches, so both paths cost one verification."""
    return passwords.hash_password(secrets.token_urlsafe(16))


def authenticate(email: str, password: str, address: str) -> SignInResult:
    """Check credentials for a sign-in from `address`; count and throttle failures."""
    email = normalise_email(email)[:254]
    address = (address or "unknown")[:45]
    user = find_by_email(email)
    known = user is not None and user.deleted_at is None
    correct = verify_password(user.password_hash if known and user else _equaliser_hash(), password)
    throttle = db.session.scalar(
        select(SignInThrottle).where(
            SignInThrottle.email == email, SignInThrottle.address == address
        )
    )
    now = utcnow()
    until = throttle.blocked_until if throttle is not None else None
    held = until is not None and until > now
    if not (known and correct) or held:
        _count_failure(email, address, user if known else None)
        return SignInResult(None, str(FAILED))
    assert user is not None
    if user.is_suspended:
        return SignInResult(None, suspension_message(user))
    if throttle is not None:
        db.session.delete(throttle)
    user.last_login_at = now
    return SignInResult(user)


def suspension_message(user: User) -> str:
    """Why a suspended member cannot sign in, in the reader's language."""
    until = format_datetime(user.suspended_until)
    message = str(_("This account is suspended until %(until)s.", until=until))
    if user.restriction_reason:
        message += " " + _("Reason: %(reason)s", reason=user.restriction_reason)
    return message


def _count_failure(email: str, address: str, owner: User | None) -> None:
    """One more failure for (email, address), counted in SQL; start or lengthen the wait."""
    config = current_app.config
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    stmt = insert(SignInThrottle).values(email=email, address=address, failures=1, updated_at=now)
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["email", "address"],
            set_={"failures": SignInThrottle.failures + 1, "updated_at": now},
        )
    )
    failures = int(
        db.session.scalar(
            select(SignInThrottle.failures).where(
                SignInThrottle.email == email, SignInThrottle.address == address
            )
        )
        or 0
    )
    threshold = int(config["LOGIN_MAX_FAILURES"])
    if failures < threshold:
        return
    cap = int(config["LOGIN_LOCKOUT_MINUTES"]) * 16
    minutes = min(2 ** min(failures - threshold, 20), cap)
    db.session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.email == email, SignInThrottle.address == address)
        .values(blocked_until=now + timedelta(minutes=minutes))
    )
    if failures == threshold and owner is not None:
        with force_locale(recipient_language(owner.language)):
            send_mail(
                owner.email,
                _("Failed sign-in attempts on your account"),
                _(
                    "Hello %(name)s,\n\n%(count)s sign-in attempts with a wrong password were "
                    "made on your account from the address %(address)s (last at %(when)s). "
                    "Attempts from that address now have to wait.\n\nIf it was you, wait a few "
                    "minutes or reset your password. If it was not you, your account stays open "
                    "to you from anywhere else; consider choosing a longer password.\n",
                    name=owner.display_name,
                    count=threshold,
                    address=address,
                    when=format_datetime(now),
                ),
            )


def start(user: User, remember: bool, user_agent: str, address: str) -> SignIn:
    """Record a new signed-in browser for `user`; its token goes into the cookies."""
    sign_in = SignIn(
        user_id=user.id,
        token=secrets.token_urlsafe(32),
        remember=remember,
        user_agent=user_agent[:200],
        address=(address or "")[:45],
    )
    db.session.add(sign_in)
    db.session.flush()
    user.sign_in_token = sign_in.token
    return sign_in


@cache
def _sign_in_check() -> Select[User, str, int, int, int]:
    """The sign-in check's one statement, built once per process (its values are bound per
    request): the member, their sign-in, their unread count, their state counter and the content
    generation (the page caches' keys), so a kept page costs no other statement."""
    return (
        select(
            User,
            SignIn.token,
            notifications.unread_count_of(User.id),
            member_state.value_of(User.id),
            generation.value_query(),
        )
        .join(SignIn, SignIn.user_id == User.id)
        .where(
            SignIn.token == bindparam("token"),
            SignIn.user_id == bindparam("user_id"),
            SignIn.ended_at.is_(None),
            User.deleted_at.is_(None),
        )
    )


def load(session_id: str) -> User | None:
    """The user of a cookie's `<user id>:<sign-in token>`, while that sign-in lasts."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token or len(token) > 64:
        return None
    row = db.session.execute(_sign_in_check(), {"token": token, "user_id": int(user_id)}).first()
    if row is None:
        return None
    user, found, unread, state, content = row
    user.sign_in_token = found
    notifications.remember_unread_count(user.id, unread or 0)
    member_state.remember(user.id, state or 0)
    generation.remember(content)
    return user


def end(user: User) -> None:
    """End the sign-in this request was made with."""
    if user.sign_in_token:
        db.session.execute(
            update(SignIn)
            .where(SignIn.token == user.sign_in_token, SignIn.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all(user_id: int) -> int:
    """End every sign-in of the account (sign out everywhere, new password, deletion)."""
    result = db.session.execute(
        update(SignIn)
        .where(SignIn.user_id == user_id, SignIn.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def forget_throttles(email: str) -> None:
    """A password reset proves the mailbox: its owner starts afresh everywhere."""
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.email == normalise_email(email)))
