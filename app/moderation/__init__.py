"""The one review queue over every reviewable kind, and the audit log views."""
