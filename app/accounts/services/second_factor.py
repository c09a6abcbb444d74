"""A second factor at sign-in: an authenticator app (TOTP, RFC 6238) and one-time recovery codes.

- Setting up stores a secret that does nothing until the member enters a current code from it;
  only then is the factor on, and ten recovery codes are shown once (kept as salted SHA-256:
  they are random, 50 bits each, so a slow hash adds nothing but work).
- A code is accepted from the time step before, the current one or the one after (30 s each),
  and only for a step later than the last one accepted: a code seen over a shoulder or replayed
  from a log is refused. Both checks are one conditional UPDATE, so two requests with one code
  cannot both pass.
- A recovery code is marked used by a conditional UPDATE as well; it never works twice.
- Wrong codes at sign-in are counted on the account, not only in the browser's session (which
  a client can replay): after `FAILURES_BEFORE_WAIT` in a row the code step waits a minute, then
  twice as long after each further wrong code, and the owner is told that someone who knows the
  password is trying.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

import pyotp
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, update

from app.accounts.models import RecoveryCode, SecondFactor, User
from app.accounts.passwords import verify_password
from app.core import audit
from app.core.db import db
from app.core.errors import Conflict, ServiceError
from app.core.i18n import recipient_language
from app.core.mail import send_mail
from app.core.time import utcnow

RECOVERY_CODES = 10
FAILURES_BEFORE_WAIT = 10
# 31 letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i).
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ISSUER = "Firearms Practitioners' Platform"
WRONG_CODE = _l("This code is not correct or was already used.")


def get(user_id: int) -> SecondFactor | None:
    return db.session.get(SecondFactor, user_id)


def begin_setup(user: User) -> SecondFactor:
    """The factor waiting for confirmation (a new secret the first time)."""
    factor = get(user.id)
    if factor is not None and factor.enabled_at is not None:
        raise Conflict(_("Your second factor is already on."))
    if factor is None:
        factor = SecondFactor(
            user_id=user.id, secret=pyotp.random_base32(), recovery_salt=secrets.token_hex(16)
        )
        db.session.add(factor)
        db.session.flush()
    return factor


def provisioning_uri(factor: SecondFactor, user: User) -> str:
    """The otpauth:// address an authenticator app reads (typed in, or from a QR code)."""
    return pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def confirm_setup(user: User, code: str) -> list[str]:
    """Switch the factor on with a first correct code; return the recovery codes, once."""
    factor = get(user.id)
    if factor is None:
        raise ServiceError(_("Start the setup again."))
    if factor.enabled_at is not None:
        raise Conflict(_("Your second factor is already on."))
    if not _accept_totp(factor, code):
        raise ServiceError(WRONG_CODE)
    factor.enabled_at = utcnow()
    codes = _new_recovery_codes(factor)
    with force_locale(recipient_language(user.language, reader_is_recipient=True)):
        send_mail(
            user.email,
            _("Second factor switched on"),
            _(
                "Hello %(name)s,\n\nSigning in to your account now needs a code from your "
                "authenticator app (or one of your recovery codes) after the password.\n\n"
                "If it was not you, reset your password and tell a site administrator.\n",
                name=user.display_name,
            ),
        )
    return codes


def check(user: User, code: str) -> bool:
    """Tell whether `code` is a current authenticator code or an unused recovery code of
    `user`; either is then spent."""
    factor = get(user.id)
    if factor is None or factor.enabled_at is None:
        return False
    normal = _normalise(code)
    if normal.isdigit() and len(normal) == 6:
        return _accept_totp(factor, normal)
    return _spend_recovery_code(factor, normal)


def check_at_sign_in(user: User, code: str) -> bool:
    """`check`, counting wrong codes on the account and holding the code step back after
    `FAILURES_BEFORE_WAIT` of them (the caller commits even when it answers with an error)."""
    factor = get(user.id)
    if factor is None or factor.enabled_at is None:
        return False
    now = utcnow()
    if factor.held_until is not None and factor.held_until > now:
        return False
    if check(user, code):
        factor.failed_codes = 0
        factor.held_until = None
        return True
    db.session.execute(
        update(SecondFactor)
        .where(SecondFactor.user_id == user.id)
        .values(failed_codes=SecondFactor.failed_codes + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(factor)
    beyond = factor.failed_codes - FAILURES_BEFORE_WAIT
    if beyond >= 0:
        cap = int(current_app.config["LOGIN_LOCKOUT_MINUTES"]) * 16
        factor.held_until = now + timedelta(minutes=min(2 ** min(beyond, 20), cap))
    if beyond == 0:
        with force_locale(recipient_language(user.language)):
            send_mail(
                user.email,
                _("Wrong codes after your password"),
                _(
                    "Hello %(name)s,\n\n%(count)s wrong codes were entered after the right "
                    "password of your account. If it was not you, someone knows your password: "
                    "choose a new one now. Signing in now waits a little after each wrong code.\n",
                    name=user.display_name,
                    count=FAILURES_BEFORE_WAIT,
                ),
            )
    return False


def regenerate_recovery_codes(user: User, password: str) -> list[str]:
    """Replace every recovery code (the old ones stop working); needs the password."""
    factor = get(user.id)
    if factor is None or factor.enabled_at is None:
        raise Conflict(_("Switch on the second factor first."))
    if not verify_password(user.password_hash, password):
        raise ServiceError(_("Your password is not correct."))
    return _new_recovery_codes(factor)


def disable(user: User, password: str, code: str) -> None:
    """Switch the factor off; needs the password and a code (authenticator or recovery)."""
    factor = get(user.id)
    if factor is None or factor.enabled_at is None:
        raise Conflict(_("Your second factor is already off."))
    # Both checks run whatever the first says, so the answer does not tell which was wrong.
    password_ok = verify_password(user.password_hash, password)
    code_ok = check(user, code)
    if not (password_ok and code_ok):
        raise ServiceError(_("The password or the code is not correct."))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.delete(factor)
    db.session.flush()
    with force_locale(recipient_language(user.language, reader_is_recipient=True)):
        send_mail(
            user.email,
            _("Second factor switched off"),
            _(
                "Hello %(name)s,\n\nSigning in to your account no longer asks for a code from "
                "an authenticator app.\n\nIf it was not you, reset your password and tell a "
                "site administrator.\n",
                name=user.display_name,
            ),
        )


def remove(user: User, reason: str) -> bool:
    """Switch the factor off without a code (`flask users remove-second-factor`, for a member
    who lost the app and the recovery codes); audited. Tell whether there was one."""
    factor = get(user.id)
    if factor is None:
        return False
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.delete(factor)
    audit.record(None, "user.second_factor_removed", "user", user.id, reason)
    with force_locale(recipient_language(user.language)):
        send_mail(
            user.email,
            _("Second factor removed"),
            _(
                "Hello %(name)s,\n\nAn administrator removed the second factor of your account, "
                "as you asked: signing in asks only for your password until you set up a new "
                "one.\n\nIf you did not ask for this, tell a site administrator at once.\n",
                name=user.display_name,
            ),
        )
    return True


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())[:32]


def _accept_totp(factor: SecondFactor, code: str) -> bool:
    """Accept a code of the previous, current or next time step, later than the last used."""
    code = _normalise(code)
    totp = pyotp.TOTP(factor.secret)
    now = totp.timecode(datetime.now(UTC))
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            result = db.session.execute(
                update(SecondFactor)
                .where(
                    SecondFactor.user_id == factor.user_id,
                    or_(SecondFactor.last_time_step.is_(None), SecondFactor.last_time_step < step),
                )
                .values(last_time_step=step)
                .execution_options(synchronize_session=False)
            )
            db.session.refresh(factor)
            return int(getattr(result, "rowcount", 0) or 0) == 1
    return False


def _hash(factor: SecondFactor, normal: str) -> str:
    return hashlib.sha256(f"{factor.recovery_salt}:{normal}".encode()).hexdigest()


def _new_recovery_codes(factor: SecondFactor) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == factor.user_id))
    codes = []
    for _code in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _letter in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=factor.user_id, code_hash=_hash(factor, raw)))
    db.session.flush()
    return codes


def _spend_recovery_code(factor: SecondFactor, normal: str) -> bool:
    if len(normal) != 10:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == factor.user_id,
            RecoveryCode.code_hash == _hash(factor, normal),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1
