"""Accounts: users, their sign-ins (one per browser), sign-in throttles, their second factors
and recovery codes, and their applications for practitioner status."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TypeAlias

from flask_login import AnonymousUserMixin
from sqlalchemy import BigInteger, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base
from app.core.permissions import Role
from app.core.time import utcnow


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.TRAINEE.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    function: Mapped[str] = mapped_column(String(200), default="")
    expertise: Mapped[str] = mapped_column(Text, default="")
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    silenced_until: Mapped[datetime | None] = mapped_column(default=None)
    suspended_until: Mapped[datetime | None] = mapped_column(default=None)
    restriction_reason: Mapped[str] = mapped_column(Text, default="")
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    # The language the member chose with the language picker ("" until they choose).
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    # Changes whenever the password changes or the account is deleted: a reset link names the
    # value it was made for, so it works once.
    session_token: Mapped[str] = mapped_column(String(64))

    # The sign-in (`SignIn.token`) this object was loaded for, in this request; not a column.
    sign_in_token = ""

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None and not self.is_suspended

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What the session and remember cookies carry: the user and their sign-in."""
        return f"{self.id}:{self.sign_in_token}"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > utcnow()

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


# Whoever makes a request: a signed-in member, or a visitor (flask-login's anonymous user).
# Visibility and permission checks take an Actor; services behind sign-in take a User.
Actor: TypeAlias = User | AnonymousUserMixin


class PractitionerApplication(Base):
    __tablename__ = "practitioner_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    organisation: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SignIn(Base):
    """One signed-in browser. Its cookies carry `token`; signing out (here or everywhere), a new
    password or a deleted account ends it, so a copied cookie stops working."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(45), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class SignInThrottle(Base):
    """Failed sign-ins for one e-mail address from one client address. Past a few failures
    that pair waits, twice as long after each further failure; the owner signing in from
    anywhere else is not held back (nobody can lock somebody else's account)."""

    __tablename__ = "sign_in_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(45))
    failures: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("email", "address"),)


class SecondFactor(Base):
    """A member's authenticator app (TOTP). `enabled_at` is empty while the setup waits for a
    first correct code; `last_time_step` is the time step of the last code accepted, so no code
    is accepted twice."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # The shared secret (base32): TOTP needs it in clear to compute the codes.
    secret: Mapped[str] = mapped_column(String(64))
    # Salts the recovery codes' hashes, so equal codes of two members never hash alike.
    recovery_salt: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enabled_at: Mapped[datetime | None] = mapped_column(default=None)
    last_time_step: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # Wrong codes at sign-in since the last right one, whatever browser sent them; past a few,
    # the code step waits (`held_until`), since whoever sends them knows the password.
    failed_codes: Mapped[int] = mapped_column(default=0)
    held_until: Mapped[datetime | None] = mapped_column(default=None)


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator; only its salted SHA-256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(default=None)
