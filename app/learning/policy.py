"""Who may do what in learning: the named requirements that services and templates share."""

from __future__ import annotations

from app.core.permissions import Role, at_least

can_revoke_certificates = at_least(
    Role.MODERATOR, "revoke certificates", "Only moderators revoke certificates."
)
# Training reports (per course, per question) are for moderators and admins.
can_view_reports = at_least(
    Role.MODERATOR, "read training reports", "Only moderators read training reports."
)
